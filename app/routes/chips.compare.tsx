import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { ExportStatusBadge } from '#app/components/export-status.tsx'
import {
  BEST_MARK,
  buildComparison,
  COMPARE_CAPTION_NOTE,
  COMPARE_MAX_CHIPS,
  COMPARE_MIN_CHIPS,
  KEBAB_SLUG,
  splitChipSlugs,
  type CompareCell,
} from '#app/lib/chip-compare.ts'
import { httpError } from '#app/lib/http.server.ts'
import { getChipsForComparison } from '#app/models/compare.server.ts'

const CompareSlugsSchema = z
  .array(
    z
      .string()
      .max(200, { error: 'A chip slug is at most 200 characters.' })
      .regex(KEBAB_SLUG, {
        error: (issue) => `“${String(issue.input)}” is not a chip slug (lowercase letters, digits and hyphens).`,
      }),
  )
  .min(COMPARE_MIN_CHIPS, {
    error: (issue) =>
      `A comparison needs at least ${COMPARE_MIN_CHIPS} chips; this address names ${(issue.input as unknown[]).length}. Choose more on the chip database.`,
  })
  .max(COMPARE_MAX_CHIPS, {
    error: (issue) => `A comparison shows at most ${COMPARE_MAX_CHIPS} chips; this address names ${(issue.input as unknown[]).length}. Choose fewer.`,
  })
  .refine((slugs) => new Set(slugs).size === slugs.length, {
    error: 'Each chip can appear only once in a comparison.',
  })

export async function loader({ request }: LoaderFunctionArgs) {
  // Both `c=a,b` (a typed or shared address) and `c=a&c=b` (the checkboxes on /chips).
  const slugs = splitChipSlugs(new URL(request.url).searchParams.getAll('c'))
  if (slugs.length === 0) return { comparison: null }
  const parsed = CompareSlugsSchema.safeParse(slugs)
  if (!parsed.success) return httpError(400, parsed.error.issues[0]?.message ?? 'We cannot compare those chips.')
  const chips = await getChipsForComparison({ slugs: parsed.data })
  const missing = parsed.data.filter((slug) => !chips.some((c) => c.slug === slug))
  if (missing.length > 0) {
    return httpError(
      404,
      `We have no ${missing.length === 1 ? 'chip' : 'chips'} called ${missing
        .map((s) => `“${s}”`)
        .join(', ')}. Check the chip database for the right names.`,
    )
  }
  return { comparison: buildComparison(chips) }
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error) return errorMeta(error)
  const names = data?.comparison?.chips.map((c) => c.name)
  return [
    {
      title: names ? `Compare ${names.join(', ')} — Threadline` : 'Compare chips — Threadline',
    },
    {
      name: 'description',
      content: 'AI accelerators side by side: memory, bandwidth, throughput, power and export status.',
    },
  ]
}

function Cell({ cell }: { cell: CompareCell }) {
  const content = cell.status ? <ExportStatusBadge status={cell.status} /> : cell.text
  if (!cell.best) return <>{content}</>
  return (
    <>
      <strong>{content}</strong>{' '}
      <span className="compare-best__mark" aria-hidden="true">
        {BEST_MARK}
      </span>
      <span className="visually-hidden"> (best)</span>
    </>
  )
}

export default function ComparePage() {
  const { comparison } = useLoaderData<typeof loader>()
  if (!comparison) {
    return (
      <>
        <header className="page-header">
          <h1>Compare chips</h1>
          <p className="page-header__lede">
            Put {COMPARE_MIN_CHIPS} to {COMPARE_MAX_CHIPS} accelerators side by side: tick them in the <Link to="/chips">chip database</Link> and choose
            “Compare selected”.
          </p>
        </header>
        <p>
          You can also name them in the address, for example{' '}
          <Link to="/chips/compare?c=h200,h100,ascend-910b">
            <code>/chips/compare?c=h200,h100,ascend-910b</code>
          </Link>
          .
        </p>
      </>
    )
  }
  const names = comparison.chips.map((c) => c.name)
  return (
    <>
      <header className="page-header">
        <h1>Compare chips</h1>
        <p className="page-header__lede">{names.join(', ')}, side by side, with the figures their vendors publish. “n/a” means the figure is not known.</p>
      </header>
      <p className="toolbar">
        <Link to="/chips">Choose other chips</Link>
      </p>
      <div className="table-scroll compare" role="region" aria-labelledby="compare-caption" tabIndex={0}>
        <table className="data-table data-table--compare">
          <caption id="compare-caption">
            {names.join(' vs ')} <span className="compare-note">{COMPARE_CAPTION_NOTE}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Figure</th>
              {comparison.chips.map((chip) => (
                <th key={chip.slug} scope="col" className="num">
                  <Link to={`/chips/${chip.slug}`}>{chip.name}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell, i) => (
                  <td
                    key={comparison.chips[i]?.slug ?? i}
                    className={[row.numeric ? 'num' : '', cell.best ? 'compare-best' : ''].filter(Boolean).join(' ') || undefined}
                  >
                    <Cell cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
