import type { ExportStatus } from '#db/enums.ts'

/** A chip as the pages show it: identity, figures (NULL when unknown) and today's status. */
export type ChipFigures = {
  slug: string
  name: string
  vendor: string
  architecture: string | null
  processNode: string | null
  memoryGb: number | null
  memoryType: string | null
  memoryBandwidthGbs: number | null
  interconnect: string | null
  interconnectBandwidthGbs: number | null
  bf16Tflops: number | null
  tdpWatts: number | null
  launchYear: number | null
  exportStatus: ExportStatus
}
