/**
 * What an inline script must show to run: this response's nonce, or, for a page rendered once for
 * everyone and kept (the page cache, any HTTP cache), the hashes of the inline scripts it holds.
 */
export type ScriptPermit = { nonce: string } | { hashes: string[] }

/** Security headers every document carries; scripts run only with this request's nonce or the page's hashes. */
export function securityHeaders({ permit, https, development }: { permit: ScriptPermit; https: boolean; development: boolean }): Record<string, string> {
  const scripts = 'nonce' in permit ? `'nonce-${permit.nonce}'` : permit.hashes.map((hash) => `'${hash}'`).join(' ')
  const csp = [
    `default-src 'self'`,
    `script-src 'self'${scripts ? ` ${scripts}` : ''}`,
    // Vite injects styles and opens a websocket in development only.
    development ? `style-src 'self' 'unsafe-inline'` : `style-src 'self'`,
    development ? `connect-src 'self' ws: wss:` : `connect-src 'self'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ')
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  }
  if (https) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains'
  return headers
}

/**
 * What every other response carries (feeds, JSON, files, refusals): the same headers, and a policy
 * that lets such a response load nothing and be framed nowhere if a browser ever renders it.
 */
export function baseSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    ...securityHeaders({ permit: { hashes: [] }, https, development: false }),
    'Content-Security-Policy': `default-src 'none'; frame-ancestors 'none'`,
  }
}
