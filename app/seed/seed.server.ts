import fs from 'node:fs'
import path from 'node:path'
import matter from 'gray-matter'
import { inArray } from 'drizzle-orm'
import { z } from 'zod'
import { linkChipMentions } from '#app/lib/chip-mentions.ts'
import { readingMinutes, renderMarkdown } from '#app/lib/markdown.ts'
import { hashPassword } from '#app/models/passwords.server.ts'
import type { Database } from '#db/connection.server.ts'
import { articleChips, articles, articleTags, chipExportEvents, chips, exportStatuses, roles, tags, users } from '#db/schema.ts'

// Demo content for a local install, read from db/seed/. Seeding only adds what is missing and never
// overwrites a row, so running it twice changes nothing and it never undoes what a user wrote.

export const seedFolder = path.resolve('db/seed')

/** Local-only demo accounts (documented in the README); never seed them on a public server. */
export const DEMO_PASSWORD = 'threadline-demo'
export const demoAccounts = [
  { username: 'admin', displayName: 'Ada Admin', role: 'admin' },
  { username: 'moderator', displayName: 'Moe Moderator', role: 'moderator' },
  { username: 'editor', displayName: 'Threadline Editors', role: 'author' },
  { username: 'author', displayName: 'Priya Raman', role: 'author' },
  { username: 'member', displayName: 'Sam Reader', role: 'member' },
] as const satisfies ReadonlyArray<{ username: string; displayName: string; role: (typeof roles)[number] }>

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case')

const TagSeedSchema = z.object({ slug, name: z.string().min(1), description: z.string() })

const ChipSeedSchema = z.object({
  slug,
  name: z.string().min(1),
  vendor: z.string().min(1),
  aliases: z.array(z.string().min(2)).default([]),
  architecture: z.string().nullable(),
  processNode: z.string().nullable(),
  memoryGb: z.number().int().positive().nullable(),
  memoryType: z.string().nullable(),
  memoryBandwidthGbs: z.number().int().positive().nullable(),
  interconnect: z.string().nullable(),
  interconnectBandwidthGbs: z.number().int().positive().nullable(),
  bf16Tflops: z.number().positive().nullable(),
  tdpWatts: z.number().int().positive().nullable(),
  launchYear: z.number().int().min(1990).max(2100).nullable(),
  summary: z.string(),
  sources: z.array(z.object({ label: z.string().min(1), url: z.url() })).min(1),
})

const ArticleFrontMatterSchema = z.object({
  slug,
  title: z.string().min(1),
  standfirst: z.string().min(1),
  author: z.enum(demoAccounts.map((a) => a.username) as [string, ...string[]]),
  publishedAt: z.coerce.date(),
  tags: z.array(slug).default([]),
  chips: z.array(slug).default([]),
})

const TimelineSeedSchema = z.object({
  chip: slug,
  jurisdiction: z.string().min(1),
  rule: z.string().min(1),
  effectiveDate: z.iso.date(),
  status: z.enum(exportStatuses),
  note: z.string(),
  sourceLabel: z.string().min(1),
  sourceUrl: z.url(),
})

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const full = path.join(seedFolder, file)
  const parsed = z.array(schema).safeParse(JSON.parse(fs.readFileSync(full, 'utf8')))
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`)
  return parsed.data as T
}

export function loadSeedArticles() {
  const dir = path.join(seedFolder, 'articles')
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const { data, content } = matter(fs.readFileSync(path.join(dir, name), 'utf8'))
      const parsed = ArticleFrontMatterSchema.safeParse(data)
      if (!parsed.success) throw new Error(`articles/${name}: ${z.prettifyError(parsed.error)}`)
      return { ...parsed.data, body: content.trim() }
    })
}

export function loadSeedData() {
  return {
    tags: readJson('tags.json', TagSeedSchema) as unknown as z.infer<typeof TagSeedSchema>[],
    chips: readJson('chips.json', ChipSeedSchema) as unknown as z.infer<typeof ChipSeedSchema>[],
    articles: loadSeedArticles(),
    timeline: readJson('timeline.json', TimelineSeedSchema) as unknown as z.infer<typeof TimelineSeedSchema>[],
  }
}

export type SeedSummary = { users: number; tags: number; chips: number; articles: number }

export async function seedDatabase(db: Database): Promise<SeedSummary> {
  const data = loadSeedData()
  const passwordHash = await hashPassword(DEMO_PASSWORD)

  return db.transaction(async (tx) => {
    const insertedUsers = await tx
      .insert(users)
      .values(
        demoAccounts.map((a) => ({
          id: `demo-${a.username}`,
          email: `${a.username}@threadline.local`,
          username: a.username,
          displayName: a.displayName,
          role: a.role,
          passwordHash,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: users.id })

    const insertedTags = await tx.insert(tags).values(data.tags).onConflictDoNothing().returning({ id: tags.id })
    const insertedChips = await tx.insert(chips).values(data.chips).onConflictDoNothing().returning({ id: chips.id })

    const authorRows = await tx
      .select({ id: users.id, username: users.username })
      .from(users)
      .where(inArray(users.username, [...new Set(data.articles.map((a) => a.author))]))
    const authorIds = new Map(authorRows.map((r) => [r.username, r.id]))

    const insertedArticles = await tx
      .insert(articles)
      .values(
        data.articles.map((a) => ({
          slug: a.slug,
          title: a.title,
          standfirst: a.standfirst,
          body: a.body,
          bodyHtml: linkChipMentions(renderMarkdown(a.body, 'article'), data.chips, { maxLinks: Infinity }).html,
          readingMinutes: readingMinutes(a.body),
          authorId: authorIds.get(a.author) ?? null,
          status: 'published' as const,
          publishedAt: a.publishedAt,
          createdAt: a.publishedAt,
          updatedAt: a.publishedAt,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: articles.id, slug: articles.slug })

    // Links are made only for articles this run created: an existing article keeps the tags and
    // chips its authors gave it.
    if (insertedArticles.length > 0) {
      const tagIds = new Map((await tx.select({ id: tags.id, slug: tags.slug }).from(tags)).map((t) => [t.slug, t.id]))
      const chipIds = new Map((await tx.select({ id: chips.id, slug: chips.slug }).from(chips)).map((c) => [c.slug, c.id]))
      const bySlug = new Map(data.articles.map((a) => [a.slug, a]))
      const tagLinks = insertedArticles.flatMap(({ id, slug }) =>
        (bySlug.get(slug)?.tags ?? []).map((tag) => ({ articleId: id, tagId: lookup(tagIds, tag, slug) })),
      )
      const chipLinks = insertedArticles.flatMap(({ id, slug }) =>
        (bySlug.get(slug)?.chips ?? []).map((chip) => ({ articleId: id, chipId: lookup(chipIds, chip, slug) })),
      )
      if (tagLinks.length) await tx.insert(articleTags).values(tagLinks).onConflictDoNothing()
      if (chipLinks.length) await tx.insert(articleChips).values(chipLinks).onConflictDoNothing()
    }

    // A chip's dated export-control history, for chips that have none yet.
    const chipIds = new Map((await tx.select({ id: chips.id, slug: chips.slug }).from(chips)).map((c) => [c.slug, c.id]))
    const withHistory = new Set((await tx.selectDistinct({ chipId: chipExportEvents.chipId }).from(chipExportEvents)).map((r) => r.chipId))
    const events = data.timeline
      .map(({ chip, ...event }) => ({ ...event, chipId: lookup(chipIds, chip, 'timeline.json') }))
      .filter((event) => !withHistory.has(event.chipId))
    if (events.length) await tx.insert(chipExportEvents).values(events)

    return {
      users: insertedUsers.length,
      tags: insertedTags.length,
      chips: insertedChips.length,
      articles: insertedArticles.length,
    }
  })
}

function lookup(ids: Map<string, number>, key: string, article: string): number {
  const id = ids.get(key)
  if (id === undefined) throw new Error(`seed article ${article} names unknown ${key}`)
  return id
}
