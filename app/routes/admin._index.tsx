import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { formatNumber } from '#app/lib/format.ts'
import { isStaff } from '#app/lib/roles.ts'
import { authoringRoles, getSiteOverview } from '#app/models/admin.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  // Authors have no overview: their part of the dashboard is writing.
  if (!isStaff(user.role)) throw redirect('/admin/articles')
  return { overview: await getSiteOverview({ actor: user }) }
}

export const meta: MetaFunction = () => [{ title: 'Admin dashboard — Threadline' }]

function DailyChart({ daily }: { daily: { day: string; comments: number }[] }) {
  const max = Math.max(1, ...daily.map((d) => d.comments))
  const width = daily.length * 10
  return (
    <figure className="chart-figure">
      <svg viewBox={`0 0 ${width} 60`} className="chart-svg" role="img" aria-labelledby="chart-caption">
        {daily.map((d, i) => {
          const h = Math.max(d.comments > 0 ? 2 : 0.5, (d.comments / max) * 58)
          return (
            <rect key={d.day} x={i * 10 + 1} y={60 - h} width={8} height={h} rx={1}>
              <title>{`${d.day}: ${d.comments} comments`}</title>
            </rect>
          )
        })}
      </svg>
      <figcaption id="chart-caption" className="muted">
        Comments per day, last 30 days (most: {formatNumber(max)}).
      </figcaption>
    </figure>
  )
}

export default function AdminDashboard() {
  const { overview } = useLoaderData<typeof loader>()
  const figures: [string, number, string?][] = [
    ['Open reports', overview.openReports, '/admin/queue'],
    ['Held comments', overview.heldComments, '/admin/queue'],
    ['Comments, last 24 h', overview.comments24h],
    ['Comments, last 30 days', overview.comments30d],
    ['New members, last 24 h', overview.newMembers24h],
    ['New members, last 30 days', overview.newMembers30d],
    ['Members', overview.members, '/admin/members'],
    ['Published stories', overview.articles, '/admin/articles'],
  ]
  return (
    <section aria-labelledby="admin-title">
      <header className="page-header">
        <p className="eyebrow">Staff</p>
        <h1 id="admin-title">Admin dashboard</h1>
      </header>
      <dl className="stat-grid">
        {figures.map(([label, value, href]) => (
          <div key={label}>
            <dt>{href ? <Link to={href}>{label}</Link> : label}</dt>
            <dd>{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
      <DailyChart daily={overview.daily} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
