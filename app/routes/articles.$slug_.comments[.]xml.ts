import type { LoaderFunctionArgs } from '@remix-run/node'
import { feedResponse } from '#app/lib/feed-response.server.ts'
import { requireSlug } from '#app/lib/http.server.ts'
import { getCommentsFeed } from '#app/models/feeds.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'story')
  return feedResponse(request, await getCommentsFeed({ slug }), 'rss', 'There is no published story with this feed.')
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
