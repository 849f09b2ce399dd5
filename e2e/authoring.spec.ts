import AxeBuilder from '@axe-core/playwright'
import { expect, logIn, signUp, test } from './fixtures.ts'
import type { Page } from '@playwright/test'

// Authoring: an author writes, previews, schedules and publishes an article, edits a chip, and
// imports a plain-text article; a member is kept out of all of it.

const AUTHOR = { login: 'editor', password: 'threadline-demo' }

function stamp() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`
}

/** A datetime-local value, in UTC as the editor reads it, `minutes` from now. */
function utcInMinutes(minutes: number) {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16)
}

async function logInAsAuthor(page: Page) {
  await logIn(page, AUTHOR.login, AUTHOR.password)
  await expect(page.locator('.user-menu summary')).toContainText('Threadline Editors')
}

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze()
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
}

async function publicStatus(page: Page, path: string) {
  const response = await page.request.get(path)
  return response.status()
}

test('an author drafts, previews, schedules and publishes an article', async ({ page }) => {
  const id = stamp()
  const title = `Export rules, explained ${id}`
  const slug = `export-rules-explained-${id}`
  await logInAsAuthor(page)

  await page.goto('/admin/articles')
  await expect(page.getByRole('heading', { level: 1, name: 'Articles' })).toBeVisible()
  await page.getByRole('link', { name: 'New article' }).click()
  await expect(page).toHaveURL(/\/admin\/articles\/new$/)
  await expectNoSeriousViolations(page)

  await page.getByLabel('Headline').fill(title)
  await page.getByLabel('Standfirst').fill('What the latest rules mean for accelerator buyers.')
  const body = page.getByLabel('Body', { exact: true })
  await body.fill(`The rules are **tighter** now (${id}).\n\n- licences\n- caps`)
  await page.getByLabel('Tags').fill(`Export controls, E2E tag ${id}`)
  await page.getByRole('checkbox', { name: /^H200/ }).check()

  // The live preview renders the Markdown on the server as the author types.
  const preview = page.getByRole('region', { name: 'Preview' })
  await expect(preview.locator('strong')).toHaveText('tighter')
  await expect(preview.locator('li')).toHaveText(['licences', 'caps'])

  // The Preview button does the same as a plain form post, without saving.
  await body.fill(`The rules are **much tighter** now (${id}).`)
  await page.getByRole('button', { name: 'Preview' }).click()
  await expect(preview.locator('strong')).toHaveText('much tighter')
  await expect(page.getByLabel('Headline')).toHaveValue(title)
  await expect(page).toHaveURL(/\/admin\/articles\/new$/)

  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page).toHaveURL(/\/admin\/articles\/\d+\?saved=draft$/)
  await expect(page.getByRole('status')).toHaveText('Saved as a draft. Readers cannot see it.')
  await expectNoSeriousViolations(page)
  await expect(page.getByLabel('Slug')).toHaveValue(slug)
  await expect(page.getByRole('checkbox', { name: /^H200/ })).toBeChecked()
  await expect(page.getByLabel('Tags')).toHaveValue(`E2E tag ${id}, Export controls`)
  expect(await publicStatus(page, `/articles/${slug}`)).toBe(404)

  // A schedule in the past is refused beside its field, keeping what was typed.
  await page.getByLabel('Headline').fill(`${title}!`)
  await page.getByLabel('Status').selectOption('scheduled')
  await page.getByLabel('Publish at (UTC)').fill(utcInMinutes(-60))
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.locator('#field-publishAt-error')).toContainText('must be in the future')
  await expect(page.getByLabel('Publish at (UTC)')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('Headline')).toHaveValue(`${title}!`)
  await expect(page.getByLabel('Status')).toHaveValue('scheduled')

  // Scheduled a couple of minutes ahead: still not public.
  await page.getByLabel('Headline').fill(title)
  await page.getByLabel('Publish at (UTC)').fill(utcInMinutes(2))
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page).toHaveURL(/\?saved=scheduled$/)
  await expect(page.getByText(/Scheduled: it publishes itself on/)).toBeVisible()
  expect(await publicStatus(page, `/articles/${slug}`)).toBe(404)

  // Published before its time, it goes out now.
  await page.getByLabel('Status').selectOption('published')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page).toHaveURL(/\?saved=published$/)
  await page.getByRole('link', { name: 'View on site' }).click()
  await expect(page).toHaveURL(new RegExp(`/articles/${slug}$`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  await expect(page.locator('.prose strong')).toHaveText('much tighter')

  await page.goto('/')
  await expect(page.getByRole('link', { name: title })).toBeVisible()

  await page.goto('/admin/articles?status=published')
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('published')
  await expectNoSeriousViolations(page)
  await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('Published')
})

test('a slug another article uses is refused beside the field', async ({ page }) => {
  await logInAsAuthor(page)
  await page.goto('/admin/articles/new')
  await page.getByLabel('Headline').fill(`Slug clash ${stamp()}`)
  await page.getByLabel('Slug').fill('ai-accelerator-export-status-field-guide')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.locator('#field-slug-error')).toContainText('is already used by')
  await expect(page.getByLabel('Slug')).toBeFocused()
})

test('an author adds a chip and edits its export note, and readers see it', async ({ page }) => {
  const id = stamp()
  const slug = `e2e-chip-${id}`
  await logInAsAuthor(page)
  await page.goto('/admin/chips')
  await page.getByRole('link', { name: 'New chip' }).click()

  await page.getByLabel('Slug').fill(slug)
  await page.getByLabel('Name').fill(`E2E-${id}`)
  await page.getByLabel('Vendor').fill('E2E Labs')
  await page.getByLabel('Memory (GB)').fill('96')
  await page.getByLabel('Memory type').fill('HBM3')
  await page.getByLabel('TDP (W)').fill('0')
  await page.getByLabel('Sources').fill('Datasheet | not a link')
  await page.getByRole('button', { name: 'Save chip' }).click()
  await expect(page.locator('#field-tdpWatts-error')).toContainText('more than 0')
  await expect(page.locator('#field-sources-error')).toContainText('Source line 1')
  await expect(page.getByLabel('Memory (GB)')).toHaveValue('96')

  await page.getByLabel('TDP (W)').fill('')
  await page.getByLabel('Sources').fill('Datasheet | https://example.com/e2e-chip')
  await page.getByLabel('Export status', { exact: true }).selectOption('licence_required')
  await page.getByRole('button', { name: 'Save chip' }).click()
  await expect(page).toHaveURL(new RegExp(`/admin/chips/${slug}\\?saved=created$`))

  const note = `Needs a licence for some buyers (${id}).`
  await page.getByLabel('Export note').fill(note)
  await page.getByRole('button', { name: 'Save chip' }).click()
  await expect(page.getByRole('status')).toHaveText('Chip saved. Readers see the change now.')
  await expectNoSeriousViolations(page)

  await page.goto(`/chips/${slug}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`E2E-${id}`)
  await expect(page.getByText(note).first()).toBeVisible()
  // The status an author sets is a dated event on the chip's timeline.
  await expect(page.getByRole('region', { name: 'Export-control timeline' })).toContainText(note)
  await expect(page.getByRole('definition').filter({ hasText: '96 GB HBM3' })).toBeVisible()
  const power = page.locator('.spec-list div').filter({ hasText: 'Power (TDP)' })
  await expect(power.getByRole('definition')).toHaveText('n/a')
  await expect(page.getByRole('link', { name: 'Datasheet' }).first()).toHaveAttribute('href', 'https://example.com/e2e-chip')
})

test('an author imports a plain-text article and lands in its draft', async ({ page }) => {
  const id = stamp()
  const headline = `Nvidia H200 exports approved, ${id}`
  const text = [
    headline,
    'Washington clears the H200 for China, though buyers may hesitate.',
    'The H200 pairs Hopper compute with 141GB of HBM3e.',
    '',
    '# Not a heading: plain text stays plain.',
  ].join('\r\n')

  await logInAsAuthor(page)
  await page.goto('/admin/articles')
  await page.getByRole('link', { name: 'Import from text' }).click()

  await page.getByRole('button', { name: 'Import as a draft' }).click()
  await expect(page.getByRole('alert')).toContainText('Choose a text file')

  await page.getByLabel('Text file').setInputFiles({ name: 'story.txt', mimeType: 'text/plain', buffer: Buffer.from(`\uFEFF${text}`) })
  await page.getByRole('button', { name: 'Import as a draft' }).click()
  await expect(page).toHaveURL(/\/admin\/articles\/\d+\?saved=imported$/)
  await expect(page.getByRole('status')).toContainText('Imported as a draft')
  await expect(page.getByLabel('Headline')).toHaveValue(headline)
  await expect(page.getByLabel('Standfirst')).toHaveValue('Washington clears the H200 for China, though buyers may hesitate.')
  await expect(page.getByLabel('Status')).toHaveValue('draft')
  const preview = page.getByRole('region', { name: 'Preview' })
  await expect(preview.locator('.prose p')).toHaveText(['The H200 pairs Hopper compute with 141GB of HBM3e.', '# Not a heading: plain text stays plain.'])
  const slug = await page.getByLabel('Slug').inputValue()
  expect(await publicStatus(page, `/articles/${slug}`)).toBe(404)

  // Too large a file is refused with its own status and a clear message.
  await page.goto('/admin/articles/import')
  const response = page.waitForResponse((r) => r.url().includes('/admin/articles/import') && r.request().method() === 'POST')
  await page.getByLabel('Text file').setInputFiles({ name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(250_000, 'a') })
  await page.getByRole('button', { name: 'Import as a draft' }).click()
  expect((await response).status()).toBe(413)
  await expect(page.locator('#field-file-error')).toContainText('larger than 200 KB')
})

test('a member is refused every authoring page and action with 403', async ({ page, baseURL }) => {
  await signUp(page)
  for (const path of ['/admin/articles', '/admin/articles/new', '/admin/articles/import', '/admin/chips', '/admin/chips/h200']) {
    const response = await page.goto(path)
    expect(response?.status(), path).toBe(403)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot do that')
  }
  const post = await page.request.post('/admin/articles/new', {
    headers: { Origin: baseURL! },
    form: { intent: 'save', title: 'Not allowed', status: 'published', body: 'x', standfirst: 'y' },
  })
  expect(post.status()).toBe(403)
  // The app's refusal, not the cross-site guard's.
  expect(await post.text()).toContain('This page is for staff only.')

  const chipPost = await page.request.post('/admin/chips/h200', {
    headers: { Origin: baseURL! },
    form: { slug: 'h200', name: 'Hacked', vendor: 'Nobody', exportStatus: 'unrestricted' },
  })
  expect(chipPost.status()).toBe(403)
  await page.goto('/chips/h200')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('H200')
})

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false })

  test('the editor previews and saves with plain form posts, keeping every chip ticked', async ({ page }) => {
    const id = stamp()
    await logIn(page, AUTHOR.login, AUTHOR.password)
    await page.goto('/admin/articles?status=draft')
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('draft')
    await page.getByRole('link', { name: 'New article' }).click()

    await page.getByLabel('Headline').fill(`No-script draft ${id}`)
    await page.getByLabel('Body', { exact: true }).fill('Plain *posts* work.')
    await page.getByRole('checkbox', { name: /^H200/ }).check()
    await page.getByRole('checkbox', { name: /^H100/ }).check()
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview).toContainText('Press Preview')
    await page.getByRole('button', { name: 'Preview' }).click()
    await expect(preview.locator('em')).toHaveText('posts')
    await expect(page.getByLabel('Body', { exact: true })).toHaveValue('Plain *posts* work.')
    await expect(page.getByRole('checkbox', { name: /^H200/ })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: /^H100/ })).toBeChecked()

    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page).toHaveURL(/\/admin\/articles\/\d+\?saved=draft$/)
    await expect(page.getByLabel('Slug')).toHaveValue(`no-script-draft-${id}`)
    await expect(page.getByRole('checkbox', { name: /^H200/ })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: /^H100/ })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: /^A100/ })).not.toBeChecked()
  })
})
