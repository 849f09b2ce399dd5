import crypto from 'node:crypto'
import type { SharedDiscussionView } from './viewer-overlay.ts'

// Rendered pages for anonymous readers, kept in this process. A story linked from an aggregator
// brings thousands of readers who all see the same page: they are served from here, and only the
// first of them (per change) pays for the database and the render.
//
// Correctness comes from invalidation, not from short lifetimes: every write to what a public page
// shows announces itself on the events channel (triggers, see migrations 0007 and 0010), and every
// instance drops the pages that show it when one arrives: a comment or a vote names its story, and
// only that story's pages (and, for a comment, the lists that count comments) go; any other change
// drops everything, which is coarse but cannot miss a dependency. Invalidations are coalesced: the
// first after a quiet spell applies at once, later ones at most once per `coalesceMs`, so a storm of
// votes re-renders a story about once a second instead of once per vote. A reader may thus see a
// page up to `coalesceMs` older than the last write. The lifetime below only bounds how stale a
// relative time ("5 minutes ago") can get.
//
// A stored page is kept and served byte for byte, its headers with it: its scripts run by the hashes
// its CSP lists (entry.server.tsx), so any HTTP cache in front may keep it too. Members are served
// the same rendering, with their own part spliced in (app/member-page.server.tsx).

export type StoredPage = {
  status: number
  headers: [string, string][]
  body: Buffer
  /** A strong validator of the body, for conditional requests (documents and feeds alike). */
  etag: string
  /** Whether the body is a document: it goes out with the shared caching headers. */
  html: boolean
  bytes: number
  storedAt: number
  /** A story page's discussion as it showed it, for members' copies (app/member-page.server.tsx). */
  view?: SharedDiscussionView
}

export type PageCacheOptions = { maxEntries?: number; maxBytes?: number; ttlMs?: number; coalesceMs?: number }

/** Which stored pages an invalidation drops: the keys it matches, or all of them. */
export type PageMatch = ((key: string) => boolean) | 'all'

// How many recent invalidations are remembered, to refuse a render that one of them overtook.
const REMEMBERED_INVALIDATIONS = 256

export class PageCache {
  readonly maxEntries: number
  readonly maxBytes: number
  readonly ttlMs: number
  readonly coalesceMs: number
  /** Bumped by every invalidation applied; a render that began before one that matches it is not stored. */
  generation = 0
  private applied: { generation: number; match: PageMatch }[] = []
  private pending: PageMatch[] = []
  private lastApplied = Number.NEGATIVE_INFINITY
  private timer: NodeJS.Timeout | undefined
  /**
   * Off until the change listener is in place. If its connection drops, changes made meanwhile by
   * other instances are missed until it is back (the reconnection empties the cache): the lifetime
   * bounds that window.
   */
  enabled = false
  private entries = new Map<string, StoredPage>()
  private bytes = 0
  readonly inflight = new Map<string, Promise<StoredPage | null>>()

  constructor({ maxEntries = 1000, maxBytes = 128 * 1024 * 1024, ttlMs = 60_000, coalesceMs = 1000 }: PageCacheOptions = {}) {
    this.maxEntries = maxEntries
    this.maxBytes = maxBytes
    this.ttlMs = ttlMs
    this.coalesceMs = coalesceMs
  }

  get size() {
    return this.entries.size
  }

  get(key: string, now = Date.now()): StoredPage | undefined {
    if (!this.enabled) return undefined
    const page = this.entries.get(key)
    if (!page) return undefined
    if (now - page.storedAt > this.ttlMs) {
      this.delete(key)
      return undefined
    }
    // Least recently used goes first: re-inserting moves this entry to the end.
    this.entries.delete(key)
    this.entries.set(key, page)
    return page
  }

  /** Stores `page` unless an invalidation of its key was applied since `generation` was read. */
  set(key: string, generation: number, page: StoredPage): boolean {
    if (!this.enabled || page.bytes > this.maxBytes / 4 || this.invalidatedSince(key, generation)) return false
    this.delete(key)
    this.entries.set(key, page)
    this.bytes += page.bytes
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.delete(oldest)
    }
    return true
  }

  private invalidatedSince(key: string, generation: number) {
    if (generation === this.generation) return false
    const oldest = this.applied[0]
    // Further back than remembered: assume the worst.
    if (!oldest || oldest.generation > generation + 1) return true
    return this.applied.some((i) => i.generation > generation && (i.match === 'all' || i.match(key)))
  }

  /**
   * Drops the pages `match` names, now if none was dropped within `coalesceMs`, else together with
   * any others that arrive meanwhile, once that time is up.
   */
  invalidate(match: PageMatch, now = Date.now()) {
    this.pending.push(match)
    if (now - this.lastApplied >= this.coalesceMs) return this.flush(now)
    this.timer ??= setTimeout(() => this.flush(), this.lastApplied + this.coalesceMs - now)
    this.timer.unref?.()
  }

  /** Applies every pending invalidation. */
  flush(now = Date.now()) {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.length === 0) return
    const match: PageMatch = this.pending.includes('all')
      ? 'all'
      : (
          (pending) => (key: string) =>
            pending.some((m) => (m as (key: string) => boolean)(key))
        )([...this.pending])
    this.pending = []
    this.lastApplied = now
    this.generation++
    this.applied.push({ generation: this.generation, match })
    if (this.applied.length > REMEMBERED_INVALIDATIONS) this.applied.shift()
    for (const key of [...this.entries.keys()]) if (match === 'all' || match(key)) this.delete(key)
  }

  /** Drops every page at once, with whatever was pending: nothing stored can be trusted. */
  clear() {
    this.pending.push('all')
    this.flush()
  }

  private delete(key: string) {
    const page = this.entries.get(key)
    if (!page) return
    this.bytes -= page.bytes
    this.entries.delete(key)
  }
}

/** A rendered page made storable, with a validator of its own if it brought none (feeds bring theirs). */
export function toStoredPage({
  status,
  headers,
  body,
  view,
  now = Date.now(),
}: {
  status: number
  headers: [string, string][]
  body: Buffer
  view?: SharedDiscussionView
  now?: number
}): StoredPage {
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1]
  const etag = header('etag') ?? `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
  const html = (header('content-type') ?? '').startsWith('text/html')
  const kept = headers.filter(([name]) => !/^(?:etag|cache-control|vary)$/i.test(name))
  kept.push(['ETag', etag])
  if (html) kept.push(['Cache-Control', SHARED_PAGE_CACHE_CONTROL], ['Vary', 'Cookie'])
  else for (const name of ['cache-control', 'vary']) if (header(name)) kept.push([name === 'vary' ? 'Vary' : 'Cache-Control', header(name)!])
  return { status, headers: kept, body, etag, html, bytes: body.length, storedAt: now, view }
}

// Public pages and feeds whose content is the same for every anonymous reader. Search, comparison
// and every page with a form of its own are left out: their addresses are unbounded or they are
// rarely hot.
const CACHEABLE_PATHS = [
  /^\/$/,
  /^\/articles\/[a-z0-9-]+$/,
  /^\/articles\/[a-z0-9-]+\/comments\/\d+$/,
  /^\/articles\/[a-z0-9-]+\/comments\.xml$/,
  /^\/tags\/[a-z0-9-]+$/,
  /^\/chips$/,
  /^\/chips\/[a-z0-9-]+$/,
  /^\/feed\.(?:xml|atom|json)$/,
  /^\/(?:tags|chips)\/[a-z0-9-]+\/feed\.(?:xml|atom|json)$/,
]

const SHAREABLE_TYPES = /^(?:text\/html|application\/rss\+xml|application\/atom\+xml|application\/feed\+json)\b/

/** Whether a rendered response may be stored for every anonymous reader: a 200 that sets no cookie. */
export function isShareable({ status, headers }: { status: number; headers: Headers }) {
  return (
    status === 200 &&
    SHAREABLE_TYPES.test(headers.get('Content-Type') ?? '') &&
    !headers.has('Set-Cookie') &&
    !/private|no-store/.test(headers.get('Cache-Control') ?? '')
  )
}

/** Whether a conditional request is answered by the stored page's validators. */
export function isNotModified(page: StoredPage, { ifNoneMatch, ifModifiedSince }: { ifNoneMatch?: string; ifModifiedSince?: string }) {
  if (ifNoneMatch) return ifNoneMatch.split(',').some((tag) => tag.trim() === page.etag || tag.trim() === `W/${page.etag}` || tag.trim() === '*')
  const lastModified = Date.parse(page.headers.find(([n]) => n.toLowerCase() === 'last-modified')?.[1] ?? '')
  const since = Date.parse(ifModifiedSince ?? '')
  return Number.isFinite(lastModified) && Number.isFinite(since) && lastModified <= since
}

/**
 * The cache key of a request an anonymous reader may be served from the cache, else null. Whether the
 * request is anonymous is session-cookie.ts's answer, the one the session check itself uses.
 */
export function pageCacheKey({ method, path, url, anonymous }: { method: string; path: string; url: string; anonymous: boolean }) {
  if (method !== 'GET' || !anonymous) return null
  if (!CACHEABLE_PATHS.some((pattern) => pattern.test(path))) return null
  return url
}

/** Story pages: members are served their shared rendering, with their own part spliced in. */
const MEMBER_SHARED_PATH = /^\/articles\/[a-z0-9-]+$/

/**
 * The cache key of a member's request that the shared rendering answers (mayShareRendering says
 * whether their cookies allow it), else null. The same key as a reader's: one rendering.
 */
export function memberPageKey({ method, path, url, sharable }: { method: string; path: string; url: string; sharable: boolean }) {
  if (method !== 'GET' || !sharable || !MEMBER_SHARED_PATH.test(path)) return null
  return url
}

/**
 * What a write announced (migration 0010): its table and, for a discussion write, its story and how
 * far it reaches: 'story' (that story's pages), 'discussion' (those and the lists that count
 * comments), 'chip-pages' (the chip pages that list discussion). No scope: it may show anywhere.
 */
export type ChangeEvent = { table: string; story: string | null; scope: 'story' | 'discussion' | 'chip-pages' | null }

const scopes = new Set(['story', 'discussion', 'chip-pages'])

/** A payload of the `threadline_events` channel, when it says that data changed; null for other events. */
export function changeEventFrom(payload: string): ChangeEvent | null {
  try {
    const event = JSON.parse(payload) as { type?: unknown; table?: unknown; story?: unknown; scope?: unknown }
    if (event.type !== 'data-changed' || typeof event.table !== 'string') return null
    return {
      table: event.table,
      story: typeof event.story === 'string' ? event.story : null,
      scope: typeof event.scope === 'string' && scopes.has(event.scope) ? (event.scope as ChangeEvent['scope']) : null,
    }
  } catch {
    return null
  }
}

const pathOf = (key: string) => key.split('?', 1)[0]!
const isStoryPage = (story: string) => (key: string) => {
  const path = pathOf(key)
  return path === `/articles/${story}` || path.startsWith(`/articles/${story}/`)
}
// Lists that show how many comments a story has, or the latest discussion naming a chip.
const countsComments = (key: string) => /^\/(?:$|tags\/[a-z0-9-]+$|chips\/[a-z0-9-]+$)/.test(pathOf(key))
const showsChipDiscussion = (key: string) => /^\/chips\/[a-z0-9-]+$/.test(pathOf(key))

/**
 * The stored pages a change makes stale. A discussion write reaches its story's pages (the story, its
 * comments' pages, its comments feed) and, when it changes what is counted, the lists that count
 * comments; a chip mention, the chip pages. Anything else may be shown anywhere: every page goes.
 */
export function pagesChangedBy({ story, scope }: ChangeEvent): PageMatch {
  if (scope === 'chip-pages') return showsChipDiscussion
  if (scope === null || story === null) return 'all'
  const storyPage = isStoryPage(story)
  return scope === 'story' ? storyPage : (key) => storyPage(key) || countsComments(key)
}

/**
 * The Cache-Control of a page every anonymous reader shares. Browsers ask again each time (a 304 when
 * nothing changed); a shared cache in front (deploy/nginx.conf) may answer for 2 s, and for 10 s more
 * while it fetches a fresh copy: unlike this process's cache it hears no invalidation, so what it
 * serves may be that much older than the last write.
 */
export const SHARED_PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=2, stale-while-revalidate=10'
