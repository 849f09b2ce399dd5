import { describe, expect, test } from 'vitest'
import crypto from 'node:crypto'
import { inlineScriptHashes, stripNonce } from './script-hashes.server.ts'
import { baseSecurityHeaders, securityHeaders } from './security-headers.ts'

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]))

describe('security headers of a document', () => {
  test('let scripts run only from the site with this response’s nonce, and nothing be framed, embedded or posted elsewhere', () => {
    const headers = securityHeaders({ permit: { nonce: 'n0nce' }, https: false, development: false })
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
    const production = directives(securityHeaders({ permit: { nonce: 'x' }, https: false, development: false })['Content-Security-Policy']!)
    const development = directives(securityHeaders({ permit: { nonce: 'x' }, https: false, development: true })['Content-Security-Policy']!)
    expect(production.get('style-src')).not.toContain('unsafe-inline')
    expect(development.get('style-src')).toBe("'self' 'unsafe-inline'")
    expect(production.get('connect-src')).toBe("'self'")
    expect(development.get('connect-src')).toBe("'self' ws: wss:")
  })

  test('ask for HTTPS from then on only when served over HTTPS', () => {
    expect(securityHeaders({ permit: { nonce: 'x' }, https: true, development: false })['Strict-Transport-Security']).toBe(
      'max-age=31536000; includeSubDomains',
    )
    expect(securityHeaders({ permit: { nonce: 'x' }, https: false, development: false })).not.toHaveProperty('Strict-Transport-Security')
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

  test('a page kept for everyone names the hashes of its inline scripts instead of a nonce', () => {
    const csp = directives(
      securityHeaders({ permit: { hashes: ['sha256-abc=', 'sha256-def='] }, https: false, development: false })['Content-Security-Policy']!,
    )
    expect(csp.get('script-src')).toBe("'self' 'sha256-abc=' 'sha256-def='")
    expect(directives(securityHeaders({ permit: { hashes: [] }, https: false, development: false })['Content-Security-Policy']!).get('script-src')).toBe(
      "'self'",
    )
  })
})

describe('inline script hashes', () => {
  const sha = (text: string) => `sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}`

  test('cover the inline scripts the render marked with its nonce, once each: nothing else runs', () => {
    const html = [
      '<script nonce="N0">window.a = "é"</script>',
      '<script type="module" async nonce="N0">import "/x.js"</script>',
      '<SCRIPT TYPE="text/javascript" nonce="N0">b()</SCRIPT>',
      '<script src="/assets/app.js" nonce="N0"></script>',
      '<script type="application/ld+json">{"@type":"NewsArticle"}</script>',
      '<script type="application/json" id="data">{"a":1}</script>',
      '<script nonce="N0">window.a = "é"</script>',
      '<script nonce="N0"></script>',
      // Markup that reached the page some other way: without the render's nonce, or with a guess.
      '<script>window.__pwned = true</script>',
      '<script nonce="N1">window.__pwned = true</script>',
    ].join('\n')
    expect(inlineScriptHashes(html, 'N0')).toEqual([sha('window.a = "é"'), sha('import "/x.js"'), sha('b()'), sha('')])
    expect(inlineScriptHashes(html, '')).toEqual([])
    expect(stripNonce(html, 'N0')).not.toContain('N0')
    expect(stripNonce(html, 'N0')).toContain('nonce="N1"')
  })
})
