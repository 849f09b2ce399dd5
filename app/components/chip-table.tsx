import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ExportStatusBadge } from '#app/components/export-status.tsx'
import { formatBandwidth, formatFigure, formatMemory, formatText } from '#app/lib/format.ts'
import type { ChipSummary } from '#app/models/chips.server.ts'
import type { ChipSortKey, SortDirection } from '#app/schemas/chips.ts'

type Column = { label: string; numeric?: boolean; cell: (chip: ChipSummary) => ReactNode }

// Every chip figure the site shows in a table, with its unit; "n/a" for what is unknown.
const columns: Record<ChipSortKey, Column> = {
  name: { label: 'Chip', cell: (c) => <Link to={`/chips/${c.slug}`}>{c.name}</Link> },
  vendor: { label: 'Vendor', cell: (c) => c.vendor },
  process: { label: 'Process', cell: (c) => formatText(c.processNode) },
  memory: { label: 'Memory', numeric: true, cell: (c) => formatMemory(c.memoryGb, c.memoryType) },
  bandwidth: { label: 'Memory bandwidth', numeric: true, cell: (c) => formatBandwidth(c.memoryBandwidthGbs) },
  interconnect: { label: 'Chip-to-chip', numeric: true, cell: (c) => formatBandwidth(c.interconnectBandwidthGbs) },
  bf16: { label: 'Dense BF16', numeric: true, cell: (c) => formatFigure(c.bf16Tflops, 'TFLOPS') },
  tdp: { label: 'Power', numeric: true, cell: (c) => formatFigure(c.tdpWatts, 'W') },
  year: { label: 'Launched', numeric: true, cell: (c) => (c.launchYear ? String(c.launchYear) : 'n/a') },
  status: { label: 'Export status', cell: (c) => <ExportStatusBadge status={c.exportStatus} /> },
}

export type ChipTableSort = { key: ChipSortKey; dir: SortDirection; href: (key: ChipSortKey) => string }

/** A table of chips; with `sort`, every heading is a link that sorts by its column (no JS needed). */
export function ChipTable({
  chips,
  caption,
  show,
  sort,
  className,
  selectForm,
}: {
  chips: ChipSummary[]
  caption: string
  show: ChipSortKey[]
  sort?: ChipTableSort
  className?: string
  /** Adds a checkbox per row that belongs to this form (by the `form` attribute): no JavaScript needed. */
  selectForm?: { id: string; name: string; label: (chip: ChipSummary) => string }
}) {
  const captionId = `caption-${show.join('-')}`
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className={className ? `data-table ${className}` : 'data-table'}>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {selectForm ? <th scope="col">Compare</th> : null}
            {show.map((key) => {
              const column = columns[key]
              const active = sort?.key === key
              return (
                <th
                  key={key}
                  scope="col"
                  className={column.numeric ? 'num' : undefined}
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {sort ? (
                    <Link to={sort.href(key)} preventScrollReset>
                      {column.label}
                      <span aria-hidden="true" className="sort-mark">
                        {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </span>
                    </Link>
                  ) : (
                    column.label
                  )}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody>
          {chips.map((chip) => (
            <tr key={chip.slug}>
              {selectForm ? (
                <td>
                  <input
                    type="checkbox"
                    name={selectForm.name}
                    value={chip.slug}
                    form={selectForm.id}
                    id={`${selectForm.id}-${chip.slug}`}
                    aria-label={selectForm.label(chip)}
                  />
                </td>
              ) : null}
              {show.map((key, index) => {
                const column = columns[key]
                return index === 0 ? (
                  <th key={key} scope="row">
                    {column.cell(chip)}
                  </th>
                ) : (
                  <td key={key} className={column.numeric ? 'num' : undefined}>
                    {column.cell(chip)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
