import type { ComponentType, ReactNode } from 'react'
import { authoringRoles, hasRole, isStaff } from '#app/lib/roles.ts'
import { exactTime } from '#app/lib/relative-time.ts'
import type { SignedInMember } from '#app/lib/viewer-overlay.ts'

// The header's account menu and the suspension notice, drawn from what they are given. The app
// renders them with the router's links; the server renders the same markup with plain ones for a
// member's copy of a shared page (app/member-page.server.tsx), where the router is not running yet.

export type MenuParts = {
  Link: ComponentType<{ to: string; className?: string; children: ReactNode }>
  LogoutForm: ComponentType<{ children: ReactNode }>
}

/** Plain elements: the markup the router's <Link> and <Form> write, for the server's splices. */
export const plainParts: MenuParts = {
  Link: ({ to, className, children }) => (
    <a href={to} className={className}>
      {children}
    </a>
  ),
  LogoutForm: ({ children }) => (
    <form method="post" action="/logout">
      {children}
    </form>
  ),
}

export function AccountMenu({ user, unread, parts: { Link, LogoutForm } }: { user: SignedInMember; unread: number; parts: MenuParts }) {
  return (
    <details className="user-menu">
      <summary>
        <span className="visually-hidden">Signed in as </span>
        {user.displayName}
        {unread > 0 ? (
          <span className="badge" aria-label={`, ${unread} unread notifications`}>
            {unread}
          </span>
        ) : null}
      </summary>
      <ul>
        <li>
          <Link to="/account">Account</Link>
        </li>
        <li>
          <Link to="/notifications">Notifications{unread > 0 ? ` (${unread} unread)` : ''}</Link>
        </li>
        {isStaff(user.role) ? (
          <li>
            <Link to="/admin">Admin dashboard</Link>
          </li>
        ) : hasRole(user.role, authoringRoles) ? (
          <li>
            <Link to="/admin/articles">Write and edit</Link>
          </li>
        ) : null}
        <li>
          <LogoutForm>
            <button type="submit" className="link-button">
              Log out
            </button>
          </LogoutForm>
        </li>
      </ul>
    </details>
  )
}

/** A suspended member reads as usual, and is told why they cannot take part, and until when. */
export function SuspensionNotice({ user }: { user: SignedInMember | null }) {
  if (!user?.suspended) return null
  return (
    <p className="notice suspension-banner" role="status">
      Your account is suspended until {exactTime(user.suspended.until)}
      {user.suspended.reason ? `: ${user.suspended.reason}` : ''}. You can read, but not comment, vote or report.
    </p>
  )
}
