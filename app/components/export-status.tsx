import type { ExportStatus } from '#db/enums.ts'
import { exportStatusLabels } from '#app/lib/format.ts'

const symbols: Record<ExportStatus, string> = {
  unrestricted: '○',
  licence_required: '◐',
  restricted: '●',
  approved_for_export: '✓',
  market_specific_variant: '◇',
}

/** The status in words, with a shape as a second cue: never colour alone. */
export function ExportStatusBadge({ status }: { status: ExportStatus }) {
  return (
    <span className={`status status--${status.replace(/_/g, '-')}`}>
      <span aria-hidden="true">{symbols[status]} </span>
      {exportStatusLabels[status]}
    </span>
  )
}
