import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ChipTable } from '#app/components/chip-table.tsx'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { COMPARE_MAX_CHIPS, COMPARE_MIN_CHIPS } from '#app/lib/chip-compare.ts'
import { exportStatusLabels, pluralize } from '#app/lib/format.ts'
import { parseSearchParams } from '#app/lib/http.server.ts'
import { listChips } from '#app/models/chips.server.ts'
import { ChipListQuerySchema, defaultDirection, type ChipListQuery, type ChipSortKey } from '#app/schemas/chips.ts'
import { exportStatuses } from '#db/enums.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseSearchParams(request, ChipListQuerySchema)
  const dir = query.dir ?? defaultDirection(query.sort)
  const result = await listChips({
    sort: query.sort,
    dir,
    vendor: query.vendor,
    status: query.status,
  })
  return { ...result, query: { ...query, dir } }
}

export const meta: MetaFunction = ({ error }) =>
  error
    ? errorMeta(error)
    : [
        { title: 'Chip database — Threadline' },
        {
          name: 'description',
          content: 'AI accelerators side by side: memory, bandwidth, interconnect, throughput and export-control status.',
        },
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

const COMPARE_FORM_ID = 'compare-form'

export default function ChipsPage() {
  const { chips, vendors, query } = useLoaderData<typeof loader>()
  const filtered = Boolean(query.vendor || query.status)
  return (
    <>
      <header className="page-header">
        <h1>Chip database</h1>
        <p className="page-header__lede">
          The accelerators in our reporting, with the figures their vendors publish and where export rules stand today. Select a column heading to sort by
          it.
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
        <>
          <Form method="get" action="/chips/compare" id={COMPARE_FORM_ID} className="compare-select" aria-label="Compare chips">
            <p className="muted" id="compare-hint">
              Tick {COMPARE_MIN_CHIPS} to {COMPARE_MAX_CHIPS} chips to see them side by side.
            </p>
            <button type="submit" className="button" aria-describedby="compare-hint">
              Compare selected
            </button>
          </Form>
          <ChipTable
            chips={chips}
            caption="AI accelerators and their key figures"
            show={['name', 'vendor', 'process', 'memory', 'bandwidth', 'interconnect', 'bf16', 'tdp', 'year', 'status']}
            sort={{ key: query.sort, dir: query.dir, href: (key) => sortHref(query, key) }}
            selectForm={{ id: COMPARE_FORM_ID, name: 'c', label: (chip) => `Compare ${chip.name}` }}
            className="data-table--chips"
          />
        </>
      ) : (
        <p className="empty">No chip matches these filters.</p>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
