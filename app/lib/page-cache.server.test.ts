import { describe, expect, it } from 'vitest'
import {
  changeEventFrom,
  type ChangeEvent,
  isNotModified,
  isShareable,
  PageCache,
  pageCacheKey,
  pagesChangedBy,
  SHARED_PAGE_CACHE_CONTROL,
  toStoredPage,
} from './page-cache.server.ts'
import { isAnonymousRequest } from './session-cookie.ts'

const csp = `default-src 'self'; script-src 'self' 'sha256-abc='`

function page(body: string, now = Date.now()) {
  return toStoredPage({
    status: 200,
    headers: [
      ['Content-Type', 'text/html'],
      ['Content-Security-Policy', csp],
      ['Cache-Control', 'private, no-cache'],
    ],
    body: Buffer.from(body),
    now,
  })
}

describe('stored pages', () => {
  it('are kept byte for byte with their CSP, a validator and the headers any shared cache may act on', () => {
    const stored = page('<script>1</script><p>abc</p>')
    expect(stored.body.toString()).toBe('<script>1</script><p>abc</p>')
    const headers = Object.fromEntries(stored.headers.map(([n, v]) => [n.toLowerCase(), v]))
    expect(headers['content-security-policy']).toBe(csp)
    expect(headers['cache-control']).toBe(SHARED_PAGE_CACHE_CONTROL)
    expect(headers.vary).toBe('Cookie')
    expect(headers.etag).toBe(stored.etag)
    expect(stored.headers.filter(([n]) => n.toLowerCase() === 'cache-control')).toHaveLength(1)
    // The same bytes, the same validator; others, another.
    expect(page('<script>1</script><p>abc</p>').etag).toBe(stored.etag)
    expect(page('<script>1</script><p>abd</p>').etag).not.toBe(stored.etag)
    expect(isNotModified(stored, { ifNoneMatch: stored.etag })).toBe(true)
    expect(isNotModified(stored, { ifNoneMatch: '"other"' })).toBe(false)
  })
})

describe('PageCache', () => {
  it('serves nothing until enabled, and nothing rendered before an invalidation', () => {
    const cache = new PageCache()
    expect(cache.set('/', cache.generation, page('a'))).toBe(false)
    cache.enabled = true
    const before = cache.generation
    cache.clear()
    expect(cache.set('/', before, page('stale'))).toBe(false)
    expect(cache.set('/', cache.generation, page('fresh'))).toBe(true)
    expect(cache.get('/')?.body.toString()).toBe('fresh')
    cache.clear()
    expect(cache.get('/')).toBeUndefined()
  })

  it('drops only the pages a change names, and refuses a render that such a change overtook', () => {
    const cache = new PageCache({ coalesceMs: 0 })
    cache.enabled = true
    for (const key of ['/a', '/b']) cache.set(key, cache.generation, page(key))
    const before = cache.generation
    cache.invalidate((key) => key === '/a')
    expect(cache.get('/a')).toBeUndefined()
    expect(cache.get('/b')).toBeDefined()
    // Rendered before the change: not stored for the page it changed, stored for another.
    expect(cache.set('/a', before, page('stale'))).toBe(false)
    expect(cache.set('/c', before, page('unaffected'))).toBe(true)
  })

  it('coalesces a storm of invalidations: the first at once, the rest once per window', () => {
    const cache = new PageCache({ coalesceMs: 1000 })
    cache.enabled = true
    cache.set('/a', cache.generation, page('a'))
    cache.invalidate((key) => key === '/a', 10_000)
    expect(cache.get('/a')).toBeUndefined()
    const generation = cache.generation
    cache.set('/a', generation, page('a again'))
    // 99 more changes within the window: the page stays until the window ends, then goes once.
    for (let i = 1; i < 100; i++) cache.invalidate((key) => key === '/a', 10_000 + i)
    expect(cache.get('/a')).toBeDefined()
    expect(cache.generation).toBe(generation)
    cache.flush(11_000)
    expect(cache.get('/a')).toBeUndefined()
    expect(cache.generation).toBe(generation + 1)
    // A clear never waits.
    cache.set('/b', cache.generation, page('b'))
    cache.invalidate('all', 11_001)
    cache.clear()
    expect(cache.get('/b')).toBeUndefined()
  })

  it('forgets pages after their lifetime and the least recently used beyond its bounds', () => {
    const cache = new PageCache({ maxEntries: 2, ttlMs: 1000 })
    cache.enabled = true
    cache.set('/a', 0, page('a', 0))
    cache.set('/b', 0, page('b', 0))
    cache.get('/a', 10)
    cache.set('/c', 0, page('c', 20))
    expect(cache.get('/b', 30)).toBeUndefined()
    expect(cache.get('/a', 30)).toBeDefined()
    expect(cache.get('/a', 5000)).toBeUndefined()
    const small = new PageCache({ maxBytes: 40 })
    small.enabled = true
    expect(small.set('/big', 0, page('x'.repeat(20)))).toBe(false)
  })
})

describe('pageCacheKey', () => {
  const key = (path: string, { method = 'GET', cookie }: { method?: string; cookie?: string } = {}) =>
    pageCacheKey({ method, path, url: `http://h${path}`, anonymous: isAnonymousRequest(cookie) })

  it('takes public pages read anonymously', () => {
    for (const path of [
      '/',
      '/articles/a-story',
      '/articles/a-story/comments/12',
      '/tags/china',
      '/chips',
      '/chips/h200',
      '/feed.xml',
      '/tags/china/feed.atom',
      '/articles/a-story/comments.xml',
    ]) {
      expect(key(path)).toBe(`http://h${path}`)
    }
    expect(key('/articles/a-story', { cookie: 'theme=dark' })).not.toBeNull()
  })

  it('leaves out members, writes, data requests and private pages', () => {
    expect(key('/articles/a-story', { cookie: 'a=1; threadline_session=xyzxyzxyzxyzxyzxyzxyzxyz' })).toBeNull()
    expect(key('/articles/a-story', { cookie: 'a=1; threadline%5Fsession=xyz' })).toBeNull()
    expect(key('/articles/a-story', { method: 'POST' })).toBeNull()
    expect(key('/articles/a-story', { method: 'HEAD' })).toBeNull()
    for (const path of ['/articles/a-story.data', '/account', '/admin', '/search', '/login', '/notifications', '/chips/compare/x']) {
      expect(key(path)).toBeNull()
    }
  })
})

describe('pagesChangedBy', () => {
  const keys = [
    '/',
    '/?page=2',
    '/articles/a-story',
    '/articles/a-story?sort=new',
    '/articles/a-story/comments/12',
    '/articles/a-story/comments.xml',
    '/articles/a-story-sequel',
    '/articles/another',
    '/tags/china',
    '/tags/china/feed.xml',
    '/chips',
    '/chips/h200',
    '/chips/h200/feed.atom',
    '/feed.xml',
  ]
  const dropped = (event: ChangeEvent) => {
    const match = pagesChangedBy(event)
    return keys.filter((key) => match === 'all' || match(key))
  }

  it('a vote reaches its story’s pages only', () => {
    expect(dropped({ table: 'comment_votes', story: 'a-story', scope: 'story' })).toEqual([
      '/articles/a-story',
      '/articles/a-story?sort=new',
      '/articles/a-story/comments/12',
      '/articles/a-story/comments.xml',
    ])
  })

  it('a comment reaches its story’s pages and the lists that count comments, not the feeds', () => {
    expect(dropped({ table: 'comments', story: 'a-story', scope: 'discussion' })).toEqual([
      '/',
      '/?page=2',
      '/articles/a-story',
      '/articles/a-story?sort=new',
      '/articles/a-story/comments/12',
      '/articles/a-story/comments.xml',
      '/tags/china',
      '/chips/h200',
    ])
    expect(dropped({ table: 'chip_mentions', story: 'a-story', scope: 'chip-pages' })).toEqual(['/chips/h200'])
  })

  it('anything else, or a change that names no story, drops every page', () => {
    for (const event of [
      { table: 'comments', story: null, scope: 'discussion' },
      { table: 'articles', story: null, scope: null },
      { table: 'users', story: null, scope: null },
      { table: 'settings', story: null, scope: null },
      { table: 'chips', story: 'a-story', scope: null },
    ] as ChangeEvent[]) {
      expect(pagesChangedBy(event)).toBe('all')
    }
  })

  it('reads only data-changed events', () => {
    expect(changeEventFrom('{"type":"data-changed","table":"comments","story":"a-story","scope":"story"}')).toEqual({
      table: 'comments',
      story: 'a-story',
      scope: 'story',
    })
    expect(changeEventFrom('{"type":"data-changed","table":"tags"}')).toEqual({ table: 'tags', story: null, scope: null })
    expect(changeEventFrom('{"type":"data-changed","table":"comments","story":"a-story","scope":"everything"}')?.scope).toBeNull()
    expect(changeEventFrom('{"type":"comment-created","articleId":1}')).toBeNull()
    expect(changeEventFrom('not json')).toBeNull()
  })
})

describe('what may be shared', () => {
  const headers = (h: Record<string, string>) => new Headers(h)

  it('is a 200 page or feed that sets no cookie and is not private', () => {
    expect(isShareable({ status: 200, headers: headers({ 'Content-Type': 'text/html; charset=utf-8' }) })).toBe(true)
    expect(isShareable({ status: 200, headers: headers({ 'Content-Type': 'application/rss+xml' }) })).toBe(true)
    expect(isShareable({ status: 404, headers: headers({ 'Content-Type': 'text/html' }) })).toBe(false)
    expect(isShareable({ status: 200, headers: headers({ 'Content-Type': 'text/html', 'Set-Cookie': 'a=1' }) })).toBe(false)
    expect(isShareable({ status: 200, headers: headers({ 'Content-Type': 'text/html', 'Cache-Control': 'private' }) })).toBe(false)
    expect(isShareable({ status: 200, headers: headers({ 'Content-Type': 'text/plain' }) })).toBe(false)
  })

  it('answers a conditional request for a stored feed by its validators', () => {
    const feed = toStoredPage({
      status: 200,
      headers: [
        ['ETag', 'W/"v1"'],
        ['Last-Modified', 'Sun, 01 Nov 2026 10:00:00 GMT'],
      ],
      body: Buffer.from('<rss/>'),
    })
    expect(isNotModified(feed, { ifNoneMatch: 'W/"v1"' })).toBe(true)
    expect(isNotModified(feed, { ifNoneMatch: 'W/"v0", W/"v1"' })).toBe(true)
    expect(isNotModified(feed, { ifNoneMatch: 'W/"v0"', ifModifiedSince: 'Mon, 02 Nov 2026 10:00:00 GMT' })).toBe(false)
    expect(isNotModified(feed, { ifModifiedSince: 'Mon, 02 Nov 2026 10:00:00 GMT' })).toBe(true)
    expect(isNotModified(feed, { ifModifiedSince: 'Sat, 31 Oct 2026 10:00:00 GMT' })).toBe(false)
    expect(isNotModified(feed, {})).toBe(false)
  })
})
