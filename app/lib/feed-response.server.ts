import crypto from 'node:crypto'
import { Feed } from 'feed'
import type { FeedData } from '#app/models/feeds.server.ts'
import { siteOrigin } from './http.server.ts'

export type FeedFormat = 'rss' | 'atom' | 'json'

const contentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
}
const extensions: Record<FeedFormat, string> = { rss: 'xml', atom: 'atom', json: 'json' }

// Readers poll; shared caches may keep a feed for five minutes and serve it stale while refreshing.
const CACHE_CONTROL = 'public, max-age=300, s-maxage=300, stale-while-revalidate=600'

export function feedUrls(origin: string, feedPath: string) {
  return {
    rss: `${origin}${feedPath}.xml`,
    atom: `${origin}${feedPath}.atom`,
    json: `${origin}${feedPath}.json`,
  }
}

function escapeText(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF anywhere, even written as references, and a
// reader refuses the whole feed over one. Stored text keeps them (a comment may hold an escape
// sequence pasted from a terminal); the XML feeds leave them out. They never occur in markup.
const notXmlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

// The feed package escapes only "&" (and xml-js only '"') in attribute values, and a "<" is not
// allowed in one: a tag named "<b>bold</b>" would make the Atom feed, which puts tag names in
// <category label="…">, unreadable. Attribute values hold no raw '"', so each is matched whole.
const categoryTag = /<category((?:\s+[\w:-]+="[^"]*")*)(\s*\/?>)/g

function wellFormedXml(xml: string) {
  return xml
    .replace(notXmlCharacters, '')
    .replace(categoryTag, (_tag, attributes: string, end: string) => `<category${attributes.replace(/</g, '&lt;').replace(/>/g, '&gt;')}${end}`)
}

function render(data: FeedData, format: FeedFormat, origin: string, updated: Date) {
  const links = feedUrls(origin, data.feedPath)
  const feed = new Feed({
    id: `${origin}${data.feedPath}`,
    title: data.title,
    description: data.description,
    link: `${origin}${data.path}`,
    language: 'en',
    updated,
    generator: 'Threadline',
    feedLinks: { rss: links.rss, atom: links.atom, json: links.json },
    favicon: `${origin}/favicon.ico`,
    copyright: `© ${updated.getUTCFullYear()} Threadline`,
  })
  for (const item of data.items) {
    feed.addItem({
      id: `${origin}${item.id}`,
      guid: `${origin}${item.id}`,
      title: item.title,
      link: `${origin}${item.path}`,
      date: item.updated,
      published: item.published,
      description: item.summary,
      // Links within the site become absolute: a feed reader has no page to resolve them against.
      content: item.html ? item.html.replace(/href="\/(?!\/)/g, `href="${origin}/`) : `<p>${escapeText(item.summary)}</p>`,
      author: item.authors.length ? item.authors.map((name) => ({ name })) : undefined,
      category: item.categories.map((name) => ({ name })),
    })
  }
  if (format === 'rss') return wellFormedXml(feed.rss2())
  if (format === 'atom') return wellFormedXml(feed.atom1())
  // The package writes JSON Feed 1; readers expect 1.1 now: a version and `authors` lists.
  const json = JSON.parse(feed.json1()) as Record<string, unknown> & { items: Record<string, unknown>[] }
  json.version = 'https://jsonfeed.org/version/1.1'
  json.language = 'en'
  delete json.author
  json.items = json.items.map((item, i) => {
    const { author: _author, ...rest } = item
    const authors = data.items[i]!.authors.map((name) => ({ name }))
    return authors.length ? { ...rest, authors } : rest
  })
  return JSON.stringify(json)
}

/**
 * A feed as an HTTP response: absolute URLs, ETag and Last-Modified, and a 304 for a conditional
 * request that matches, without rendering the feed again.
 */
export function feedResponse(request: Request, data: FeedData | null, format: FeedFormat, notFound: string): Response {
  if (!data) return new Response(`${notFound}\n`, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const origin = siteOrigin()
  const updated = new Date(Math.max(0, ...data.items.map((i) => i.updated.getTime())))
  const lastModified = new Date(Math.floor(updated.getTime() / 1000) * 1000)
  const etag = `W/"${crypto
    .createHash('sha1')
    .update([format, origin, data.title, ...data.items.map((i) => `${i.id}@${i.updated.getTime()}`)].join('\n'))
    .digest('base64url')}"`
  const headers = {
    ETag: etag,
    'Last-Modified': lastModified.toUTCString(),
    'Cache-Control': CACHE_CONTROL,
    Vary: 'Accept-Encoding',
  }
  const ifNoneMatch = request.headers.get('If-None-Match')
  const ifModifiedSince = Date.parse(request.headers.get('If-Modified-Since') ?? '')
  const fresh = ifNoneMatch
    ? ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
    : Number.isFinite(ifModifiedSince) && lastModified.getTime() <= ifModifiedSince
  if (fresh) return new Response(null, { status: 304, headers })
  return new Response(render(data, format, origin, updated), {
    headers: { ...headers, 'Content-Type': contentTypes[format] },
  })
}

export const feedExtension = (format: FeedFormat) => extensions[format]
