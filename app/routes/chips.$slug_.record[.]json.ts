import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireSlug, siteOrigin } from '#app/lib/http.server.ts'
import { jsonDataResponse } from '#app/lib/feed-response.server.ts'
import { DATA_LICENCE, exportChipRecords } from '#app/models/chips.server.ts'

// Also served as /chips/:slug.json (server.ts maps that address here).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'chip')
  const [chip] = await exportChipRecords({ slug })
  if (!chip) return Response.json({ error: 'There is no chip with this address.' }, { status: 404 })
  const origin = siteOrigin()
  return jsonDataResponse(
    request,
    { licence: DATA_LICENCE, chip: { ...chip, url: `${origin}/chips/${chip.slug}` } },
    { 'Cache-Control': 'public, max-age=300, s-maxage=300', 'Access-Control-Allow-Origin': '*' },
  )
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
