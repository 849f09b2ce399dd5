import { expect, test as setup } from '@playwright/test'

// The general suites post as brand-new members, whose first comment would wait for approval (the
// site's default). Turn that rule off for them, through the admin settings form like an admin would;
// moderation-policies.spec.ts turns it back on and tests it, after every other suite has run.
setup('an admin turns off first-comment holds for the general suites', async ({ request, baseURL }) => {
  const headers = { Origin: baseURL!, 'X-Forwarded-For': '10.250.0.1' }
  const login = await request.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, headers, maxRedirects: 0 })
  expect(login.status()).toBe(302)
  const saved = await request.post('/admin/settings', { form: { intent: 'save' }, headers, maxRedirects: 0 })
  expect(saved.status()).toBe(302)
  expect(saved.headers().location).toBe('/admin/settings?saved=1')
})
