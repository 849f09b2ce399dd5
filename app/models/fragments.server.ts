import { and, inArray, lte, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { articles, chips, type ExportStatus } from '#db/schema.ts'

// Query pieces more than one model needs.

/** Published, or scheduled and due: what a reader may see. */
export const isPublicArticle = () => and(inArray(articles.status, ['published', 'scheduled']), lte(articles.publishedAt, sql`now()`))

/**
 * A chip's export-control status on a day: the latest event effective by then. It is derived,
 * never stored twice; a chip with no recorded event counts as unrestricted.
 */
export function exportStatusOn(day: SQL | string) {
  return sql<ExportStatus>`coalesce((select e.status from chip_export_events e where e.chip_id = "chips"."id" and e.effective_date <= ${day}::date order by e.effective_date desc, e.id desc limit 1), 'unrestricted'::export_status)`
}

/** Since when today's status has held: the date of the event that set it. */
export const exportStatusSince = sql<
  string | null
>`(select to_char(e.effective_date, 'YYYY-MM-DD') from chip_export_events e where e.chip_id = "chips"."id" and e.effective_date <= current_date order by e.effective_date desc, e.id desc limit 1)`

export const currentExportStatus = () => exportStatusOn(sql`current_date`)

/** The note of the event behind today's status. */
export const currentExportNote = sql<string>`coalesce((select e.note from chip_export_events e where e.chip_id = "chips"."id" and e.effective_date <= current_date order by e.effective_date desc, e.id desc limit 1), '')`

/** A chip's figures: what the tables, the comparison, the editor and corrections all read. */
export const chipFigureColumns = {
  architecture: chips.architecture,
  processNode: chips.processNode,
  memoryGb: chips.memoryGb,
  memoryType: chips.memoryType,
  memoryBandwidthGbs: chips.memoryBandwidthGbs,
  interconnect: chips.interconnect,
  interconnectBandwidthGbs: chips.interconnectBandwidthGbs,
  bf16Tflops: chips.bf16Tflops,
  tdpWatts: chips.tdpWatts,
  launchYear: chips.launchYear,
}

/** The chip columns every chip table shows. */
export const chipSummaryColumns = {
  slug: chips.slug,
  name: chips.name,
  vendor: chips.vendor,
  ...chipFigureColumns,
  exportStatus: currentExportStatus(),
}

/** `json_build_object` of named expressions, for lists fetched as one JSON value; the names are ours. */
export function jsonObject(fields: Record<string, SQL | AnyColumn>) {
  return sql.join(
    [
      sql`json_build_object(`,
      sql.join(
        Object.entries(fields).map(([name, value]) => sql`${sql.raw(`'${name}'`)}, ${value}`),
        sql`, `,
      ),
      sql`)`,
    ],
    sql``,
  )
}

/** Postgres's unique_violation on `constraint`, whichever driver (and wrapper) reports it. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint_name: name, constraint: pgliteName, message } = e as Record<string, unknown>
    if (code === '23505') {
      return name === constraint || pgliteName === constraint || String(message).includes(constraint)
    }
  }
  return false
}
