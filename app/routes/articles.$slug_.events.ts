import type { LoaderFunctionArgs } from '@remix-run/node'
import { getAuth } from '#app/auth.server.ts'
import { httpError, requireSlug } from '#app/lib/http.server.ts'
import { findPublicArticleId } from '#app/models/articles.server.ts'
import { subscribeToArticle } from '#app/models/events.server.ts'

const HEARTBEAT_MS = 25_000

// Server-Sent Events for one article's discussion: a line per new comment, fed by Postgres
// LISTEN/NOTIFY (see models/events.server.ts), so it works whichever instance the comment came through.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'story')
  const [articleId, { user }] = await Promise.all([findPublicArticleId({ slug }), getAuth(request)])
  if (articleId === null) httpError(404, 'There is no published story at this address.')

  const encoder = new TextEncoder()
  let stop = () => {}
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          stop()
        }
      }
      send('retry: 5000\n\n')
      const unsubscribe = await subscribeToArticle(articleId, (event) => {
        if (event.type !== 'comment-created') return
        // Only whether it is the reader's own: member ids stay on the server.
        const payload = { id: event.commentId, parentId: event.parentId, own: event.authorId === user?.id }
        send(`event: comment\ndata: ${JSON.stringify(payload)}\n\n`)
      })
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS)
      stop = () => {
        clearInterval(heartbeat)
        unsubscribe()
        try {
          controller.close()
        } catch {
          // Already closed.
        }
      }
      if (request.signal.aborted) stop()
      else request.signal.addEventListener('abort', () => stop(), { once: true })
    },
    cancel() {
      stop()
    },
  })
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    },
  })
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
