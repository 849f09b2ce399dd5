import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { adminRoles, authoringRoles, hasRole, staffRoles } from '#app/lib/roles.ts'
import type { Role } from '#db/enums.ts'

// The dashboard's frame. Each page below checks its own role too (and its model checks again).
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  return { role: user.role }
}

const sections: { to: string; label: string; roles: Role[]; end?: boolean }[] = [
  { to: '/admin', label: 'Overview', roles: staffRoles, end: true },
  { to: '/admin/queue', label: 'Queue', roles: staffRoles },
  { to: '/admin/discussions', label: 'Discussions', roles: staffRoles },
  { to: '/admin/members', label: 'Members', roles: staffRoles },
  { to: '/admin/articles', label: 'Articles', roles: authoringRoles },
  { to: '/admin/chips', label: 'Chips', roles: authoringRoles },
  { to: '/admin/corrections', label: 'Corrections', roles: authoringRoles },
  { to: '/admin/settings', label: 'Settings', roles: adminRoles },
  { to: '/admin/log', label: 'Log', roles: staffRoles },
]

export default function AdminLayout() {
  const { role } = useLoaderData<typeof loader>()
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label="Dashboard">
        <ul>
          {sections
            .filter((s) => hasRole(role, s.roles))
            .map((s) => (
              <li key={s.to}>
                <NavLink to={s.to} end={s.end}>
                  {s.label}
                </NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <div className="admin-main">
        <Outlet />
      </div>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
