import { and, asc, desc, eq, getTableColumns, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { articleChips, articles, chipExportEvents, chipMentions, chips, comments, users, type ExportStatus } from '#db/schema.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { forgetTable } from '#app/lib/table-cache.server.ts'
import type { ChipInput } from '#app/schemas/authoring.ts'
import type { ChipSortKey, SortDirection } from '#app/schemas/chips.ts'
import { assertRole, authoringRoles, type Actor } from './admin.server.ts'
import {
  chipFigureColumns,
  chipSummaryColumns,
  currentExportNote,
  currentExportStatus,
  exportStatusSince,
  isPublicArticle,
  isUniqueViolation,
  jsonObject,
} from './fragments.server.ts'

const sortColumns: Record<ChipSortKey, AnyColumn | SQL> = {
  name: chips.name,
  vendor: chips.vendor,
  process: chips.processNode,
  memory: chips.memoryGb,
  bandwidth: chips.memoryBandwidthGbs,
  interconnect: chips.interconnectBandwidthGbs,
  bf16: chips.bf16Tflops,
  tdp: chips.tdpWatts,
  year: chips.launchYear,
  status: currentExportStatus(),
}

/**
 * Every chip matching the filters, in one table's order. Unknown figures sort last whichever way the
 * column is sorted, so "n/a" never crowds out the chips that have a number.
 */
export async function listChips({ sort, dir, vendor, status }: { sort: ChipSortKey; dir: SortDirection; vendor?: string; status?: ExportStatus }) {
  const column = sortColumns[sort]
  const order = dir === 'asc' ? sql`${column} asc nulls last` : sql`${column} desc nulls last`
  const [rows, vendorRows] = await Promise.all([
    db
      .select(chipSummaryColumns)
      .from(chips)
      .where(and(vendor ? sql`lower(${chips.vendor}) = lower(${vendor})` : undefined, status ? sql`${currentExportStatus()} = ${status}` : undefined))
      .orderBy(order, asc(chips.name)),
    db.selectDistinct({ vendor: chips.vendor }).from(chips).orderBy(chips.vendor),
  ])
  return { chips: rows, vendors: vendorRows.map((r) => r.vendor) }
}

export type ChipSummary = Awaited<ReturnType<typeof listChips>>['chips'][number]

/** A chip's full record and the public articles that mention it, newest first. */
export async function getChip({ slug }: { slug: string }) {
  const { searchVector: _searchVector, ...columns } = getTableColumns(chips)
  const [chip] = await db
    .select({ ...columns, exportStatus: currentExportStatus(), exportStatusSince, exportNote: currentExportNote })
    .from(chips)
    .where(eq(chips.slug, slug))
    .limit(1)
  if (!chip) return null
  const timeline = await db
    .select({
      id: chipExportEvents.id,
      jurisdiction: chipExportEvents.jurisdiction,
      rule: chipExportEvents.rule,
      effectiveDate: chipExportEvents.effectiveDate,
      status: chipExportEvents.status,
      note: chipExportEvents.note,
      sourceLabel: chipExportEvents.sourceLabel,
      sourceUrl: chipExportEvents.sourceUrl,
    })
    .from(chipExportEvents)
    .where(eq(chipExportEvents.chipId, chip.id))
    .orderBy(desc(chipExportEvents.effectiveDate), desc(chipExportEvents.id))
  const mentions = await db
    .select({
      slug: articles.slug,
      title: articles.title,
      standfirst: articles.standfirst,
      publishedAt: articles.publishedAt,
      authorName: users.displayName,
    })
    .from(articleChips)
    .innerJoin(articles, eq(articles.id, articleChips.articleId))
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(and(eq(articleChips.chipId, chip.id), isPublicArticle()))
    .orderBy(desc(articles.publishedAt))
  // The latest discussion naming this chip, across every story.
  const discussion = await db
    .select({
      commentId: comments.id,
      excerpt: sql<string>`left(${comments.body}, 220)`,
      createdAt: comments.createdAt,
      articleSlug: articles.slug,
      articleTitle: articles.title,
      authorName: users.displayName,
    })
    .from(chipMentions)
    .innerJoin(comments, eq(comments.id, chipMentions.commentId))
    .innerJoin(articles, eq(articles.id, chipMentions.articleId))
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(chipMentions.chipId, chip.id), eq(comments.status, 'published'), isPublicArticle()))
    .orderBy(desc(comments.createdAt))
    .limit(10)
  return {
    chip,
    timeline,
    discussion,
    articles: mentions.map((m) => ({ ...m, publishedAt: m.publishedAt ?? new Date(0) })),
  }
}

/** Key figures of every chip, for the cards shown when a reader points at a chip mention. */
/** What a chip mention's card shows. */
export const chipCardColumns = {
  slug: chips.slug,
  name: chips.name,
  vendor: chips.vendor,
  memoryGb: chips.memoryGb,
  memoryType: chips.memoryType,
  memoryBandwidthGbs: chips.memoryBandwidthGbs,
  bf16Tflops: chips.bf16Tflops,
  exportStatus: currentExportStatus(),
}

export async function listChipCards() {
  return db.select(chipCardColumns).from(chips).orderBy(chips.name)
}

export type ChipCard = Awaited<ReturnType<typeof listChipCards>>[number]

/** Every chip's card as one JSON value, for pages that fetch it along with their main row. */
export const allChipCards = () =>
  sql<ChipCard[]>`(select coalesce(json_agg(${jsonObject(chipCardColumns)} order by ${chips.name}), '[]'::json) from chips)`

export const DATA_LICENCE = {
  name: 'Creative Commons Attribution 4.0 International (CC BY 4.0)',
  url: 'https://creativecommons.org/licenses/by/4.0/',
  attribution: 'Threadline chip database',
}

/** Chip records with their export-control timelines, for /chips.json and /chips/:slug.json. Two queries. */
export async function exportChipRecords({ slug }: { slug?: string } = {}) {
  const { searchVector: _s, id: _id, exportNote: _n, ...columns } = getTableColumns(chips)
  const rows = await db
    .select({ id: chips.id, ...columns, exportStatus: currentExportStatus(), exportStatusSince, exportNote: currentExportNote })
    .from(chips)
    .where(slug ? eq(chips.slug, slug) : undefined)
    .orderBy(chips.slug)
  if (rows.length === 0) return []
  const events = await db
    .select({
      chipId: chipExportEvents.chipId,
      jurisdiction: chipExportEvents.jurisdiction,
      rule: chipExportEvents.rule,
      effectiveDate: chipExportEvents.effectiveDate,
      status: chipExportEvents.status,
      note: chipExportEvents.note,
      source: { label: chipExportEvents.sourceLabel, url: chipExportEvents.sourceUrl },
    })
    .from(chipExportEvents)
    .where(slug ? eq(chipExportEvents.chipId, rows[0]!.id) : undefined)
    .orderBy(chipExportEvents.effectiveDate, chipExportEvents.id)
  return rows.map(({ id, ...chip }) => ({
    ...chip,
    timeline: events.filter((e) => e.chipId === id).map(({ chipId: _c, ...e }) => e),
  }))
}

// ---------------------------------------------------------------------------------------------
// Editing chips (authors, moderators and admins)
// ---------------------------------------------------------------------------------------------

export async function listChipsForEditing({ actor }: { actor: Actor }) {
  assertRole(actor, authoringRoles, 'edit chips')
  return db
    .select({
      slug: chips.slug,
      name: chips.name,
      vendor: chips.vendor,
      exportStatus: currentExportStatus(),
      updatedAt: chips.updatedAt,
    })
    .from(chips)
    .orderBy(asc(chips.vendor), asc(chips.name))
}

/** Every field of a chip, as its form edits them. */
export async function getChipForEditing({ actor, slug }: { actor: Actor; slug: string }) {
  assertRole(actor, authoringRoles, 'edit chips')
  const [chip] = await db
    .select({
      slug: chips.slug,
      name: chips.name,
      vendor: chips.vendor,
      ...chipFigureColumns,
      // The status fields show what the timeline says today.
      exportStatus: currentExportStatus(),
      exportStatusSince,
      exportNote: currentExportNote,
      summary: chips.summary,
      sources: chips.sources,
      updatedAt: chips.updatedAt,
    })
    .from(chips)
    .where(eq(chips.slug, slug))
    .limit(1)
  return chip ?? null
}

export type ChipForEditing = NonNullable<Awaited<ReturnType<typeof getChipForEditing>>>

/** Creates a chip (no `slug`) or updates the chip at `slug`, which may move to `input.slug`. */
export async function saveChip({ actor, slug, input }: { actor: Actor; slug?: string; input: ChipInput }) {
  assertRole(actor, authoringRoles, 'edit chips')
  const takenError = (name?: string) =>
    new DomainError(
      'invalid-input',
      name
        ? `Another chip, “${name}”, already uses the slug “${input.slug}”. Choose a different one.`
        : `Another chip took the slug “${input.slug}” a moment ago. Choose a different one.`,
      { field: 'slug' },
    )
  try {
    const saved = await db.transaction(async (tx) => {
      if (slug !== undefined) {
        const [existing] = await tx.select({ id: chips.id }).from(chips).where(eq(chips.slug, slug)).for('update')
        if (!existing) throw new DomainError('not-found', 'There is no chip with that slug. It may have been renamed.')
      }
      if (input.slug !== slug) {
        const [taken] = await tx.select({ name: chips.name }).from(chips).where(eq(chips.slug, input.slug)).limit(1)
        if (taken) throw takenError(taken.name)
      }
      // The status an author sets becomes a dated event on the chip's timeline, which is where a
      // chip's status is read from; nothing changes when it matches what the timeline already says.
      const [before] =
        slug === undefined
          ? []
          : await tx.select({ status: currentExportStatus(), note: currentExportNote, since: exportStatusSince }).from(chips).where(eq(chips.slug, slug))
      // The status fields go to the timeline, not to the chip row.
      const { exportStatus: _status, exportStatusSince: _since, exportNote: _note, ...fields } = input
      const values = { ...fields, updatedAt: sql`now()` }
      const [saved] =
        slug !== undefined
          ? await tx.update(chips).set(values).where(eq(chips.slug, slug)).returning({ id: chips.id })
          : await tx.insert(chips).values(values).returning({ id: chips.id })
      // A new chip left at the default (unrestricted, no date, no note) has no history to record yet.
      const changed = !before
        ? input.exportStatus !== 'unrestricted' || input.exportStatusSince !== null || input.exportNote !== ''
        : before.status !== input.exportStatus ||
          before.note !== input.exportNote ||
          (input.exportStatusSince !== null && before.since !== input.exportStatusSince)
      if (changed) {
        const source = input.sources[0]
        await tx.insert(chipExportEvents).values({
          chipId: saved!.id,
          jurisdiction: 'US',
          rule: 'Editorial update in the chip database',
          effectiveDate: input.exportStatusSince ?? sql`current_date`,
          status: input.exportStatus,
          note: input.exportNote,
          sourceLabel: source?.label ?? '',
          sourceUrl: source?.url ?? null,
        })
      }
      return { slug: input.slug }
    })
    // Comments posted through this instance from now on link the chip's new names.
    forgetTable('chips')
    return saved
  } catch (error) {
    if (isUniqueViolation(error, 'chips_slug_key')) throw takenError()
    throw error
  }
}
