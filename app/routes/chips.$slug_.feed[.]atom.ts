import type { LoaderFunctionArgs } from '@remix-run/node'
import { feedResponse } from '#app/lib/feed-response.server.ts'
import { requireSlug } from '#app/lib/http.server.ts'
import { getArticleFeed } from '#app/models/feeds.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'chip')
  return feedResponse(request, await getArticleFeed({ kind: 'chip', slug }), 'atom', 'There is no chip with this feed.')
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
