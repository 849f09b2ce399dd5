import { describe, expect, test } from 'vitest'
import type { FeedData, FeedItem } from './feed-response.server.ts'
import {
  FEED_AUTHOR,
  feedExtension,
  feedResponse,
  feedUpdated,
  feedUrls,
  htmlFromText,
  renderFeed,
  xmlAttribute,
  xmlText,
} from './feed-response.server.ts'
import { siteOrigin } from './http.server.ts'

// The feed's rules as pure functions, on data made here (the feed tests in app/models and app/test
// read what the database gives them): escaping, the absolute links, dates and conditional requests.

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  id: '/articles/one',
  title: 'One',
  path: '/articles/one',
  html: '<p>Body</p>',
  summary: 'Summary',
  published: new Date('2026-03-01T10:00:00Z'),
  updated: new Date('2026-03-02T10:00:00Z'),
  authors: ['Ada'],
  categories: [],
  ...over,
})

const feed = (items: FeedItem[], over: Partial<FeedData> = {}): FeedData => ({
  title: 'Threadline',
  description: 'News',
  path: '/',
  feedPath: '/feed',
  items,
  updatedWhenEmpty: new Date('2026-01-01T00:00:00Z'),
  ...over,
})

/** A JSON Feed document, with the fields these tests read. */
const readJsonFeed = (text: string) => JSON.parse(text) as { feed_url: string; items: Record<string, unknown>[] }

describe('escaping', () => {
  test('XML text escapes &, <, > and CR, and drops what XML cannot carry', () => {
    expect(xmlText('a & b < c > d\r e "f" \t\n')).toBe('a &amp; b &lt; c &gt; d&#13; e "f" \t\n')
    expect(xmlText('x\u0000\u0008\u000B\u000C\u001F\uFFFE\uFFFFy')).toBe('xy')
    expect(xmlText('lone \uD800 and \uDC00, pair \uD83D\uDE00')).toBe('lone  and , pair \uD83D\uDE00')
  })

  test('an XML attribute also escapes quotes, tabs and line breaks', () => {
    expect(xmlAttribute('a&b<c>d"e\tf\ng\rh')).toBe('a&amp;b&lt;c&gt;d&quot;e&#9;f&#10;g&#13;h')
    expect(xmlAttribute('x\u0001y')).toBe('xy')
  })

  test('plain text as HTML escapes < and > and each & that could begin a reference, and nothing else', () => {
    expect(htmlFromText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(htmlFromText('&amp; &#38; &x Chips & controls "q" \'s\'')).toBe('&amp;amp; &amp;#38; &amp;x Chips & controls "q" \'s\'')
    expect(htmlFromText('A&1')).toBe('A&amp;1')
  })
})

describe('the feed documents', () => {
  const origin = 'https://threadline.example'

  test('a hostile title is text in every format, never markup', () => {
    const data = feed([item({ title: '<b>bold</b> & ]]>', html: '', summary: '<i>s</i>', authors: ['<u>n</u>'], categories: ['<t>'] })], {
      title: '<h1>T</h1>',
      description: '<d>',
    })
    const rss = renderFeed(data, 'rss', origin)
    expect(rss).toContain('<title>&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp; ]]&amp;gt;</title>')
    expect(rss).toContain('<title>&amp;lt;h1&amp;gt;T&amp;lt;/h1&amp;gt;</title>')
    expect(rss).toContain('<description>&amp;lt;d&amp;gt;</description>')
    expect(rss).toContain('<dc:creator>&amp;lt;u&amp;gt;n&amp;lt;/u&amp;gt;</dc:creator>')
    expect(rss).toContain('<category>&amp;lt;t&amp;gt;</category>')
    // No HTML stored: the summary, escaped, is the content.
    expect(rss).toContain('<content:encoded>&lt;p&gt;&amp;lt;i&amp;gt;s&amp;lt;/i&amp;gt;&lt;/p&gt;</content:encoded>')
    expect(rss).not.toMatch(/<(b|h1|d|u|t|i)>/)
    const atom = renderFeed(data, 'atom', origin)
    expect(atom).toContain('<title type="html">&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp; ]]&amp;gt;</title>')
    expect(atom).toContain('<category term="&amp;lt;t&amp;gt;" label="&amp;lt;t&amp;gt;"/>')
    expect(atom).not.toMatch(/<(b|h1|d|u|t|i)>/)
    const json = readJsonFeed(renderFeed(data, 'json', origin))
    expect(json.items[0]?.title).toBe('<b>bold</b> & ]]>')
    expect(json.items[0]?.tags).toEqual(['<t>'])
  })

  test('links in an item are made absolute, and its own anchors point at its page', () => {
    const html = '<p><a href="/chips/h100">H100</a> <a href="#c5">reply</a> <a href="//evil.example/x">x</a> <a href="/\\evil">y</a></p>'
    const json = readJsonFeed(renderFeed(feed([item({ html, path: '/articles/one#comments' })]), 'json', origin))
    expect(json.items[0]?.content_html).toBe(
      '<p><a href="https://threadline.example/chips/h100">H100</a> <a href="https://threadline.example/articles/one#c5">reply</a> <a href="//evil.example/x">x</a> <a href="/\\evil">y</a></p>',
    )
    expect(json.items[0]?.url).toBe('https://threadline.example/articles/one#comments')
    expect(json.feed_url).toBe('https://threadline.example/feed.json')
  })

  test('an item nobody wrote is credited to the site, and one without categories has none', () => {
    const json = readJsonFeed(renderFeed(feed([item({ authors: [], categories: [] })]), 'json', origin))
    expect(json.items[0]?.authors).toEqual([{ name: FEED_AUTHOR }])
    expect(json.items[0]).not.toHaveProperty('tags')
    const rss = renderFeed(feed([item({ authors: ['Ada', 'Bo'] })]), 'rss', origin)
    expect(rss.match(/<dc:creator>/g)).toHaveLength(2)
  })

  test('the addresses of a feed in its three formats', () => {
    expect(feedUrls(origin, '/chips/h100/feed')).toEqual({
      rss: `${origin}/chips/h100/feed.xml`,
      atom: `${origin}/chips/h100/feed.atom`,
      json: `${origin}/chips/h100/feed.json`,
    })
    expect([feedExtension('rss'), feedExtension('atom'), feedExtension('json')]).toEqual(['xml', 'atom', 'json'])
  })
})

describe('when a feed changed', () => {
  test('its newest item’s update, or the date of what it follows while empty', () => {
    const newest = new Date('2026-05-05T00:00:00Z')
    expect(feedUpdated(feed([item({ updated: new Date('2026-04-01T00:00:00Z') }), item({ updated: newest }), item()]))).toEqual(newest)
    expect(feedUpdated(feed([]))).toEqual(new Date('2026-01-01T00:00:00Z'))
    const atom = renderFeed(feed([item({ updated: newest })]), 'atom', 'https://x.example')
    expect(atom).toContain('<updated>2026-05-05T00:00:00.000Z</updated>')
    expect(renderFeed(feed([item({ updated: newest })]), 'rss', 'https://x.example')).toContain(`<lastBuildDate>${newest.toUTCString()}</lastBuildDate>`)
  })
})

describe('feed responses', () => {
  const data = feed([item({ updated: new Date('2026-03-02T10:00:00.750Z') })])
  const get = (headers: Record<string, string> = {}) => new Request('http://localhost/feed.xml', { headers })

  test('a missing feed is a plain-text 404', async () => {
    const response = feedResponse(get(), null, 'rss', 'No such feed.')
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe('No such feed.\n')
  })

  test('a feed carries its type, validators and caching, and links at the configured origin', async () => {
    for (const [format, type] of [
      ['rss', 'application/rss+xml; charset=utf-8'],
      ['atom', 'application/atom+xml; charset=utf-8'],
      ['json', 'application/feed+json; charset=utf-8'],
    ] as const) {
      const response = feedResponse(get(), data, format, '')
      expect(response.status).toBe(200)
      expect(response.headers.get('Content-Type')).toBe(type)
      expect(response.headers.get('ETag')).toMatch(/^W\/"[A-Za-z0-9_-]+"$/)
      expect(response.headers.get('Last-Modified')).toBe('Mon, 02 Mar 2026 10:00:00 GMT')
      expect(response.headers.get('Cache-Control')).toBe('public, max-age=300, s-maxage=300, stale-while-revalidate=600')
      expect(response.headers.get('Vary')).toBe('Accept-Encoding')
      expect(await response.text()).toContain(`${siteOrigin()}/articles/one`)
    }
    expect(feedResponse(get(), data, 'rss', '').headers.get('ETag')).not.toBe(feedResponse(get(), data, 'atom', '').headers.get('ETag'))
    const edited = feed([item({ title: 'Two', updated: new Date('2026-03-02T10:00:00.750Z') })])
    expect(feedResponse(get(), edited, 'rss', '').headers.get('ETag')).not.toBe(feedResponse(get(), data, 'rss', '').headers.get('ETag'))
  })

  test('a conditional request that matches is a 304 without a body; one that does not gets the feed', async () => {
    const etag = feedResponse(get(), data, 'rss', '').headers.get('ETag')!
    const notModified = feedResponse(get({ 'If-None-Match': `W/"other", ${etag}` }), data, 'rss', '')
    expect(notModified.status).toBe(304)
    expect(notModified.headers.get('ETag')).toBe(etag)
    expect(await notModified.text()).toBe('')
    expect(feedResponse(get({ 'If-None-Match': '*' }), data, 'rss', '').status).toBe(304)
    expect(feedResponse(get({ 'If-None-Match': 'W/"other"' }), data, 'rss', '').status).toBe(200)
    // An ETag that does not match wins over a date that would.
    expect(feedResponse(get({ 'If-None-Match': 'W/"other"', 'If-Modified-Since': 'Tue, 03 Mar 2026 00:00:00 GMT' }), data, 'rss', '').status).toBe(200)
  })

  test('If-Modified-Since: not modified at or after the second it last changed, modified before it', () => {
    const at = (date: string) => feedResponse(get({ 'If-Modified-Since': date }), data, 'rss', '').status
    expect(at('Mon, 02 Mar 2026 10:00:00 GMT')).toBe(304)
    expect(at('Mon, 02 Mar 2026 10:00:01 GMT')).toBe(304)
    expect(at('Mon, 02 Mar 2026 09:59:59 GMT')).toBe(200)
    expect(at('not a date')).toBe(200)
  })
})
