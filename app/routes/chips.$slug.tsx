import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { ExportStatusBadge } from '#app/components/export-status.tsx'
import { SubscribeLinks } from '#app/components/subscribe.tsx'
import { canonical, feedLinks, originFrom, socialCard } from '#app/lib/seo.ts'
import { formatBandwidth, formatDate, formatFigure, formatMemory, formatText, isoDate } from '#app/lib/format.ts'
import { httpError, requireSlug } from '#app/lib/http.server.ts'
import { getChip } from '#app/models/chips.server.ts'
import { listCorrectionHistory } from '#app/models/corrections.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'chip')
  const [result, corrections] = await Promise.all([getChip({ slug }), listCorrectionHistory({ chipSlug: slug })])
  if (!result) httpError(404, 'There is no chip at this address. The chip database lists every one we track.')
  return { ...result, corrections }
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Chip not found — Threadline' }]
  const origin = originFrom(matches)
  const path = `/chips/${data.chip.slug}`
  const title = `${data.chip.vendor} ${data.chip.name}: specs and export status — Threadline`
  const description = data.chip.summary || `${data.chip.vendor} ${data.chip.name} figures.`
  return [
    { title },
    { name: 'description', content: description },
    canonical(origin, path),
    ...feedLinks(`${path}/feed`, `Threadline: the ${data.chip.vendor} ${data.chip.name}`),
    ...socialCard({ origin, path, title, description }),
    {
      'script:ld+json': {
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: `${data.chip.vendor} ${data.chip.name}`,
        brand: { '@type': 'Brand', name: data.chip.vendor },
        category: 'AI accelerator',
        description,
        url: `${origin}${path}`,
        additionalProperty: [
          ['Architecture', data.chip.architecture, null],
          ['Process', data.chip.processNode, null],
          ['Memory', data.chip.memoryGb, 'GB'],
          ['Memory bandwidth', data.chip.memoryBandwidthGbs, 'GB/s'],
          ['Chip-to-chip bandwidth', data.chip.interconnectBandwidthGbs, 'GB/s'],
          ['Dense BF16', data.chip.bf16Tflops, 'TFLOPS'],
          ['TDP', data.chip.tdpWatts, 'W'],
          ['Export-control status', data.chip.exportStatus, null],
        ]
          .filter(([, value]) => value !== null && value !== undefined)
          .map(([name, value, unit]) => ({ '@type': 'PropertyValue', name, value, ...(unit ? { unitText: unit } : {}) })),
      },
    },
    { tagName: 'link', rel: 'alternate', type: 'application/json', title: 'Chip record (JSON)', href: `${path}.json` },
  ]
}

export default function ChipPage() {
  const { chip, timeline, discussion, articles, corrections } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const specs: [string, string][] = [
    ['Vendor', chip.vendor],
    ['Architecture', formatText(chip.architecture)],
    ['Process', formatText(chip.processNode)],
    ['Memory', formatMemory(chip.memoryGb, chip.memoryType)],
    ['Memory bandwidth', formatBandwidth(chip.memoryBandwidthGbs)],
    ['Interconnect', formatText(chip.interconnect)],
    ['Chip-to-chip bandwidth', formatBandwidth(chip.interconnectBandwidthGbs)],
    ['Dense BF16 throughput', formatFigure(chip.bf16Tflops, 'TFLOPS')],
    ['Power (TDP)', formatFigure(chip.tdpWatts, 'W')],
    ['Launched', chip.launchYear ? String(chip.launchYear) : 'n/a'],
  ]
  return (
    <article className="chip-page" aria-labelledby="chip-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/chips">Chip database</Link> · {chip.vendor}
        </p>
        <h1 id="chip-title">{chip.name}</h1>
        {chip.summary ? <p className="page-header__lede">{chip.summary}</p> : null}
        <SubscribeLinks feedPath={`/chips/${chip.slug}/feed`} label={`stories on the ${chip.name}`} />
      </header>

      <div className="chip-page__grid">
        <section aria-labelledby="specs-heading">
          <h2 id="specs-heading">Specifications</h2>
          {params.get('corrected') ? (
            <p className="notice" role="status">
              Thank you: your correction was sent to the editors. You will be told what they decide.
            </p>
          ) : null}
          <dl className="spec-list">
            {specs.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <p className="note">
            Spotted a wrong or missing figure? <Link to={`/chips/${chip.slug}/correct`}>Suggest a correction</Link> with a source.
          </p>
          {corrections.length > 0 ? (
            <details className="corrections-history">
              <summary>Corrections made from readers’ sources ({corrections.length})</summary>
              <ul>
                {corrections.map((c) => (
                  <li key={c.id}>
                    {c.fieldLabel}: {c.oldValue} → {c.newValue} ({formatDate(c.decidedAt)},{' '}
                    <a href={c.sourceUrl} rel="nofollow noopener noreferrer">
                      source
                    </a>
                    )
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>

        <section aria-labelledby="export-heading" className="export-box">
          <h2 id="export-heading">Export-control status</h2>
          <p>
            <ExportStatusBadge status={chip.exportStatus} />
            {chip.exportStatusSince ? (
              <span className="muted">
                {' '}
                since <time dateTime={chip.exportStatusSince}>{formatDate(chip.exportStatusSince)}</time>
              </span>
            ) : null}
          </p>
          {chip.exportNote ? <p>{chip.exportNote}</p> : null}
          {chip.sources.length > 0 ? (
            <>
              <h3>Sources</h3>
              <ul className="sources">
                {chip.sources.map((source) => (
                  <li key={source.url + source.label}>
                    <a href={source.url} rel="noopener noreferrer">
                      {source.label}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>

      <section aria-labelledby="timeline-heading" id="timeline">
        <h2 id="timeline-heading">Export-control timeline</h2>
        {timeline.length === 0 ? (
          <p className="empty">No dated decisions recorded for this chip yet.</p>
        ) : (
          <ol className="timeline">
            {timeline.map((event) => (
              <li key={event.id} className="timeline__event">
                <p className="timeline__when">
                  <time dateTime={event.effectiveDate}>{formatDate(event.effectiveDate)}</time>
                  <span className="muted"> · {event.jurisdiction}</span>
                </p>
                <p className="timeline__what">
                  <ExportStatusBadge status={event.status} /> — {event.rule}
                </p>
                {event.note ? <p>{event.note}</p> : null}
                {event.sourceUrl ? (
                  <p className="muted">
                    Source:{' '}
                    <a href={event.sourceUrl} rel="noopener noreferrer">
                      {event.sourceLabel || event.sourceUrl}
                    </a>
                  </p>
                ) : event.sourceLabel ? (
                  <p className="muted">Source: {event.sourceLabel}</p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="talk-heading">
        <h2 id="talk-heading">Latest discussion of the {chip.name}</h2>
        {discussion.length === 0 ? (
          <p className="empty">No comment names this chip yet.</p>
        ) : (
          <ul className="mention-list">
            {discussion.map((d) => (
              <li key={d.commentId}>
                <Link to={`/articles/${d.articleSlug}/comments/${d.commentId}#c${d.commentId}`}>{d.excerpt}</Link>
                <p className="muted">
                  {d.authorName ?? 'Deleted user'} on “{d.articleTitle}” · <time dateTime={isoDate(d.createdAt)}>{formatDate(d.createdAt)}</time>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="mentions-heading">
        <h2 id="mentions-heading">Stories that mention the {chip.name}</h2>
        {articles.length === 0 ? (
          <p className="empty">No published story mentions this chip yet.</p>
        ) : (
          <ul className="mention-list">
            {articles.map((a) => (
              <li key={a.slug}>
                <Link to={`/articles/${a.slug}`}>{a.title}</Link>
                <p className="muted">
                  <time dateTime={isoDate(a.publishedAt)}>{formatDate(a.publishedAt)}</time>
                  {a.authorName ? ` · ${a.authorName}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
