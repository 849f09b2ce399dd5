import { sql } from 'drizzle-orm'
import { database, type Database } from '#app/db.server.ts'

// Discussion events travel through Postgres NOTIFY, so a comment written through one app instance
// reaches readers connected to any other. Each process holds one LISTEN and fans events out to the
// readers it serves.

const CHANNEL = 'threadline_events'

export type DiscussionEvent =
  | { type: 'comment-created'; articleId: number; commentId: number; parentId: number | null; authorId: string }
  | { type: 'comment-changed'; articleId: number; commentId: number }

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]

/** Queues an event inside a transaction: Postgres delivers it only if the transaction commits. */
export async function publishEvent(tx: Transaction | Database, event: DiscussionEvent) {
  await tx.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(event)})`)
}

type Listener = (event: DiscussionEvent) => void
const listenersByArticle = new Map<number, Set<Listener>>()
let listening: Promise<unknown> | undefined

function dispatch(payload: string) {
  let event: DiscussionEvent
  try {
    event = JSON.parse(payload) as DiscussionEvent
  } catch {
    return
  }
  for (const listener of listenersByArticle.get(event.articleId) ?? []) listener(event)
}

/** Calls `listener` with every event of one article's discussion until the returned function runs. */
export async function subscribeToArticle(articleId: number, listener: Listener): Promise<() => void> {
  listening ??= database.listen(CHANNEL, dispatch).catch((error: unknown) => {
    listening = undefined
    throw error
  })
  await listening
  let set = listenersByArticle.get(articleId)
  if (!set) listenersByArticle.set(articleId, (set = new Set()))
  set.add(listener)
  return () => {
    set.delete(listener)
    if (set.size === 0) listenersByArticle.delete(articleId)
  }
}
