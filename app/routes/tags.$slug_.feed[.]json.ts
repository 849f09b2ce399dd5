import type { LoaderFunctionArgs } from '@remix-run/node'
import { feedResponse } from '#app/lib/feed-response.server.ts'
import { requireSlug } from '#app/lib/http.server.ts'
import { getArticleFeed } from '#app/models/feeds.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'topic')
  return feedResponse(request, await getArticleFeed({ kind: 'tag', slug }), 'json', 'There is no topic with this feed.')
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
