import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#app/db.server.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { getChip, listChips } from './chips.server.ts'

beforeAll(() => seedDatabase(db))

describe('listChips', () => {
  it('sorts by a figure, biggest first, unknowns last', async () => {
    const { chips } = await listChips({ sort: 'bandwidth', dir: 'desc' })
    const values = chips.map((c) => c.memoryBandwidthGbs)
    const known = values.filter((v): v is number => v !== null)
    expect(known).toEqual([...known].sort((a, b) => b - a))
    expect(values.slice(known.length).every((v) => v === null)).toBe(true)
  })

  it('keeps unknowns last when sorted the other way too', async () => {
    const { chips } = await listChips({ sort: 'bandwidth', dir: 'asc' })
    expect(chips[0]?.memoryBandwidthGbs).not.toBeNull()
    expect(chips.at(-1)?.memoryBandwidthGbs).toBeNull()
  })

  it('filters by vendor (any case) and by export status', async () => {
    const nvidia = await listChips({ sort: 'name', dir: 'asc', vendor: 'nvidia' })
    expect(nvidia.chips.length).toBeGreaterThan(3)
    expect(nvidia.chips.every((c) => c.vendor === 'Nvidia')).toBe(true)
    expect(nvidia.vendors).toContain('Huawei')

    const restricted = await listChips({ sort: 'name', dir: 'asc', status: 'restricted' })
    expect(restricted.chips.length).toBeGreaterThan(0)
    expect(restricted.chips.every((c) => c.exportStatus === 'restricted')).toBe(true)
  })
})

describe('getChip', () => {
  it('returns the record and the public articles that mention it', async () => {
    const result = await getChip({ slug: 'h200' })
    expect(result?.chip.name).toBe('H200')
    expect(result?.chip.memoryGb).toBe(141)
    expect(result?.articles.length).toBeGreaterThan(0)
  })

  it('returns null for an unknown chip', async () => {
    expect(await getChip({ slug: 'h9000' })).toBeNull()
  })
})

describe('export-control timeline', () => {
  it('derives today’s status from the latest effective event, with its date, and lists the history', async () => {
    const result = await getChip({ slug: 'h200' })
    expect(result?.chip.exportStatus).toBe('approved_for_export')
    expect(result?.chip.exportStatusSince).toBe('2025-12-08')
    expect(result?.timeline.map((e) => [e.effectiveDate, e.status])).toEqual([
      ['2025-12-08', 'approved_for_export'],
      ['2023-11-17', 'restricted'],
    ])
    expect(result?.timeline.every((e) => e.sourceUrl?.startsWith('https://'))).toBe(true)
  })

  it('gives an article each chip’s status as of its publication beside today’s', async () => {
    const { getPublishedArticle } = await import('./articles.server.ts')
    const { db: database } = await import('#app/db.server.ts')
    const { articles } = await import('#db/schema.ts')
    const { eq } = await import('drizzle-orm')
    await database
      .update(articles)
      .set({ publishedAt: new Date('2024-06-01T00:00:00Z') })
      .where(eq(articles.slug, 'h200-exports-to-china-approved'))
    const article = await getPublishedArticle({ slug: 'h200-exports-to-china-approved' })
    const h200 = article?.chips.find((c) => c.slug === 'h200')
    expect(h200).toMatchObject({ statusAtPublication: 'restricted', exportStatus: 'approved_for_export', statusSince: '2025-12-08' })
    const h100 = article?.chips.find((c) => c.slug === 'h100')
    expect(h100?.statusAtPublication).toBe(h100?.exportStatus)
  })

  it('filters and sorts the chip table by the derived status', async () => {
    const approved = await listChips({ sort: 'name', dir: 'asc', status: 'approved_for_export' })
    expect(approved.chips.map((c) => c.slug)).toEqual(['h200'])
  })
})

describe('the day an export-control event takes effect', () => {
  it('counts the event from that day on: for today’s status, its date and note, the table, and an article published that day', async () => {
    const { getPublishedArticle } = await import('./articles.server.ts')
    const { articleChips, articles, chipExportEvents, chips } = await import('#db/schema.ts')
    const { sql } = await import('drizzle-orm')
    // A chip of its own, so the seeded ones keep their statuses for the tests above.
    const [chip] = await db.insert(chips).values({ slug: 'day-one', name: 'Day One', vendor: 'Testco' }).returning({ id: chips.id })
    const rule = 'test rule'
    await db.insert(chipExportEvents).values([
      { chipId: chip!.id, rule, effectiveDate: sql`current_date - 1`, status: 'licence_required', note: 'yesterday' },
      { chipId: chip!.id, rule, effectiveDate: sql`current_date`, status: 'restricted', note: 'from today' },
      { chipId: chip!.id, rule, effectiveDate: sql`current_date + 1`, status: 'approved_for_export', note: 'tomorrow' },
    ])
    const { database } = await import('#app/db.server.ts')
    const [{ today }] = (await database.rows<{ today: string }>(sql`select current_date::text as today`)) as [{ today: string }]
    const result = await getChip({ slug: 'day-one' })
    expect(result?.chip).toMatchObject({ exportStatus: 'restricted', exportStatusSince: today, exportNote: 'from today' })
    expect((await listChips({ sort: 'name', dir: 'asc', status: 'restricted' })).chips.map((c) => c.slug)).toContain('day-one')
    expect((await listChips({ sort: 'name', dir: 'asc', status: 'licence_required' })).chips.map((c) => c.slug)).not.toContain('day-one')

    // Articles published at the first moment of the day each event took effect: yesterday's and today's.
    for (const [slug, publishedAt, expected] of [
      ['published-yesterday', sql`(current_date - 1)::timestamptz`, 'licence_required'],
      ['published-today', sql`current_date::timestamptz`, 'restricted'],
    ] as const) {
      const [article] = await db
        .insert(articles)
        .values({ slug, title: slug, standfirst: 'S', body: 'B', bodyHtml: '<p>B</p>', status: 'published', publishedAt })
        .returning({ id: articles.id })
      await db.insert(articleChips).values({ articleId: article!.id, chipId: chip!.id })
      const page = await getPublishedArticle({ slug })
      expect(
        page?.chips.find((c) => c.slug === 'day-one'),
        slug,
      ).toMatchObject({ statusAtPublication: expected, exportStatus: 'restricted', statusSince: today })
    }
  })
})
