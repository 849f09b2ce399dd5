import fs from 'node:fs'
import { eq, inArray } from 'drizzle-orm'
import * as htmlparser2 from 'htmlparser2'
import Parser from 'rss-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseForm } from '#app/lib/forms.server.ts'
import { roleWordIn } from '#app/lib/name-rules.ts'
import { saveArticle } from '#app/models/authoring.server.ts'
import { saveChip } from '#app/models/chips.server.ts'
import { createComment } from '#app/models/comments.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { getModerationQueue, reportComment } from '#app/models/moderation.server.ts'
import { search } from '#app/models/search.server.ts'
import { putSetting, settingDefinitions } from '#app/models/settings.server.ts'
import { changeDisplayName, getUser, signUp } from '#app/models/users.server.ts'
import { loader as articleCommentsFeed } from '#app/routes/articles.$slug_.comments[.]xml.ts'
import { loader as siteAtom } from '#app/routes/feed[.]atom.ts'
import { loader as siteJson } from '#app/routes/feed[.]json.ts'
import { loader as siteRss } from '#app/routes/feed[.]xml.ts'
import { DisplayNameFormSchema, SignupSchema } from '#app/schemas/auth.ts'
import { ArticleFormSchema, ChipFormSchema, SLUG_PATTERN, normaliseNewlines, slugify } from '#app/schemas/authoring.ts'
import { commentSchemas } from '#app/schemas/comments.ts'
import { ReportSchema } from '#app/schemas/moderation.ts'
import { isPlainText, plainTextShown, shownText } from '#app/test/typed-text.ts'
import { createTestUser } from '#app/test/users.ts'
import { database, db } from '#app/db.server.ts'
import { articles, articleTags, chipExportEvents, chips, comments, reports, tags, users } from '#db/schema.ts'

// The limit a comment is held to by default (the maxCommentLength setting), as the actions build it.
const { CreateCommentSchema } = commentSchemas({ maxLength: settingDefinitions.maxCommentLength.default })

// The hostile-input corpus (fixtures/hostile-inputs.json) sent through every place a person can
// type, the way the routes do it: the form's fields as FormData (which is where lone surrogates turn
// into U+FFFD, as they do in a browser), the route's schema through parseForm, then the domain
// function. Each stored row must hold exactly what was typed after the documented normalisation of
// its field, or the input must be refused with a message; stored HTML must stay inside the
// sanitiser's allowlist whatever the chip names it is linked against.

type HostileInput = { id: string; category: string; text: string }
const corpus = JSON.parse(fs.readFileSync(new URL('./fixtures/hostile-inputs.json', import.meta.url), 'utf8')) as HostileInput[]
const text = (id: string) => corpus.find((e) => e.id === id)!.text

const NUL_MESSAGE = /null character/
// The places that write a row per input (two per input for comments) take a few seconds on an idle
// machine; the allowance is for a busy one.
const HEAVY = 120_000
const origin = 'https://threadline.test'

// zod's min and max count code points; the app's own limits (atMost, comments) count UTF-16 units.
const codePoints = (text: string) => [...text].length

// PGlite decodes each text value it returns with a TextDecoder that drops a leading U+FEFF (the
// row on disk keeps it; postgres.js returns it). Reads are compared through this.
const asRead = (text: string) => (database.driver === 'pglite' ? text.replace(/^\uFEFF/, '') : text)

/** What a browser (and FormData) sends for a string: lone surrogates become U+FFFD. */
function wellFormed(text: string) {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

function form(fields: Record<string, string>) {
  const formData = new FormData()
  for (const [name, value] of Object.entries(fields)) formData.append(name, value)
  return formData
}

type FieldErrors = Partial<Record<string, string[]>>

/** The route's parse: the data, or the errors it would show beside each field. */
function parseAs<T>(schema: Parameters<typeof parseForm>[1], fields: Record<string, string>) {
  const result = parseForm(form(fields), schema)
  if (result.ok) return { ok: true as const, data: result.data as T }
  const { errors } = result.response.data
  return { ok: false as const, fields: errors.fields ?? {}, form: errors.form ?? [] }
}

function expectClearMessages(errors: FieldErrors, field: string) {
  const messages = errors[field]
  expect(messages, `errors for ${field}`).toBeDefined()
  for (const message of messages!) expect(message).toMatch(/^\S.{9,}/)
}

/**
 * Parses a whole form; each field it refuses must say why, and is then replaced by `plain(field)`
 * and the form parsed again, as a person would correct it. `fields` ends up holding what was sent.
 */
function parseCorrecting<T>(schema: Parameters<typeof parseForm>[1], fields: Record<string, string>, plain: (field: string) => string) {
  const first = parseAs<T>(schema, fields)
  const refused = new Set<string>()
  if (first.ok) return { parsed: first, refused, messages: {} as FieldErrors }
  for (const field of Object.keys(first.fields)) {
    refused.add(field)
    expectClearMessages(first.fields, field)
    fields[field] = plain(field)
  }
  return { parsed: parseAs<T>(schema, fields), refused, messages: first.fields }
}

// ---------------------------------------------------------------------------------------------
// Stored HTML: the allowlist of markdown.ts, plus the chip-mention links added after it.
// ---------------------------------------------------------------------------------------------

type Profile = 'comment' | 'article'
const commentTags = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li']
const allowedTags: Record<Profile, Set<string>> = {
  comment: new Set(commentTags),
  article: new Set([...commentTags, 'h2', 'h3', 'h4', 'hr', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td']),
}
const allowedAttributes: Record<string, string[]> = { a: ['href', 'rel', 'class', 'data-chip'], ol: ['start'] }

type DomNode = ReturnType<typeof htmlparser2.parseDocument>['children'][number]
function walk(nodes: readonly DomNode[], visit: (node: DomNode) => void) {
  for (const node of nodes) {
    visit(node)
    if ('children' in node) walk(node.children, visit)
  }
}

/** Every way `html` could run script or leave the allowlist; empty when it is inert. */
function htmlProblems(html: string, profile: Profile): string[] {
  const found: string[] = []
  if (/<script/i.test(html)) found.push('<script in output')
  const doc = htmlparser2.parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true })
  walk(doc.children, (node) => {
    if (node.type === htmlparser2.ElementType.Comment || node.type === htmlparser2.ElementType.CDATA) found.push(`${node.type} node`)
    if (!('name' in node) || !('attribs' in node)) return
    const tag = node.name.toLowerCase()
    if (!allowedTags[profile].has(tag)) found.push(`<${tag}>`)
    for (const [name, value] of Object.entries(node.attribs)) {
      if (!(allowedAttributes[tag] ?? []).includes(name)) found.push(`${name}= on <${tag}>`)
      if (/^on/i.test(name)) found.push(`event handler ${name}`)
      if (name === 'href' || name === 'src') {
        // What a browser's URL parser ignores: tab and newline anywhere, controls and spaces at the ends.
        const href = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '')
        if (/^(javascript|data|vbscript|file):/i.test(href)) found.push(`${name}=${JSON.stringify(value)}`)
        const resolved = new URL(href, `${origin}/articles/x`)
        if (!['http:', 'https:', 'mailto:'].includes(resolved.protocol)) found.push(`${name} resolves to ${resolved.protocol}`)
        if (profile === 'comment' && !/^(https?:\/\/|mailto:|\/chips\/[a-z0-9-]+$)/i.test(href)) found.push(`comment link ${href}`)
      }
    }
  })
  // A tag a browser might find that htmlparser2 did not: every "<name" run must be an allowed element.
  for (const match of html.matchAll(/<\/?([a-zA-Z][^\s/>]*)/g)) {
    if (!allowedTags[profile].has(match[1]!.toLowerCase())) found.push(`tag-like <${match[1]}`)
  }
  // Balanced, as written: a browser repairs a stray closing tag by leaving an element open over the
  // rest of the page (and React's hydration then fails).
  const open: string[] = []
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g)) {
    if (name === 'br' || name === 'hr') continue
    if (!closing) open.push(name!)
    else if (open.pop() !== name) found.push(`</${name}> closes nothing open`)
  }
  if (open.length) found.push(`unclosed ${open.join(', ')}`)
  return found
}

// ---------------------------------------------------------------------------------------------
// The people, the story and the settings every place needs.
// ---------------------------------------------------------------------------------------------

let writer: Awaited<ReturnType<typeof createTestUser>>
let reporter: Awaited<ReturnType<typeof createTestUser>>
let author: Awaited<ReturnType<typeof createTestUser>>
let moderator: Awaited<ReturnType<typeof createTestUser>>
const storySlug = 'hostile-story'

beforeAll(async () => {
  // One writer posts every input twice (comment and reply), and one reporter reports each: the
  // allowances and the first-comment hold would stop a real member long before that, and are tested
  // elsewhere.
  await putSetting('holdFirstComment', false)
  for (const key of ['commentsPerMinute', 'commentsPerDay', 'newAccountCommentsPerMinute', 'newAccountCommentsPerDay', 'reportsPerHour'] as const) {
    await putSetting(key, 100_000)
  }
  ;[writer, reporter, author, moderator] = await Promise.all([
    createTestUser(),
    createTestUser(),
    createTestUser({ role: 'author' }),
    createTestUser({ role: 'moderator' }),
  ])
  await db.insert(articles).values({
    slug: storySlug,
    title: 'A story for hostile comments',
    standfirst: 'S',
    body: 'B',
    bodyHtml: '<p>B</p>',
    status: 'published',
    publishedAt: new Date(Date.now() - 60_000),
  })
})

it('the corpus has at least 200 inputs in every category the issue names', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(200)
  expect(new Set(corpus.map((e) => e.id)).size).toBe(corpus.length)
  expect(new Set(corpus.map((e) => e.category))).toEqual(
    new Set([
      'xss-classic',
      'xss-polyglot',
      'markdown-links',
      'entities',
      'bidi-zero-width',
      'long-words',
      'sql',
      'null-bytes',
      'invalid-utf8',
      'whitespace-control',
      'unicode-normalisation',
      'template-injection',
      'css-injection',
      'attribute-breakers',
    ]),
  )
  // Payloads that would run announce it, so the browser test can tell.
  for (const e of corpus.filter((e) => e.category.startsWith('xss'))) {
    expect(e.text, e.id).toMatch(/__pwned|alert\(/)
  }
})

// The chips come first, so every comment and article below is rendered with the hostile names in
// the chip-mention matcher.
describe('chip fields (the chip editor, as an author)', () => {
  const textFields = ['name', 'vendor', 'architecture', 'processNode', 'memoryType', 'interconnect', 'exportNote', 'summary'] as const
  const limits = { name: 80, vendor: 60, architecture: 80, processNode: 80, memoryType: 80, interconnect: 80, exportNote: 2000, summary: 1000 }
  const required = new Set(['name', 'vendor'])
  const optional = new Set(['architecture', 'processNode', 'memoryType', 'interconnect'])

  it('stores every text field trimmed with LF line ends, or refuses it with a message', { timeout: HEAVY }, async () => {
    for (const [i, entry] of corpus.entries()) {
      const sent = wellFormed(entry.text)
      const expected = normaliseNewlines(sent).trim()
      const fields: Record<string, string> = {
        slug: `hostile-${i}`,
        exportStatus: 'licence_required',
        sources: `${sent.replace(/[|\r\n]/g, ' ')} | https://example.com/source-${i}`,
      }
      for (const f of textFields) fields[f] = entry.text
      const { parsed, refused, messages } = parseCorrecting<Parameters<typeof saveChip>[0]['input']>(ChipFormSchema, fields, (field) =>
        field === 'sources' ? `Plain source | https://example.com/plain-${i}` : `Plain ${field} ${i}`,
      )
      expect(parsed.ok, `${entry.id}: ${JSON.stringify(!parsed.ok && parsed.fields)}`).toBe(true)
      // A field is refused exactly when it is blank but required, too long, or holds a NUL.
      for (const f of textFields) {
        const shouldRefuse = (required.has(f) && expected === '') || expected.length > limits[f] || expected.includes('\u0000')
        expect(refused.has(f), `${entry.id} ${f}`).toBe(shouldRefuse)
        if (expected.includes('\u0000')) expect(messages[f]).toContainEqual(expect.stringMatching(NUL_MESSAGE))
      }
      if (!parsed.ok) continue
      await saveChip({ actor: author, input: parsed.data })
      const [row] = await db
        .select()
        .from(chips)
        .where(eq(chips.slug, `hostile-${i}`))
      for (const f of textFields) {
        if (refused.has(f) || f === 'exportNote') continue
        expect(row![f], `${entry.id} ${f}`).toBe(optional.has(f) && expected === '' ? null : asRead(expected))
      }
      if (!refused.has('exportNote')) {
        // The status and its note are a dated event on the chip's timeline.
        const [event] = await db.select({ note: chipExportEvents.note }).from(chipExportEvents).where(eq(chipExportEvents.chipId, row!.id))
        expect(event?.note, `${entry.id} exportNote`).toBe(asRead(expected))
      }
      if (!refused.has('sources')) {
        expect(row!.sources).toEqual([
          {
            label: sent
              .replace(/[|\r\n]/g, ' ')
              .trim()
              .replace(/\s+/g, ' '),
            url: `https://example.com/source-${i}`,
          },
        ])
      }
    }
    expect(await db.$count(chips)).toBeGreaterThan(corpus.length / 2)
  })

  it('refuses source links that are not http(s), whatever their disguise', () => {
    const disguised = corpus.filter((e) => e.category === 'markdown-links' && /script|data:/i.test(e.text))
    for (const entry of disguised) {
      const url = entry.text.replace(/^[^(<]*[(<]\s*/, '').replace(/[)>]\s*$/, '')
      const result = parseAs(ChipFormSchema, { slug: 'x', name: 'X', vendor: 'Y', exportStatus: 'unrestricted', sources: `Label | ${url}` })
      if (/^https?:\/\/\S+$/i.test(url)) continue
      expect(result.ok, `${entry.id} ${url}`).toBe(false)
    }
  })
})

describe('comments and replies', () => {
  const posted = new Map<string, number>()

  it('stores every body exactly as sent, or refuses it with a message', { timeout: HEAVY }, async () => {
    for (const entry of corpus) {
      // Stored with LF line ends (CommentBodySchema), and counted that way against the limit.
      const sent = normaliseNewlines(wellFormed(entry.text))
      const parsed = parseAs<{ body: string }>(CreateCommentSchema, { body: entry.text })
      const blank = sent.trim() === ''
      if (blank || sent.length > 10_000 || sent.includes('\u0000')) {
        expect(parsed.ok, entry.id).toBe(false)
        if (!parsed.ok) expectClearMessages(parsed.fields, 'body')
        if (!parsed.ok && sent.includes('\u0000')) expect(parsed.fields.body).toContainEqual(expect.stringMatching(NUL_MESSAGE))
        continue
      }
      expect(parsed.ok, entry.id).toBe(true)
      if (!parsed.ok) continue
      const created = await createComment({ articleSlug: storySlug, actorId: writer.id, body: parsed.data.body })
      posted.set(entry.id, created.id)
      const reply = await createComment({ articleSlug: storySlug, actorId: writer.id, parentId: created.id, body: parsed.data.body })
      expect(reply.depth).toBe(1)
    }
    const rows = await db
      .select({ id: comments.id, parentId: comments.parentId, body: comments.body, bodyHtml: comments.bodyHtml, status: comments.status })
      .from(comments)
    expect(rows).toHaveLength(posted.size * 2)
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const entry of corpus) {
      const id = posted.get(entry.id)
      if (id === undefined) continue
      const root = byId.get(id)!
      const reply = rows.find((r) => r.parentId === id)!
      for (const row of [root, reply]) {
        expect(row.body, entry.id).toBe(asRead(normaliseNewlines(wellFormed(entry.text))))
        expect(htmlProblems(row.bodyHtml, 'comment'), `${entry.id}: ${row.bodyHtml.slice(0, 300)}`).toEqual([])
        expect(row.status).toBe('published')
      }
    }
    // Most of the corpus is something a person could post: only blanks, NULs and the oversized go.
    expect(posted.size).toBeGreaterThan(corpus.length * 0.85)
  })

  it('keeps the visible words of plain inputs: markup shows as text', async () => {
    const rows = await db.select({ bodyHtml: comments.bodyHtml }).from(comments)
    const html = rows.map((r) => r.bodyHtml).join('\n')
    const text = htmlparser2.DomUtils.textContent(htmlparser2.parseDocument(html, { decodeEntities: true }).children)
    for (const literal of ['<script>window.__pwned=true</script>', '<img src=x onerror="window.__pwned=true">', '{{7*7}}', "' OR '1'='1"]) {
      expect(text).toContain(literal)
    }
  })

  it('shows every plain-text entry as typed, character references included, chip links and all', async () => {
    const rows = await db.select({ id: comments.id, parentId: comments.parentId, bodyHtml: comments.bodyHtml }).from(comments)
    let checked = 0
    for (const entry of corpus) {
      const id = posted.get(entry.id)
      const sent = normaliseNewlines(wellFormed(entry.text))
      if (id === undefined || !isPlainText(sent)) continue
      for (const row of rows.filter((r) => r.id === id || r.parentId === id)) {
        expect(shownText(row.bodyHtml), entry.id).toBe(plainTextShown(sent))
        checked++
      }
    }
    expect(checked).toBeGreaterThan(150)
    expect(checked % 2).toBe(0)
  })

  it('counts a comment as written: the CRLF line ends a browser sends count once, and are stored as LF', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(3, '0')} ${'x'.repeat(28)}`)
    expect(lines.join('\n').length).toBeLessThanOrEqual(10_000)
    expect(lines.join('\r\n').length).toBeGreaterThan(10_000)
    const parsed = parseAs<{ body: string }>(CreateCommentSchema, { body: lines.join('\r\n') })
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const created = await createComment({ articleSlug: storySlug, actorId: writer.id, body: parsed.data.body })
    const [row] = await db.select({ body: comments.body }).from(comments).where(eq(comments.id, created.id))
    expect(row!.body).toBe(lines.join('\n'))
  })

  it('stores what a caller outside a form sends: lone surrogates as U+FFFD', async () => {
    const created = await createComment({ articleSlug: storySlug, actorId: writer.id, body: 'lone \uD800 surrogate' })
    const [row] = await db.select({ body: comments.body }).from(comments).where(eq(comments.id, created.id))
    expect(row!.body).toBe('lone \uFFFD surrogate')
  })

  describe('report notes', () => {
    it('stores every note trimmed, or refuses it with a message, and the queue shows it', async () => {
      const expectedNotes = new Map<number, string>()
      for (const entry of corpus) {
        const commentId = posted.get(entry.id)
        if (commentId === undefined) continue
        const sent = wellFormed(entry.text)
        const expected = sent.trim()
        const parsed = parseAs<{ reason: 'other'; note: string }>(ReportSchema, { reason: 'other', note: entry.text })
        if (expected === '' || codePoints(expected) > 1000 || expected.includes('\u0000')) {
          expect(parsed.ok, entry.id).toBe(false)
          if (!parsed.ok) expectClearMessages(parsed.fields, 'note')
          continue
        }
        expect(parsed.ok, entry.id).toBe(true)
        if (!parsed.ok) continue
        await reportComment({ actorId: reporter.id, commentId, reason: parsed.data.reason, note: parsed.data.note })
        expectedNotes.set(commentId, expected)
      }
      // Every comment whose body is itself a valid note got one (blank and NUL bodies never posted).
      expect(expectedNotes.size).toBeGreaterThan(posted.size * 0.9)
      const rows = await db
        .select({ commentId: reports.commentId, note: reports.note })
        .from(reports)
        .where(inArray(reports.commentId, [...expectedNotes.keys()]))
      expect(new Map(rows.map((r) => [r.commentId, r.note]))).toEqual(expectedNotes)
      const queue = await getModerationQueue({ actor: moderator })
      expect(queue.length).toBeGreaterThan(0)
      for (const item of queue) {
        for (const report of item.reports) expect(report.note).toBe(expectedNotes.get(item.id))
        expect(htmlProblems(item.bodyHtml, 'comment')).toEqual([])
      }
    })
  })
})

describe('display names and usernames', () => {
  const controls = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

  it('stores every display name trimmed, or refuses it with a message', async () => {
    let stored = 0
    for (const entry of corpus) {
      const expected = wellFormed(entry.text).trim()
      const parsed = parseAs<{ displayName: string }>(DisplayNameFormSchema, { displayName: entry.text })
      if (expected === '' || codePoints(expected) > 50 || controls.test(expected)) {
        expect(parsed.ok, entry.id).toBe(false)
        if (!parsed.ok) expectClearMessages(parsed.fields, 'displayName')
        continue
      }
      expect(parsed.ok, entry.id).toBe(true)
      if (!parsed.ok) continue
      if (roleWordIn(expected)) {
        // A name that claims a role is refused by the domain, with a message (name-rules.ts).
        const refused = await changeDisplayName({ actorId: writer.id, displayName: parsed.data.displayName }).catch((e: unknown) => e)
        expect(isDomainError(refused, 'invalid-input'), entry.id).toBe(true)
        continue
      }
      await changeDisplayName({ actorId: writer.id, displayName: parsed.data.displayName })
      expect((await getUser({ userId: writer.id })).displayName, entry.id).toBe(expected)
      stored++
    }
    expect(stored).toBeGreaterThan(corpus.length / 3)
  })

  it('refuses hostile usernames with the rules, and stores the few valid ones exactly', async () => {
    const valid: string[] = []
    for (const [i, entry] of corpus.entries()) {
      const expected = wellFormed(entry.text).trim()
      const parsed = parseAs<{ email: string; username: string; password: string }>(SignupSchema, {
        email: `hostile-${i}@example.com`,
        username: entry.text,
        password: 'a long enough password',
      })
      const acceptable =
        /^[A-Za-z][A-Za-z0-9_-]{2,29}$/.test(expected) &&
        !['admin', 'administrator', 'moderator', 'mod', 'staff', 'threadline', 'root', 'system', 'support', 'deleted', 'anonymous'].includes(
          expected.toLowerCase(),
        )
      if (!acceptable) {
        expect(parsed.ok, entry.id).toBe(false)
        if (!parsed.ok) {
          expect(Object.keys(parsed.fields), entry.id).toEqual(['username'])
          expectClearMessages(parsed.fields, 'username')
        }
        continue
      }
      expect(parsed.ok, entry.id).toBe(true)
      if (!parsed.ok) continue
      if (roleWordIn(expected)) {
        const refused = await signUp(parsed.data).catch((e: unknown) => e)
        expect(isDomainError(refused, 'invalid-input'), entry.id).toBe(true)
        continue
      }
      const user = await signUp(parsed.data)
      expect(user.username).toBe(expected)
      valid.push(expected)
    }
    const rows = await db.select({ username: users.username }).from(users).where(inArray(users.username, valid))
    expect(rows.map((r) => r.username).sort()).toEqual([...valid].sort())
    expect(valid.length).toBeGreaterThan(0)
  })
})

describe('articles written by an author', () => {
  const defaults: Record<string, string> = { standfirst: 'A plain standfirst.', body: 'A plain body.' }

  it('stores title, standfirst, body and tags after their documented normalisation, or refuses them', { timeout: HEAVY }, async () => {
    let stored = 0
    for (const [i, entry] of corpus.entries()) {
      const sent = wellFormed(entry.text)
      const expected = {
        title: sent.trim().replace(/\s+/g, ' '),
        standfirst: normaliseNewlines(sent).trim(),
        body: normaliseNewlines(sent).replace(/\s+$/, ''),
      }
      const tagName = sent.trim().replace(/\s+/g, ' ')
      // Tags are a comma-separated list: inputs with commas are tried in the other fields only.
      const tagsSent = !sent.includes(',')
      const tagAcceptable = tagName === '' || (tagName.length <= 60 && slugify(tagName, 60) !== '' && !sent.includes('\u0000'))
      const fields: Record<string, string> = {
        title: entry.text,
        slug: `hostile-article-${i}`,
        standfirst: entry.text,
        body: entry.text,
        tags: tagsSent ? entry.text : '',
        chips: '',
        status: 'published',
        publishAt: '',
      }
      const { parsed, refused } = parseCorrecting<Parameters<typeof saveArticle>[0]['input']>(ArticleFormSchema, fields, (field) =>
        field === 'tags' ? '' : (defaults[field] ?? `Plain ${field} ${i}`),
      )
      expect(parsed.ok, `${entry.id}: ${JSON.stringify(!parsed.ok && parsed.fields)}`).toBe(true)
      expect(refused.has('title'), `${entry.id} title`).toBe(expected.title === '' || codePoints(expected.title) > 200 || sent.includes('\u0000'))
      expect(refused.has('standfirst'), `${entry.id} standfirst`).toBe(
        expected.standfirst === '' || expected.standfirst.length > 400 || sent.includes('\u0000'),
      )
      expect(refused.has('body'), `${entry.id} body`).toBe(expected.body.trim() === '' || sent.includes('\u0000'))
      expect(refused.has('tags'), `${entry.id} tags`).toBe(tagsSent && !tagAcceptable)
      if (!parsed.ok) continue
      const saved = await saveArticle({ actor: author, input: parsed.data })
      const [row] = await db.select().from(articles).where(eq(articles.id, saved.id))
      for (const f of ['title', 'standfirst', 'body'] as const) {
        if (!refused.has(f)) expect(row![f], `${entry.id} ${f}`).toBe(asRead(expected[f]))
      }
      expect(htmlProblems(row!.bodyHtml, 'article'), `${entry.id}: ${row!.bodyHtml.slice(0, 300)}`).toEqual([])
      if (tagsSent && !refused.has('tags') && tagName !== '') {
        const tagRows = await db
          .select({ name: tags.name })
          .from(articleTags)
          .innerJoin(tags, eq(tags.id, articleTags.tagId))
          .where(eq(articleTags.articleId, saved.id))
        // A tag already known by its slug keeps the name it was first given.
        expect(
          tagRows.map((t) => slugify(t.name, 60)),
          entry.id,
        ).toEqual([slugify(tagName, 60)])
      }
      stored++
    }
    expect(stored).toBe(corpus.length)
  })

  it('renders everything written after the corpus: no hostile entry swallows what follows it', async () => {
    const sentinel = 'Everything after the corpus is still here.'
    const body = `${corpus.map((e) => wellFormed(e.text).replace(/\u0000/g, '')).join('\n\n')}\n\n${sentinel}`
    const saved = await saveArticle({
      actor: author,
      input: { title: 'The whole corpus', slug: 'whole-corpus', standfirst: 'S', body, tags: [], chips: [], status: 'draft', publishAt: undefined },
    })
    const [row] = await db.select({ bodyHtml: articles.bodyHtml }).from(articles).where(eq(articles.id, saved.id))
    const deep = `${text('long-words-10')}\n\n${text('long-words-09')}\n\n${sentinel}`
    const comment = await createComment({ articleSlug: storySlug, actorId: writer.id, body: deep })
    const [stored] = await db.select({ bodyHtml: comments.bodyHtml }).from(comments).where(eq(comments.id, comment.id))
    for (const html of [row!.bodyHtml, stored!.bodyHtml]) {
      // A list or quote nested past the parser's limit keeps its words, and the text after it.
      for (const words of ['deep list', 'deeply quoted', sentinel]) expect(html).toContain(words)
    }
  })

  it('answers every search with results or a reason, never an error, snippets included', async () => {
    for (const entry of corpus) {
      const q = entry.text.trim().replace(/\s+/g, ' ')
      const result = await search({ query: entry.text, page: 1 })
      if (q.replace(/\u0000/g, '').trim() === '') {
        expect(result.kind, entry.id).toBe('empty')
        continue
      }
      if (result.kind === 'too-long') {
        expect(result.length, entry.id).toBeGreaterThan(200)
        continue
      }
      expect(result.kind, entry.id).toBe('results')
      if (result.kind !== 'results') continue
      expect(result.total).toBeGreaterThanOrEqual(result.articles.length)
      expect(result.pageCount).toBeGreaterThanOrEqual(1)
      for (const a of result.articles) expect(a.slug).toMatch(SLUG_PATTERN)
      for (const c of result.chips) expect(c.slug).toMatch(SLUG_PATTERN)
    }
    // The stories above are found by their words, with the words marked in the snippet.
    const found = await search({ query: 'mojibake', page: 1 })
    expect(found.kind === 'results' && found.articles.map((a) => a.title)).toContain('Ã©tÃ© mojibake')
  })

  it('keeps feeds well-formed XML and JSON, with hostile titles and comments as text', async () => {
    // The newest story and comment, so they lead the feeds: every control and invisible character
    // the corpus has, in a title and a comment.
    const awkward = corpus.filter((e) => ['whitespace-control', 'bidi-zero-width', 'invalid-utf8'].includes(e.category))
    const title = wellFormed(awkward.map((e) => e.text).join(' '))
      .trim()
      .replace(/\s+/g, ' ')
      .slice(0, 200)
    // Atom puts tag names in an attribute, where a "<" is not allowed.
    const tagName = `<svg onload="window.__pwned=true"> & friends`
    const story = await saveArticle({
      actor: author,
      input: { title, slug: 'awkward-feed-story', standfirst: title, body: title, tags: [tagName], chips: [], status: 'published', publishAt: undefined },
    })
    await createComment({ articleSlug: storySlug, actorId: writer.id, body: wellFormed(awkward.map((e) => e.text).join('\n\n')) })

    const parser = new Parser()
    const call = (loader: typeof siteRss, path: string, params: Record<string, string> = {}) =>
      loader({ request: new Request(`${origin}${path}`), params, context: undefined as never })
    // Characters XML 1.0 does not allow anywhere in a document.
    const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
    const shown = (text: string) => text.replace(new RegExp(xmlForbidden.source, 'g'), '')
    const [row] = await db.select({ title: articles.title }).from(articles).where(eq(articles.id, story.id))
    for (const [loader, path] of [
      [siteRss, '/feed.xml'],
      [siteAtom, '/feed.atom'],
    ] as const) {
      const body = await (await call(loader, path)).text()
      expect(body, path).not.toMatch(xmlForbidden)
      const feed = await parser.parseString(body)
      expect(feed.items[0]?.title, path).toBe(shown(row!.title))
    }
    // The label is HTML that shows the tag's name (the "<" escaped for HTML, then everything for XML).
    expect(await (await call(siteAtom, '/feed.atom')).text()).toContain(
      'label="&amp;lt;svg onload=&quot;window.__pwned=true&quot;&amp;gt; &amp; friends"/>',
    )
    const json = (await (await call(siteJson, '/feed.json')).json()) as { items: { title: string }[] }
    expect(json.items[0]?.title).toBe(row!.title)
    const commentsFeed = await (await call(articleCommentsFeed, `/articles/${storySlug}/comments.xml`, { slug: storySlug })).text()
    expect(commentsFeed).not.toMatch(xmlForbidden)
    expect((await parser.parseString(commentsFeed)).items.length).toBeGreaterThan(0)
  })
})
