import { siteOrigin } from '#app/lib/http.server.ts'

// Private and personal pages are not for crawlers; the sitemap lists what is.
export function loader() {
  const body = [
    'User-agent: *',
    'Disallow: /admin',
    'Disallow: /account',
    'Disallow: /notifications',
    'Disallow: /reset-password',
    'Disallow: /login',
    'Disallow: /signup',
    'Disallow: /search',
    '',
    `Sitemap: ${siteOrigin()}/sitemap.xml`,
    '',
  ].join('\n')
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } })
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
