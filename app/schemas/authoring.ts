import { z } from 'zod'
import { articleStatuses, exportStatuses } from '#db/enums.ts'
import { ARTICLE_LIMITS } from '#app/lib/article-limits.ts'
import { PageNumberSchema } from './pagination.ts'

// The authoring forms: articles (written, imported) and chips. Shared by the dashboard's forms and
// the actions that receive them, so a limit is stated once.

/** Plain-text import: the largest file (or paste) accepted, in bytes. */
export const IMPORT_MAX_BYTES = 200_000

export const CHIP_LIMITS = {
  slug: 60,
  name: 80,
  vendor: 60,
  shortText: 80,
  exportNote: 2000,
  summary: 1000,
  sources: 20,
  sourceLabel: 300,
  sourceUrl: 2000,
} as const

// The public routes accept exactly this shape (requireSlug): a slug that fails it could never be
// reached, so none is stored.
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

const foldedLetters: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th' }

/** "Nvidia’s H200 — approved" → "nvidias-h200-approved": lower-case ASCII kebab-case, at most `max`. */
export function slugify(text: string, max: number = ARTICLE_LIMITS.slug): string {
  let slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþ]/g, (c) => foldedLetters[c] ?? c)
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length > max) {
    slug = slug.slice(0, max)
    // Cut at a word boundary when one is reasonably near the end.
    const cut = slug.lastIndexOf('-')
    if (cut > max / 2) slug = slug.slice(0, cut)
    slug = slug.replace(/-+$/, '')
  }
  return slug
}

/** Browsers submit textareas with CRLF line ends; stored text uses LF. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

const count = (n: number) => n.toLocaleString('en-GB')

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)

/** A length limit whose message says how far over the text is. */
function atMost(max: number, label: string) {
  return z.string().check((ctx) => {
    if (ctx.value.length > max) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `${label} can be up to ${count(max)} characters; this one has ${count(ctx.value.length)}.`,
      })
    }
  })
}

// What the authoring forms store (see also parseForm, which refuses U+0000 in any field): short and
// long text fields (standfirst, chip fields) trimmed with LF line ends; a headline trimmed with each
// run of whitespace folded to one space; an article body with LF line ends and no trailing
// whitespace. Nothing else is changed: markup, entities, invisible and direction characters are kept
// as typed, and escaped or sanitised where they are shown.
function limitedText(max: number, label: string) {
  return z
    .string()
    .default('')
    .transform((v) => normaliseNewlines(v).trim())
    .pipe(atMost(max, label))
}

function optionalText(max: number, label: string) {
  return limitedText(max, label).transform((v) => (v === '' ? null : v))
}

// ---------------------------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------------------------

/** A datetime-local value ("2026-12-01T09:30"), read as UTC: the site states every time in UTC. */
export function parseUtcDateTime(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null
  const date = new Date(`${value}Z`)
  if (Number.isNaN(date.getTime())) return null
  // "2026-02-31" rolls over to March in Date: refuse it rather than publish on the wrong day.
  if (date.toISOString().slice(0, 10) !== value.slice(0, 10)) return null
  const year = date.getUTCFullYear()
  return year >= 2000 && year <= 2100 ? date : null
}

/** The value a datetime-local input shows for a stored time, in UTC, to the minute. */
export function toUtcDateTimeInput(value: Date | string | null | undefined): string {
  if (!value) return ''
  return (typeof value === 'string' ? new Date(value) : value).toISOString().slice(0, 16)
}

/** "Export controls, nvidia, , China" → ["Export controls", "nvidia", "China"], one per slug. */
const TagListSchema = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const names: string[] = []
    const seen = new Set<string>()
    for (const entry of raw.split(',')) {
      const name = entry.trim().replace(/\s+/g, ' ')
      if (!name) continue
      if (name.length > ARTICLE_LIMITS.tagName) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `The tag “${name.slice(0, 20)}…” is too long: tags can be up to ${ARTICLE_LIMITS.tagName} characters.`,
        })
        continue
      }
      const slug = slugify(name, ARTICLE_LIMITS.tagName)
      if (!slug) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `The tag “${name}” needs at least one Latin letter or digit, so it can have an address.`,
        })
        continue
      }
      if (seen.has(slug)) continue
      seen.add(slug)
      names.push(name)
    }
    if (names.length > ARTICLE_LIMITS.tags) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `An article can have up to ${ARTICLE_LIMITS.tags} tags; this one has ${names.length}.`,
      })
    }
    return names
  })

/** Chip slugs, comma-joined (see joinRepeated): the chips the article links to. */
const ChipSlugListSchema = z
  .string()
  .default('')
  .transform((raw) => [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(CHIP_LIMITS.slug).regex(SLUG_PATTERN, 'That chip is not one we know.')).max(200))

export const ArticleFormSchema = z
  .object({
    title: z
      .string({ error: 'Give the article a headline.' })
      .transform((v) => v.trim().replace(/\s+/g, ' '))
      .pipe(z.string().min(1, 'Give the article a headline.').max(ARTICLE_LIMITS.title, `A headline can be up to ${ARTICLE_LIMITS.title} characters.`)),
    slug: z
      .string()
      .default('')
      .transform((v) => v.trim())
      .pipe(
        z
          .string()
          .max(ARTICLE_LIMITS.slug, `A slug can be up to ${ARTICLE_LIMITS.slug} characters.`)
          .refine(
            (v) => v === '' || SLUG_PATTERN.test(v),
            'Use lower-case letters a–z, digits and single hyphens between them, like “h200-export-rules”.',
          ),
      )
      .transform((v) => (v === '' ? undefined : v)),
    standfirst: limitedText(ARTICLE_LIMITS.standfirst, 'The standfirst'),
    body: z
      .string()
      .default('')
      .transform((v) => normaliseNewlines(v).replace(/\s+$/, ''))
      .pipe(atMost(ARTICLE_LIMITS.body, 'The body')),
    tags: TagListSchema,
    chips: ChipSlugListSchema,
    status: z.enum(articleStatuses, { error: 'Choose a status: draft, scheduled, published or archived.' }),
    publishAt: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        const value = raw.trim()
        if (value === '') return undefined
        const date = parseUtcDateTime(value)
        if (!date) {
          ctx.issues.push({ code: 'custom', input: raw, message: 'Give the date and time as YYYY-MM-DD HH:MM (UTC).' })
          return z.NEVER
        }
        return date
      }),
  })
  .superRefine((form, ctx) => {
    if (form.status === 'scheduled' && !form.publishAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['publishAt'],
        message: 'A scheduled article needs the date and time to publish it.',
      })
    }
    if (form.status === 'scheduled' || form.status === 'published') {
      const verb = form.status === 'scheduled' ? 'schedule' : 'publish'
      if (!form.standfirst) {
        ctx.addIssue({
          code: 'custom',
          path: ['standfirst'],
          message: `Write a standfirst before you ${verb} the article.`,
        })
      }
      if (!form.body.trim()) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: `Write the body before you ${verb} the article.` })
      }
    }
  })

export type ArticleInput = z.output<typeof ArticleFormSchema>

/** What the editor's Preview button (and its live preview) sends. */
export const ArticlePreviewSchema = z.object({
  body: z
    .string()
    .default('')
    .transform(normaliseNewlines)
    .pipe(z.string().max(ARTICLE_LIMITS.body * 2, 'That is far too long to preview.')),
})

/** An uploaded file as the multipart parser gives it (duck-typed: Node and undici each have a File). */
const UploadSchema = z
  .custom<File>((v) => typeof v === 'object' && v !== null && 'arrayBuffer' in v && 'name' in v && 'size' in v, 'That upload is not a file.')
  .optional()
  // A file input left empty still sends a part: no name, no bytes.
  .transform((file) => (file && (file.size > 0 || file.name) ? file : undefined))

/** The import form: a text file, or the text pasted, and not both. */
export const ImportFormSchema = z
  .object({
    file: UploadSchema,
    text: z.string().default(''),
  })
  .superRefine(({ file, text }, ctx) => {
    if (!file && !text.trim()) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Choose a text file, or paste the article’s text.' })
    }
    if (file && text.trim()) {
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: 'You chose a file and pasted text: clear one of them, so we know which to import.',
      })
    }
  })

export const ArticleListQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(articleStatuses).optional()),
  page: PageNumberSchema,
})

export const ArticleIdParamSchema = z.coerce.number().int().positive().max(2_147_483_647)

/**
 * A form's repeated field (a list of checkboxes) as one comma-joined value, so the form parses with
 * parseForm, which keeps one value a name, and a failed submission can give every choice back.
 */
export function joinRepeated(formData: FormData, name: string): FormData {
  const joined = new FormData()
  for (const [key, value] of formData) {
    if (key !== name) joined.append(key, value)
  }
  joined.set(
    name,
    formData
      .getAll(name)
      .filter((v): v is string => typeof v === 'string')
      .join(','),
  )
  return joined
}

// ---------------------------------------------------------------------------------------------
// Chips
// ---------------------------------------------------------------------------------------------

function optionalFigure(label: string, unit: string, { integer, max }: { integer: boolean; max: number }) {
  const example = integer ? 'a whole number' : 'a number'
  return z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const value = raw.trim()
      if (value === '') return null
      if (!(integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value)) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `${label} must be ${example} of ${unit}, in digits without separators, or empty if unknown.`,
        })
        return z.NEVER
      }
      const n = Number(value)
      if (!(n > 0) || n > max) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `${label} must be more than 0 and at most ${count(max)} ${unit}.`,
        })
        return z.NEVER
      }
      return n
    })
}

export type ChipSourceInput = { label: string; url: string }

/** "label | https://url", one a line: each line checked, and named by its number when it fails. */
export function parseSourceLines(text: string): { sources: ChipSourceInput[]; errors: string[] } {
  const sources: ChipSourceInput[] = []
  const errors: string[] = []
  normaliseNewlines(text)
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim()) return
      const where = `Source line ${index + 1}`
      const bar = line.lastIndexOf('|')
      if (bar === -1) {
        errors.push(`${where}: write it as “label | https://address”.`)
        return
      }
      const label = line.slice(0, bar).trim().replace(/\s+/g, ' ')
      const url = line.slice(bar + 1).trim()
      if (!label) errors.push(`${where}: add a label before the “|”.`)
      else if (label.length > CHIP_LIMITS.sourceLabel) {
        errors.push(`${where}: a label can be up to ${CHIP_LIMITS.sourceLabel} characters.`)
      }
      let parsed: URL | null = null
      try {
        parsed = new URL(url)
      } catch {
        parsed = null
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname || /\s/.test(url)) {
        errors.push(`${where}: the address must be a full http:// or https:// link.`)
      } else if (url.length > CHIP_LIMITS.sourceUrl) {
        errors.push(`${where}: the address can be up to ${count(CHIP_LIMITS.sourceUrl)} characters.`)
      } else if (label && label.length <= CHIP_LIMITS.sourceLabel) {
        sources.push({ label, url })
      }
    })
  if (sources.length > CHIP_LIMITS.sources) errors.push(`A chip can list up to ${CHIP_LIMITS.sources} sources.`)
  return { sources, errors }
}

export function formatSourceLines(sources: ChipSourceInput[]): string {
  return sources.map((s) => `${s.label} | ${s.url}`).join('\n')
}

const thisYear = new Date().getUTCFullYear()

export const ChipFormSchema = z.object({
  slug: z
    .string({ error: 'Give the chip a slug.' })
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, 'Give the chip a slug, like “h200”: it is the chip’s address.')
        .max(CHIP_LIMITS.slug, `A slug can be up to ${CHIP_LIMITS.slug} characters.`)
        .regex(SLUG_PATTERN, 'Use lower-case letters a–z, digits and single hyphens between them, like “ascend-910b”.'),
    ),
  name: limitedText(CHIP_LIMITS.name, 'The name').pipe(z.string().min(1, 'Give the chip its name, like “H200”.')),
  vendor: limitedText(CHIP_LIMITS.vendor, 'The vendor').pipe(z.string().min(1, 'Name the vendor, like “Nvidia”.')),
  architecture: optionalText(CHIP_LIMITS.shortText, 'The architecture'),
  processNode: optionalText(CHIP_LIMITS.shortText, 'The process node'),
  memoryGb: optionalFigure('Memory', 'GB', { integer: true, max: 100_000 }),
  memoryType: optionalText(CHIP_LIMITS.shortText, 'The memory type'),
  memoryBandwidthGbs: optionalFigure('Memory bandwidth', 'GB/s', { integer: true, max: 1_000_000 }),
  interconnect: optionalText(CHIP_LIMITS.shortText, 'The interconnect'),
  interconnectBandwidthGbs: optionalFigure('Interconnect bandwidth', 'GB/s', { integer: true, max: 1_000_000 }),
  bf16Tflops: optionalFigure('Dense BF16 throughput', 'TFLOPS', { integer: false, max: 10_000_000 }),
  tdpWatts: optionalFigure('TDP', 'W', { integer: true, max: 100_000 }),
  launchYear: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const value = raw.trim()
      if (value === '') return null
      const year = /^\d{4}$/.test(value) ? Number(value) : NaN
      if (!(year >= 1990 && year <= thisYear + 5)) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `The launch year must be a year from 1990 to ${thisYear + 5}, or empty if unknown.`,
        })
        return z.NEVER
      }
      return year
    }),
  exportStatus: z.enum(exportStatuses, { error: 'Choose an export status.' }),
  exportStatusSince: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const value = raw.trim()
      if (value === '') return null
      const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null
      const ok = date && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
      if (!ok || date.getUTCFullYear() < 1990 || date.getUTCFullYear() > 2100) {
        ctx.issues.push({ code: 'custom', input: raw, message: 'Give the date as YYYY-MM-DD, or leave it empty.' })
        return z.NEVER
      }
      return value
    }),
  exportNote: limitedText(CHIP_LIMITS.exportNote, 'The export note'),
  summary: limitedText(CHIP_LIMITS.summary, 'The summary'),
  sources: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const { sources, errors } = parseSourceLines(raw)
      for (const message of errors) ctx.issues.push({ code: 'custom', input: raw, message })
      return sources
    }),
})

export type ChipInput = z.output<typeof ChipFormSchema>
