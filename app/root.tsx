import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { errorDocumentTitle, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { useNonce } from '#app/components/nonce.tsx'
import { getAuth } from '#app/auth.server.ts'
import { siteOrigin } from '#app/lib/http.server.ts'
import stylesUrl from '#app/styles/app.css?url'
import { AccountMenu, SuspensionNotice, type MenuParts } from '#app/components/account-menu.tsx'
import { ViewerProvider, ViewerSlot, useViewerOverlay } from '#app/components/viewer.tsx'
import { ACCOUNT_SLOT, NOTICE_SLOT } from '#app/lib/dom-ids.ts'
import { signedInMember, type SignedInMember } from '#app/lib/viewer-overlay.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request)
  const user = auth.user ? signedInMember(auth.user) : null
  // A renewed session (sliding expiry) goes back to the browser with the page. `shared`: rendered
  // for everyone, so a member's part comes with the overlay (components/viewer.tsx).
  return data(
    { user, origin: siteOrigin(), shared: context.sharedRender === true },
    auth.setCookie ? { headers: { 'Set-Cookie': auth.setCookie } } : undefined,
  )
}

export type RootUser = SignedInMember

/** The signed-in member, from the root loader or a shared page's overlay, anywhere in the tree; null for readers. */
export function useOptionalUser(): RootUser | null {
  const root = useRouteLoaderData<typeof loader>('root')
  const overlay = useViewerOverlay(root?.shared)
  return root?.user ?? overlay?.user ?? null
}

function SuspensionBanner() {
  return <SuspensionNotice user={useOptionalUser()} />
}

const routerParts: MenuParts = {
  Link: (props) => <Link {...props} />,
  LogoutForm: ({ children }) => (
    <Form method="post" action="/logout">
      {children}
    </Form>
  ),
}

function UserMenu() {
  const user = useOptionalUser()
  const location = useLocation()
  if (!user) {
    const here = location.pathname + location.search
    const redirectTo = here === '/' || here.startsWith('/login') || here.startsWith('/signup') ? '' : here
    const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''
    return (
      <ul className="site-nav site-nav--account">
        <li>
          <Link to={`/login${query}`}>Log in</Link>
        </li>
        <li>
          <Link to={`/signup${query}`} className="site-nav__cta">
            Sign up
          </Link>
        </li>
      </ul>
    )
  }
  // The list marks itself read as it opens (in parallel with this loader): on it, nothing is unread.
  const unread = location.pathname === '/notifications' ? 0 : user.unreadNotifications
  return <AccountMenu user={user} unread={unread} parts={routerParts} />
}

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesUrl },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  // Every page offers the site's feeds to feed readers; pages with feeds of their own add those.
  { rel: 'alternate', type: 'application/rss+xml', title: 'Threadline (RSS)', href: '/feed.xml' },
  { rel: 'alternate', type: 'application/atom+xml', title: 'Threadline (Atom)', href: '/feed.atom' },
  { rel: 'alternate', type: 'application/feed+json', title: 'Threadline (JSON Feed)', href: '/feed.json' },
]

export const meta: MetaFunction = ({ error }) => [
  // A route without a title of its own that fails (an unknown address, a route's 404) names the
  // failure, not the home page.
  { title: error ? errorDocumentTitle(error) : 'Threadline — AI chips, export controls and open-source AI' },
  {
    name: 'description',
    content: 'Independent reporting and discussion on AI accelerators, export controls and open-source AI.',
  },
]

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce() || undefined
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <ViewerProvider>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <div className="site-header__inner">
              <Link to="/" className="site-title" aria-label="Threadline, home">
                <img src="/favicon.svg" alt="" width="28" height="28" className="site-title__mark" />
                Threadline
              </Link>
              <nav aria-label="Main">
                <ul className="site-nav">
                  <li>
                    <NavLink to="/" end>
                      Latest
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/chips">Chips</NavLink>
                  </li>
                </ul>
              </nav>
              <Form method="get" action="/search" role="search" className="site-search">
                <label htmlFor="site-search" className="visually-hidden">
                  Search stories and chips
                </label>
                <input id="site-search" name="q" type="search" placeholder="Search stories and chips" maxLength={200} />
                <button type="submit" className="button button--secondary">
                  Search
                </button>
              </Form>
              <ViewerSlot id={ACCOUNT_SLOT}>
                <UserMenu />
              </ViewerSlot>
            </div>
          </header>
          <ViewerSlot id={NOTICE_SLOT}>
            <SuspensionBanner />
          </ViewerSlot>
          <main id="main" className="site-main" tabIndex={-1}>
            {children}
          </main>
          <footer className="site-footer">
            <p>
              Threadline is an independent newsroom covering AI accelerators, export controls and open-source AI. Reader-supported, no trackers.{' '}
              <Link to="/moderation">Moderation log</Link>.
            </p>
          </footer>
        </ViewerProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
