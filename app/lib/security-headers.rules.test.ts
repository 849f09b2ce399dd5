import { describe, expect, test } from 'vitest'
import { baseSecurityHeaders, securityHeaders } from './security-headers.ts'

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]))

describe('security headers of a document', () => {
  test('let scripts run only from the site with this response’s nonce, and nothing be framed, embedded or posted elsewhere', () => {
    const headers = securityHeaders({ nonce: 'n0nce', https: false, development: false })
    const csp = directives(headers['Content-Security-Policy']!)
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': "'self'",
      'script-src': "'self' 'nonce-n0nce'",
      'style-src': "'self'",
      'connect-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    })
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    })
    expect(headers['Permissions-Policy']).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()')
  })

  test('allow inline styles and the dev server’s websocket in development only', () => {
    const production = directives(securityHeaders({ nonce: 'x', https: false, development: false })['Content-Security-Policy']!)
    const development = directives(securityHeaders({ nonce: 'x', https: false, development: true })['Content-Security-Policy']!)
    expect(production.get('style-src')).not.toContain('unsafe-inline')
    expect(development.get('style-src')).toBe("'self' 'unsafe-inline'")
    expect(production.get('connect-src')).toBe("'self'")
    expect(development.get('connect-src')).toBe("'self' ws: wss:")
  })

  test('ask for HTTPS from then on only when served over HTTPS', () => {
    expect(securityHeaders({ nonce: 'x', https: true, development: false })['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains')
    expect(securityHeaders({ nonce: 'x', https: false, development: false })).not.toHaveProperty('Strict-Transport-Security')
  })
})

describe('security headers of any other response', () => {
  test('load nothing and are framed nowhere, with the same other headers', () => {
    const headers = baseSecurityHeaders({ https: true })
    expect(headers['Content-Security-Policy']).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(headers['X-Frame-Options']).toBe('DENY')
    expect(headers['X-Content-Type-Options']).toBe('nosniff')
    expect(headers['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains')
    expect(baseSecurityHeaders({ https: false })).not.toHaveProperty('Strict-Transport-Security')
  })
})
