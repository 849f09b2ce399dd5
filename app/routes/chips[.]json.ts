import type { LoaderFunctionArgs } from '@remix-run/node'
import { siteOrigin } from '#app/lib/http.server.ts'
import { jsonDataResponse } from '#app/lib/feed-response.server.ts'
import { DATA_LICENCE, exportChipRecords } from '#app/models/chips.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const origin = siteOrigin()
  const records = await exportChipRecords()
  return jsonDataResponse(
    request,
    { licence: DATA_LICENCE, source: `${origin}/chips`, chips: records.map((c) => ({ ...c, url: `${origin}/chips/${c.slug}` })) },
    { 'Cache-Control': 'public, max-age=300, s-maxage=300', 'Access-Control-Allow-Origin': '*' },
  )
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
