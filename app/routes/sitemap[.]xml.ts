import { siteOrigin } from '#app/lib/http.server.ts'
import { listSitemapEntries } from '#app/models/sitemap.server.ts'

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

export async function loader() {
  const origin = siteOrigin()
  const entries = await listSitemapEntries()
  const urls = entries.map(
    (e) => `  <url><loc>${escapeXml(origin + e.path)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ''}</url>`,
  )
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
  return new Response(xml, {
    headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=600, s-maxage=600' },
  })
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
