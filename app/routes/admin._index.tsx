import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { formatNumber } from '#app/lib/format.ts'
import { getSiteOverview, staffRoles } from '#app/models/admin.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  return { overview: await getSiteOverview({ actor: user }) }
}

export const meta: MetaFunction = () => [{ title: 'Admin dashboard — Threadline' }]

export default function AdminDashboard() {
  const { overview } = useLoaderData<typeof loader>()
  const figures: [string, number][] = [
    ['Members', overview.members],
    ['New members, last 30 days', overview.newMembers],
    ['Published stories', overview.articles],
    ['Comments', overview.comments],
  ]
  return (
    <section aria-labelledby="admin-title">
      <header className="page-header">
        <p className="eyebrow">Staff</p>
        <h1 id="admin-title">Admin dashboard</h1>
        <p className="page-header__lede">The moderation queue, members and settings arrive here with moderation.</p>
      </header>
      <dl className="stat-grid">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
