import { and, inArray, lte, sql } from 'drizzle-orm'
import { articles, chips } from '#db/schema.ts'

// Query pieces more than one model needs.

/** Published, or scheduled and due: what a reader may see. */
export const isPublicArticle = () =>
  and(inArray(articles.status, ['published', 'scheduled']), lte(articles.publishedAt, sql`now()`))

/** The chip columns every chip table shows. */
export const chipSummaryColumns = {
  slug: chips.slug,
  name: chips.name,
  vendor: chips.vendor,
  architecture: chips.architecture,
  processNode: chips.processNode,
  memoryGb: chips.memoryGb,
  memoryType: chips.memoryType,
  memoryBandwidthGbs: chips.memoryBandwidthGbs,
  interconnectBandwidthGbs: chips.interconnectBandwidthGbs,
  bf16Tflops: chips.bf16Tflops,
  tdpWatts: chips.tdpWatts,
  launchYear: chips.launchYear,
  exportStatus: chips.exportStatus,
}
