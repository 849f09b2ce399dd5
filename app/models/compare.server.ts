import { inArray } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { chips } from '#db/schema.ts'
import type { ComparableChip } from '#app/lib/chip-compare.ts'
import { chipSummaryColumns } from './fragments.server.ts'

/** The chips named, in the order named; slugs with no chip are simply absent. One query. */
export async function getChipsForComparison({ slugs }: { slugs: string[] }): Promise<ComparableChip[]> {
  if (slugs.length === 0) return []
  const rows = await db.select(chipSummaryColumns).from(chips).where(inArray(chips.slug, slugs))
  const bySlug = new Map(rows.map((r) => [r.slug, r]))
  return slugs.flatMap((slug) => {
    const row = bySlug.get(slug)
    return row ? [row] : []
  })
}
