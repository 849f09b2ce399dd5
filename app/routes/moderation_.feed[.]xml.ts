import { feedResponse } from '#app/lib/feed-response.server.ts'
import { getModerationFeed } from '#app/models/feeds.server.ts'

export async function loader({ request }: { request: Request }) {
  return feedResponse(request, await getModerationFeed(), 'rss', 'There is no such feed.')
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
