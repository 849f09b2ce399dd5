import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { formatDateTime } from '#app/components/article-editor.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { ExportStatusBadge } from '#app/components/export-status.tsx'
import { authoringRoles } from '#app/models/admin.server.ts'
import { listChipsForEditing } from '#app/models/chips.server.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  return { chips: await listChipsForEditing({ actor: user }) }
}

export const meta: MetaFunction = () => [{ title: 'Chips — Threadline' }]

export default function ChipsAdminPage() {
  const { chips } = useLoaderData<typeof loader>()
  return (
    <section aria-labelledby="chips-title">
      <header className="page-header">
        <p className="eyebrow">Authoring</p>
        <h1 id="chips-title">Chips</h1>
        <p className="page-header__lede">The chip database readers browse: figures, export status and sources.</p>
      </header>
      <div className="toolbar">
        <Link to="/admin/chips/new" className="button">
          New chip
        </Link>
      </div>
      {chips.length === 0 ? (
        <p className="empty">No chips yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption>{chips.length === 1 ? '1 chip' : `${chips.length} chips`}, by vendor</caption>
            <thead>
              <tr>
                <th scope="col">Chip</th>
                <th scope="col">Vendor</th>
                <th scope="col">Export status</th>
                <th scope="col">Updated (UTC)</th>
                <th scope="col">
                  <span className="visually-hidden">On the site</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {chips.map((chip) => (
                <tr key={chip.slug}>
                  <th scope="row">
                    <Link to={`/admin/chips/${chip.slug}`} aria-label={`Edit ${chip.vendor} ${chip.name}`}>
                      {chip.name}
                    </Link>
                  </th>
                  <td>{chip.vendor}</td>
                  <td>
                    <ExportStatusBadge status={chip.exportStatus} />
                  </td>
                  <td>{formatDateTime(chip.updatedAt, { compact: true })}</td>
                  <td>
                    <Link to={`/chips/${chip.slug}`} aria-label={`View ${chip.vendor} ${chip.name} on the site`}>
                      View
                    </Link>
                  </td>
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
