import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { ExportStatusBadge } from '#app/components/export-status.tsx'
import {
  exportStatusLabels,
  formatBandwidth,
  formatFigure,
  formatMemory,
  formatText,
  pluralize,
} from '#app/lib/format.ts'
import { parseSearchParams } from '#app/lib/http.server.ts'
import { listChips } from '#app/models/chips.server.ts'
import { ChipListQuerySchema, defaultDirection, type ChipListQuery, type ChipSortKey } from '#app/schemas/chips.ts'
import { exportStatuses } from '#db/enums.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseSearchParams(request, ChipListQuerySchema)
  const dir = query.dir ?? defaultDirection(query.sort)
  const result = await listChips({ sort: query.sort, dir, vendor: query.vendor, status: query.status })
  return { ...result, query: { ...query, dir } }
}

export const meta: MetaFunction = () => [
  { title: 'Chip database — Threadline' },
  {
    name: 'description',
    content: 'AI accelerators side by side: memory, bandwidth, interconnect, throughput and export-control status.',
  },
]

const columns: { key: ChipSortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Chip' },
  { key: 'vendor', label: 'Vendor' },
  { key: 'process', label: 'Process' },
  { key: 'memory', label: 'Memory', numeric: true },
  { key: 'bandwidth', label: 'Memory bandwidth', numeric: true },
  { key: 'interconnect', label: 'Chip-to-chip', numeric: true },
  { key: 'bf16', label: 'Dense BF16', numeric: true },
  { key: 'tdp', label: 'Power', numeric: true },
  { key: 'year', label: 'Launched', numeric: true },
  { key: 'status', label: 'Export status' },
]

function sortHref(query: Required<Pick<ChipListQuery, 'sort' | 'dir'>> & ChipListQuery, key: ChipSortKey) {
  const params = new URLSearchParams()
  params.set('sort', key)
  const dir = query.sort === key ? (query.dir === 'asc' ? 'desc' : 'asc') : defaultDirection(key)
  params.set('dir', dir)
  if (query.vendor) params.set('vendor', query.vendor)
  if (query.status) params.set('status', query.status)
  return `/chips?${params.toString()}`
}

export default function ChipsPage() {
  const { chips, vendors, query } = useLoaderData<typeof loader>()
  const filtered = Boolean(query.vendor || query.status)
  return (
    <>
      <header className="page-header">
        <h1>Chip database</h1>
        <p className="page-header__lede">
          The accelerators in our reporting, with the figures their vendors publish and where export rules stand
          today. Select a column heading to sort by it.
        </p>
      </header>

      <Form method="get" className="filters" aria-label="Filter chips">
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="dir" value={query.dir} />
        <div className="field">
          <label htmlFor="filter-vendor">Vendor</label>
          <select id="filter-vendor" name="vendor" defaultValue={query.vendor ?? ''}>
            <option value="">All vendors</option>
            {vendors.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Export status</label>
          <select id="filter-status" name="status" defaultValue={query.status ?? ''}>
            <option value="">Any status</option>
            {exportStatuses.map((s) => (
              <option key={s} value={s}>
                {exportStatusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Filter
        </button>
        {filtered ? (
          <Link to={`/chips?sort=${query.sort}&dir=${query.dir}`} className="filters__clear">
            Clear filters
          </Link>
        ) : null}
      </Form>

      <p className="muted" role="status">
        {pluralize(chips.length, 'chip')}
        {filtered ? ' match these filters' : ''}.
      </p>

      {chips.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="chip-table-caption" tabIndex={0}>
          <table className="data-table data-table--chips">
            <caption id="chip-table-caption">AI accelerators and their key figures</caption>
            <thead>
              <tr>
                {columns.map((column) => {
                  const active = query.sort === column.key
                  return (
                    <th
                      key={column.key}
                      scope="col"
                      className={column.numeric ? 'num' : undefined}
                      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      <Link to={sortHref(query, column.key)} preventScrollReset>
                        {column.label}
                        <span aria-hidden="true" className="sort-mark">
                          {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                        </span>
                      </Link>
                    </th>
                  )
                })}
              </tr>
            </thead>
            <tbody>
              {chips.map((chip) => (
                <tr key={chip.slug}>
                  <th scope="row">
                    <Link to={`/chips/${chip.slug}`}>{chip.name}</Link>
                  </th>
                  <td>{chip.vendor}</td>
                  <td>{formatText(chip.processNode)}</td>
                  <td className="num">{formatMemory(chip.memoryGb, chip.memoryType)}</td>
                  <td className="num">{formatBandwidth(chip.memoryBandwidthGbs)}</td>
                  <td className="num">{formatBandwidth(chip.interconnectBandwidthGbs)}</td>
                  <td className="num">{formatFigure(chip.bf16Tflops, 'TFLOPS')}</td>
                  <td className="num">{formatFigure(chip.tdpWatts, 'W')}</td>
                  <td className="num">{chip.launchYear ?? 'n/a'}</td>
                  <td>
                    <ExportStatusBadge status={chip.exportStatus} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">No chip matches these filters.</p>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
