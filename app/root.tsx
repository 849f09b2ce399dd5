import type { LinksFunction, MetaFunction } from '@remix-run/node'
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { useNonce } from '#app/components/nonce.tsx'
import stylesUrl from '#app/styles/app.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesUrl },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [
  { title: 'Threadline — AI chips, export controls and open-source AI' },
  {
    name: 'description',
    content: 'Independent reporting and discussion on AI accelerators, export controls and open-source AI.',
  },
]

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
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
          </div>
        </header>
        <main id="main" className="site-main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Threadline is an independent newsroom covering AI accelerators, export controls and open-source AI.
            Reader-supported, no trackers.
          </p>
        </footer>
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
