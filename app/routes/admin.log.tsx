import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useLocation } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { actionLabels, ModerationLogTable } from '#app/components/moderation-log.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { httpError, parseSearchParams } from '#app/lib/http.server.ts'
import { staffRoles } from '#app/models/admin.server.ts'
import { listModerationLog } from '#app/models/moderation.server.ts'
import { LogQuerySchema } from '#app/schemas/moderation.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  const query = parseSearchParams(request, LogQuerySchema)
  const log = await listModerationLog({ actor: user, ...query })
  if (query.page > log.pageCount) httpError(404, `There is no page ${query.page} of the moderation log.`)
  return { query, log }
}

export const meta: MetaFunction = () => [{ title: 'Moderation log — Threadline admin' }]

export default function LogPage() {
  const { query, log } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  return (
    <section aria-labelledby="log-title">
      <header className="page-header">
        <h1 id="log-title">Moderation log</h1>
        <p className="page-header__lede">Everything staff did, and what the rules did on their own.</p>
      </header>
      <Form method="get" className="toolbar" aria-label="Filter the log">
        <div className="field">
          <label htmlFor="log-action">Action</label>
          <select id="log-action" name="action" defaultValue={query.action ?? ''}>
            <option value="">Any action</option>
            {Object.entries(actionLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-moderator">Moderator (username, or “automatic”)</label>
          <input id="log-moderator" name="moderator" defaultValue={query.moderator ?? ''} maxLength={60} />
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </Form>
      {log.entries.length === 0 ? <p className="empty">Nothing matches.</p> : <ModerationLogTable entries={log.entries} showModerator />}
      <Pagination page={log.page} pageCount={log.pageCount} basePath="/admin/log" search={search} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
