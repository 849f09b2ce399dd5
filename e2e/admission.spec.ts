import crypto from 'node:crypto'
import type { APIRequestContext, APIResponse } from '@playwright/test'
import { expect, test } from './fixtures.ts'

// Admission control (server.ts, app/lib/admission.server.ts) as a client meets it: the log-in form's
// per-address bucket holds 30 attempts. What spends it and what does not, and that no spelling of the
// address of the form gets round it. Each test posts from addresses of its own (the e2e server
// trusts X-Forwarded-For).

const ATTEMPTS = 40

function address() {
  const b = crypto.randomBytes(3)
  return `10.${b[0]}.${b[1]}.${b[2]! || 1}`
}

/** A refusal by admission control: plain text, before the app (the app's own refusals are pages). */
async function isAdmissionRefusal(response: APIResponse) {
  return (
    response.status() === 429 &&
    (response.headers()['content-type'] ?? '').startsWith('text/plain') &&
    (await response.text()).includes('from your network')
  )
}

async function attempts(request: APIRequestContext, path: string, form: () => Record<string, string>, headers: Record<string, string>) {
  const answers: APIResponse[] = []
  for (let i = 0; i < ATTEMPTS; i++) answers.push(await request.post(path, { form: form(), headers, maxRedirects: 0 }))
  return answers
}

test('a log-in form that does not parse gives its allowance back; a wrong password keeps its cost', async ({ request, baseURL }) => {
  const invalid = await attempts(request, '/login', () => ({ login: '', password: '' }), { Origin: baseURL!, 'X-Forwarded-For': address() })
  expect(
    invalid.map((r) => r.status()),
    'each an invalid form, none refused by admission',
  ).toEqual(invalid.map(() => 400))

  const wrong = await attempts(request, '/login', () => ({ login: `nobody_${crypto.randomBytes(4).toString('hex')}`, password: 'not the password' }), {
    Origin: baseURL!,
    'X-Forwarded-For': address(),
  })
  const refused = await Promise.all(wrong.map(isAdmissionRefusal))
  expect(refused.slice(0, 25), 'within the allowance: the app answers').not.toContain(true)
  expect(refused, 'past it: admission control refuses').toContain(true)
})

test('every spelling of the log-in form’s address spends the same allowance', async ({ request, baseURL }) => {
  const spellings = ['/LOGIN', '/Login/', '/%6Cogin', '/login']
  const from = address()
  const answers: APIResponse[] = []
  for (let i = 0; i < ATTEMPTS; i++) {
    answers.push(
      await request.post(spellings[i % spellings.length]!, {
        form: { login: `nobody_${crypto.randomBytes(4).toString('hex')}`, password: 'not the password' },
        headers: { Origin: baseURL!, 'X-Forwarded-For': from },
        maxRedirects: 0,
      }),
    )
  }
  // Were only `/login` counted, ten attempts would have spent ten of the thirty.
  expect(await Promise.all(answers.map(isAdmissionRefusal))).toContain(true)
  for (const answer of answers) expect(answer.status(), answer.url()).toBeLessThan(500)
})

test('forged cross-site posts are refused before they spend anyone’s allowance', async ({ request, baseURL }) => {
  const from = address()
  const forged = await attempts(request, '/login', () => ({ login: 'someone', password: 'anything at all' }), {
    Origin: 'https://forger.example',
    'X-Forwarded-For': from,
  })
  expect(forged.map((r) => r.status())).toEqual(forged.map(() => 403))
  const real = await request.post('/login', {
    form: { login: `nobody_${crypto.randomBytes(4).toString('hex')}`, password: 'not the password' },
    headers: { Origin: baseURL!, 'X-Forwarded-For': from },
    maxRedirects: 0,
  })
  expect(real.status(), 'the person at that address still gets the app’s answer').toBe(400)
})
