import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { formatDate, formatNumber } from '#app/lib/format.ts'
import { parseSearchParams } from '#app/lib/http.server.ts'
import { staffRoles } from '#app/models/admin.server.ts'
import { searchMembers } from '#app/models/moderation.server.ts'
import { MemberSearchSchema } from '#app/schemas/moderation.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  const { q = '' } = parseSearchParams(request, MemberSearchSchema)
  return { q, members: await searchMembers({ actor: user, query: q }) }
}

export const meta: MetaFunction = () => [{ title: 'Members — Threadline admin' }]

export default function MembersPage() {
  const { q, members } = useLoaderData<typeof loader>()
  return (
    <section aria-labelledby="members-title">
      <header className="page-header">
        <h1 id="members-title">Members</h1>
      </header>
      <Form method="get" className="toolbar" role="search">
        <div className="field">
          <label htmlFor="member-q">Name, username or email</label>
          <input id="member-q" name="q" type="search" defaultValue={q} maxLength={200} />
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      {members.length === 0 ? (
        <p className="empty">No member matches “{q}”.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="members-caption" tabIndex={0}>
          <table className="data-table">
            <caption id="members-caption">{q ? `Members matching “${q}”` : 'Newest members'}</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col" className="num">
                  Comments
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link to={`/admin/members/${m.id}`}>{m.displayName}</Link> <span className="muted">@{m.username}</span>
                  </th>
                  <td>{m.email}</td>
                  <td>{m.role}</td>
                  <td>{formatDate(m.createdAt)}</td>
                  <td className="num">{formatNumber(m.comments)}</td>
                  <td>{m.bannedAt ? 'Banned' : m.suspendedUntil && new Date(m.suspendedUntil) > new Date() ? 'Suspended' : 'Active'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
