import crypto from 'node:crypto'

// Rendered pages for anonymous readers, kept in this process. A story linked from an aggregator
// brings thousands of readers who all see the same page: they are served from here, and only the
// first of them (per change) pays for the database and the render.
//
// Correctness comes from invalidation, not from short lifetimes: every write to what a public page
// shows announces itself on the events channel (a trigger per table, see migration 0007), and every
// instance drops its whole cache when one arrives. Dropping everything is coarse but cannot miss a
// dependency; a page is re-rendered once per change, however many readers follow. The lifetime
// below only bounds how stale a relative time ("5 minutes ago") can get.
//
// Every document carries a fresh CSP nonce: a stored page is kept split at its nonce and joined with
// a new one for each reader, so no two responses share a nonce.

export type StoredPage = {
  status: number
  headers: [string, string][]
  /** The body, split wherever the render's nonce appeared. */
  parts: Buffer[]
  /** The Content-Security-Policy header with `{nonce}` where the nonce goes. */
  cspTemplate: string | null
  bytes: number
  storedAt: number
}

export type PageCacheOptions = { maxEntries?: number; maxBytes?: number; ttlMs?: number }

const NONCE_IN_CSP = /'nonce-([A-Za-z0-9+/=]+)'/

export class PageCache {
  readonly maxEntries: number
  readonly maxBytes: number
  readonly ttlMs: number
  /** Bumped by every invalidation; a render that began before one is not stored. */
  generation = 0
  /**
   * Off until the change listener is in place. If its connection drops, changes made meanwhile by
   * other instances are missed until it is back (the reconnection empties the cache): the lifetime
   * bounds that window.
   */
  enabled = false
  private entries = new Map<string, StoredPage>()
  private bytes = 0
  readonly inflight = new Map<string, Promise<StoredPage | null>>()

  constructor({ maxEntries = 1000, maxBytes = 128 * 1024 * 1024, ttlMs = 60_000 }: PageCacheOptions = {}) {
    this.maxEntries = maxEntries
    this.maxBytes = maxBytes
    this.ttlMs = ttlMs
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

  /** Stores `page` unless the cache was invalidated since `generation` was read. */
  set(key: string, generation: number, page: StoredPage): boolean {
    if (!this.enabled || generation !== this.generation || page.bytes > this.maxBytes / 4) return false
    this.delete(key)
    this.entries.set(key, page)
    this.bytes += page.bytes
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.delete(oldest)
    }
    return true
  }

  /** Drops every page: something they show has changed. */
  clear() {
    this.generation++
    this.entries.clear()
    this.bytes = 0
  }

  private delete(key: string) {
    const page = this.entries.get(key)
    if (!page) return
    this.bytes -= page.bytes
    this.entries.delete(key)
  }
}

/** A rendered page made storable: its body split at the nonce its CSP names. */
export function toStoredPage({
  status,
  headers,
  body,
  now = Date.now(),
}: {
  status: number
  headers: [string, string][]
  body: Buffer
  now?: number
}): StoredPage {
  const csp = headers.find(([name]) => name.toLowerCase() === 'content-security-policy')?.[1] ?? null
  const nonce = csp?.match(NONCE_IN_CSP)?.[1]
  const parts = nonce ? splitBuffer(body, Buffer.from(nonce)) : [body]
  return {
    status,
    headers: headers.filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    parts,
    cspTemplate: csp && nonce ? csp.replace(NONCE_IN_CSP, `'nonce-{nonce}'`) : csp,
    bytes: body.length,
    storedAt: now,
  }
}

/** The stored page with a new nonce in its body and its CSP. */
export function withFreshNonce(page: StoredPage, nonce = crypto.randomBytes(16).toString('base64')) {
  const body = page.parts.length === 1 ? page.parts[0]! : joinBuffers(page.parts, Buffer.from(nonce))
  return { body, csp: page.cspTemplate?.replace('{nonce}', nonce) ?? null }
}

function splitBuffer(buffer: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = []
  let start = 0
  for (let at = buffer.indexOf(separator); at !== -1; at = buffer.indexOf(separator, start)) {
    parts.push(buffer.subarray(start, at))
    start = at + separator.length
  }
  parts.push(buffer.subarray(start))
  return parts
}

function joinBuffers(parts: Buffer[], separator: Buffer): Buffer {
  const list: Buffer[] = []
  parts.forEach((part, i) => {
    if (i > 0) list.push(separator)
    list.push(part)
  })
  return Buffer.concat(list)
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

/** Whether a conditional request is answered by the stored page's validators (feeds carry them). */
export function isNotModified(page: StoredPage, { ifNoneMatch, ifModifiedSince }: { ifNoneMatch?: string; ifModifiedSince?: string }) {
  const header = (name: string) => page.headers.find(([n]) => n.toLowerCase() === name)?.[1]
  const etag = header('etag')
  if (ifNoneMatch) return etag !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
  const lastModified = Date.parse(header('last-modified') ?? '')
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

/** The Cache-Control of a page every anonymous reader shares: shared caches may keep it briefly. */
export const SHARED_PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=30, stale-while-revalidate=60'
