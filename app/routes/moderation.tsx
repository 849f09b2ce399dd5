import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useLocation } from '@remix-run/react'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { ModerationLogTable } from '#app/components/moderation-log.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { httpError, parseSearchParams } from '#app/lib/http.server.ts'
import { listPublicModerationLog } from '#app/models/moderation.server.ts'
import { PageQuerySchema } from '#app/schemas/pagination.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { page } = parseSearchParams(request, PageQuerySchema)
  const log = await listPublicModerationLog({ page })
  if (page > log.pageCount) httpError(404, `There is no page ${page} of the moderation log.`)
  return log
}

export const meta: MetaFunction = ({ error }) =>
  error
    ? errorMeta(error)
    : [{ title: 'Moderation log — Threadline' }, { name: 'description', content: 'What the moderators of Threadline did, and why.' }]

export default function PublicModerationLog() {
  const log = useLoaderData<typeof loader>()
  const { search } = useLocation()
  return (
    <section aria-labelledby="modlog-title">
      <header className="page-header">
        <h1 id="modlog-title">Moderation log</h1>
        <p className="page-header__lede">
          Every action our moderators take on comments, discussions and members is listed here with its reason, so that moderation happens in the open.
          Private details (reports, emails, removed words) are not.
        </p>
      </header>
      {log.entries.length === 0 ? <p className="empty">No moderation actions yet.</p> : <ModerationLogTable entries={log.entries} showModerator={false} />}
      <Pagination page={log.page} pageCount={log.pageCount} basePath="/moderation" search={search} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
