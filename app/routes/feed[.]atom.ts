import type { LoaderFunctionArgs } from '@remix-run/node'
import { feedResponse } from '#app/lib/feed-response.server.ts'
import { getArticleFeed } from '#app/models/feeds.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  return feedResponse(request, await getArticleFeed({ kind: 'site' }), 'atom', 'There is no such feed.')
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
