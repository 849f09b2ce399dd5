/**
 * Reads of small tables that nearly every request needs and that rarely change (the site settings,
 * the chip directory comments are linked against), kept in this process.
 *
 * Only while the process hears the database's change events (`listenForChanges` in app/server-runtime.server.ts listens on
 * `threadline_events`, where a trigger on each table announces every write, from any instance):
 * an event for a table drops the entries read from it, and each (re)connection of the listener
 * drops them all, since events may have been missed while it was down. An entry also expires after
 * `MAX_AGE_MS`, which bounds how stale a read can be should events stop arriving unnoticed. With
 * no listener (tests, scripts), every read goes to the database.
 */

type Entry = { tables: readonly string[]; value: Promise<unknown>; expires: number }

const MAX_AGE_MS = 10_000

const state = { listening: false }
const entries = new Map<string, Entry>()

/**
 * `read()`'s result, from this process's copy while it is fresh. Concurrent callers share one read;
 * a failed read is not kept.
 */
export function readThrough<T>(key: string, tables: readonly string[], read: () => PromiseLike<T>): Promise<T> {
  // Promise.resolve runs a query builder once: Drizzle's builders are thenables that query the
  // database again each time they are awaited, so a builder itself must never be what is kept.
  if (!state.listening) return Promise.resolve(read())
  const now = Date.now()
  const cached = entries.get(key)
  if (cached && cached.expires > now) return cached.value as Promise<T>
  const entry: Entry = { tables, value: Promise.resolve(read()), expires: now + MAX_AGE_MS }
  entries.set(key, entry)
  entry.value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key)
  })
  return entry.value as Promise<T>
}

/** A table was written: what was read from it is read again next time. */
export function forgetTable(table: string) {
  for (const [key, entry] of entries) if (entry.tables.includes(table)) entries.delete(key)
}

/**
 * Called by the change-event listener: `true` when it (re)connects, `false` when it is lost. Either
 * way nothing read before can be trusted.
 */
export function setListening(on: boolean) {
  state.listening = on
  entries.clear()
}

/** Handles one payload of the `threadline_events` channel; other event kinds are ignored. */
export function heardChangeEvent(payload: string) {
  try {
    const event = JSON.parse(payload) as { type?: unknown; table?: unknown }
    if (event.type === 'data-changed' && typeof event.table === 'string') forgetTable(event.table)
  } catch {
    // Not ours to read: nothing cached depends on it.
  }
}
