import { Link } from '@remix-run/react'
import { ExportStatusBadge } from '#app/components/export-status.tsx'
import { formatBandwidth, formatFigure, formatMemory, formatText } from '#app/lib/format.ts'
import type { ExportStatus } from '#db/enums.ts'

export type ChipFacts = {
  slug: string
  name: string
  vendor: string
  processNode: string | null
  memoryGb: number | null
  memoryType: string | null
  memoryBandwidthGbs: number | null
  interconnectBandwidthGbs: number | null
  bf16Tflops: number | null
  exportStatus: ExportStatus
}

/** The "Chips in this story" table: the figures a reader needs to follow the article. */
export function ChipFactsTable({ chips, caption }: { chips: ChipFacts[]; caption: string }) {
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Chip</th>
            <th scope="col">Process</th>
            <th scope="col">Memory</th>
            <th scope="col" className="num">
              Memory bandwidth
            </th>
            <th scope="col" className="num">
              Chip-to-chip
            </th>
            <th scope="col" className="num">
              Dense BF16
            </th>
            <th scope="col">Export status</th>
          </tr>
        </thead>
        <tbody>
          {chips.map((chip) => (
            <tr key={chip.slug}>
              <th scope="row">
                <Link to={`/chips/${chip.slug}`}>{chip.name}</Link>
                <span className="muted"> {chip.vendor}</span>
              </th>
              <td>{formatText(chip.processNode)}</td>
              <td>{formatMemory(chip.memoryGb, chip.memoryType)}</td>
              <td className="num">{formatBandwidth(chip.memoryBandwidthGbs)}</td>
              <td className="num">{formatBandwidth(chip.interconnectBandwidthGbs)}</td>
              <td className="num">{formatFigure(chip.bf16Tflops, 'TFLOPS')}</td>
              <td>
                <ExportStatusBadge status={chip.exportStatus} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
