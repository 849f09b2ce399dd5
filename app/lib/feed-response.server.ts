import crypto from 'node:crypto'
import { siteOrigin } from './http.server.ts'

export type FeedFormat = 'rss' | 'atom' | 'json'

// What the writer takes, built by the feeds model. Every field but `html` is plain text: the writer
// escapes it for each format. `html` is stored, sanitised HTML (never Markdown source), or empty
// when the item has only its summary.
export type FeedItem = {
  id: string
  title: string
  path: string
  html: string
  summary: string
  published: Date
  updated: Date
  authors: string[]
  categories: string[]
}

export type FeedData = {
  title: string
  description: string
  /** The page the feed follows, and the base of its own URLs (`${path}/feed.xml` …). */
  path: string
  feedPath: string
  items: FeedItem[]
  /** The feed's date while it has no items: that of the story or chip it follows, or of the site. */
  updatedWhenEmpty: Date
}

const contentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
}
const extensions: Record<FeedFormat, string> = { rss: 'xml', atom: 'atom', json: 'json' }

// Readers poll; shared caches may keep a feed for five minutes and serve it stale while refreshing.
const CACHE_CONTROL = 'public, max-age=300, s-maxage=300, stale-while-revalidate=600'

/** Who an item is credited to when nobody is: every Atom entry needs an author. */
export const FEED_AUTHOR = 'Threadline'

export function feedUrls(origin: string, feedPath: string) {
  return {
    rss: `${origin}${feedPath}.xml`,
    atom: `${origin}${feedPath}.atom`,
    json: `${origin}${feedPath}.json`,
  }
}

// ---------------------------------------------------------------------------------------------
// XML. Every value is escaped as text or as an attribute where it is written, never wrapped in
// CDATA (a "]]>" in what someone typed ends a CDATA section early and lets the rest become markup).
// Markup comes only from the element helper below, whose names are constants of this module.
// ---------------------------------------------------------------------------------------------

// XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF anywhere, even written as references, and a
// reader refuses the whole feed over one; a lone surrogate cannot be encoded at all. Stored text
// keeps them (a comment may hold an escape sequence pasted from a terminal); the XML feeds leave
// them out.
const notXmlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

// A parser turns a CR in text, and a tab, CR or LF in an attribute, into something else unless it
// arrives as a reference.
const xmlReferences: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
}

export function xmlText(text: string): string {
  return text.replace(notXmlCharacters, '').replace(/[&<>\r]/g, (c) => xmlReferences[c]!)
}

export function xmlAttribute(value: string): string {
  return value.replace(notXmlCharacters, '').replace(/[&<>"\t\n\r]/g, (c) => xmlReferences[c]!)
}

type Markup = { readonly markup: string }
type Child = Markup | string | null | undefined | Child[]

function serialise(child: Child): string {
  if (child === null || child === undefined) return ''
  if (typeof child === 'string') return xmlText(child)
  if (Array.isArray(child)) return child.map(serialise).join('')
  return child.markup
}

/** An element; strings among the children are text, attributes left undefined are left out. */
function el(name: string, attributes: Record<string, string | undefined>, ...children: Child[]): Markup {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttribute(value)}"`)
    .join('')
  const content = children.map(serialise).join('')
  return { markup: content ? `<${name}${attrs}>${content}</${name}>` : `<${name}${attrs}/>` }
}

// ---------------------------------------------------------------------------------------------
// What the fields hold. Readers differ in whether they show an RSS title, a description, an author
// or a category as text or as HTML, and many render all of them as HTML: so every human-readable
// field of the XML feeds is HTML, either the sanitised HTML stored for a story or comment, or plain
// text escaped as HTML, which shows the same words either way and never becomes markup. (Atom says
// so with type="html"; JSON Feed names its plain-text and HTML fields apart, so it carries each as
// it is.)
// ---------------------------------------------------------------------------------------------

/**
 * Plain text as the HTML that shows exactly that text: every "<" and ">", and each "&" that could
 * begin a character reference, escaped. An "&" before a space stays as it is, so "Chips & export
 * controls" reads the same to a reader that treats the field as text.
 */
export function htmlFromText(text: string): string {
  return text.replace(/[<>]|&(?=[#A-Za-z0-9])/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))
}

/** The item's HTML with the site's own links made absolute: a feed reader has no page to resolve them against. */
function itemHtml(item: FeedItem, origin: string): string {
  if (!item.html) return `<p>${htmlFromText(item.summary)}</p>`
  const page = `${origin}${item.path.replace(/#.*$/, '')}`
  return item.html.replace(/href="\/(?![/\\])/g, `href="${origin}/`).replace(/href="#/g, `href="${page}#`)
}

const itemAuthors = (item: FeedItem) => (item.authors.length ? item.authors : [FEED_AUTHOR])

function renderRss(data: FeedData, origin: string, updated: Date): string {
  const links = feedUrls(origin, data.feedPath)
  const rss = el(
    'rss',
    {
      version: '2.0',
      'xmlns:atom': 'http://www.w3.org/2005/Atom',
      'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    },
    el(
      'channel',
      {},
      el('title', {}, htmlFromText(data.title)),
      el('link', {}, `${origin}${data.path}`),
      el('description', {}, htmlFromText(data.description)),
      el('language', {}, 'en'),
      el('copyright', {}, `© ${updated.getUTCFullYear()} Threadline`),
      el('lastBuildDate', {}, updated.toUTCString()),
      el('generator', {}, 'Threadline'),
      el('docs', {}, 'https://www.rssboard.org/rss-specification'),
      el('atom:link', { href: links.rss, rel: 'self', type: 'application/rss+xml' }),
      data.items.map((item) =>
        el(
          'item',
          {},
          el('title', {}, htmlFromText(item.title)),
          el('link', {}, `${origin}${item.path}`),
          el('guid', { isPermaLink: 'false' }, `${origin}${item.id}`),
          el('pubDate', {}, item.published.toUTCString()),
          el('description', {}, htmlFromText(item.summary)),
          el('content:encoded', {}, itemHtml(item, origin)),
          // RSS's own <author> must be an email address, which the site never publishes.
          itemAuthors(item).map((name) => el('dc:creator', {}, htmlFromText(name))),
          item.categories.map((name) => el('category', {}, htmlFromText(name))),
        ),
      ),
    ),
  )
  return `<?xml version="1.0" encoding="utf-8"?>\n${rss.markup}\n`
}

function renderAtom(data: FeedData, origin: string, updated: Date): string {
  const links = feedUrls(origin, data.feedPath)
  const html = (text: string) => htmlFromText(text)
  const feed = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': 'en' },
    el('id', {}, `${origin}${data.feedPath}`),
    el('title', { type: 'html' }, html(data.title)),
    el('subtitle', { type: 'html' }, html(data.description)),
    el('updated', {}, updated.toISOString()),
    el('link', { rel: 'alternate', type: 'text/html', href: `${origin}${data.path}` }),
    el('link', { rel: 'self', type: 'application/atom+xml', href: links.atom }),
    el('generator', {}, 'Threadline'),
    el('icon', {}, `${origin}/favicon.ico`),
    el('rights', {}, `© ${updated.getUTCFullYear()} Threadline`),
    data.items.map((item) =>
      el(
        'entry',
        {},
        el('id', {}, `${origin}${item.id}`),
        el('title', { type: 'html' }, html(item.title)),
        el('link', { rel: 'alternate', type: 'text/html', href: `${origin}${item.path}` }),
        el('published', {}, item.published.toISOString()),
        el('updated', {}, item.updated.toISOString()),
        itemAuthors(item).map((name) => el('author', {}, el('name', {}, html(name)))),
        item.categories.map((name) => el('category', { term: html(name), label: html(name) })),
        el('summary', { type: 'html' }, html(item.summary)),
        el('content', { type: 'html' }, itemHtml(item, origin)),
      ),
    ),
  )
  return `<?xml version="1.0" encoding="utf-8"?>\n${feed.markup}\n`
}

/** JSON Feed 1.1: title, summary, author names and tags are plain text there, content_html is HTML. */
function renderJson(data: FeedData, origin: string): string {
  const links = feedUrls(origin, data.feedPath)
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: data.title,
    home_page_url: `${origin}${data.path}`,
    feed_url: links.json,
    description: data.description,
    language: 'en',
    favicon: `${origin}/favicon.ico`,
    items: data.items.map((item) => ({
      id: `${origin}${item.id}`,
      url: `${origin}${item.path}`,
      title: item.title,
      summary: item.summary,
      content_html: itemHtml(item, origin),
      date_published: item.published.toISOString(),
      date_modified: item.updated.toISOString(),
      authors: itemAuthors(item).map((name) => ({ name })),
      ...(item.categories.length ? { tags: item.categories } : {}),
    })),
  })
}

/** When the feed last changed: its newest item, or for an empty feed the date of what it follows. */
export function feedUpdated(data: FeedData): Date {
  return data.items.length ? new Date(Math.max(...data.items.map((i) => i.updated.getTime()))) : data.updatedWhenEmpty
}

export function renderFeed(data: FeedData, format: FeedFormat, origin: string): string {
  const updated = feedUpdated(data)
  if (format === 'rss') return renderRss(data, origin, updated)
  if (format === 'atom') return renderAtom(data, origin, updated)
  return renderJson(data, origin)
}

/**
 * A feed as an HTTP response: absolute URLs, ETag and Last-Modified, and a 304 for a conditional
 * request that matches, without rendering the feed again.
 */
export function feedResponse(request: Request, data: FeedData | null, format: FeedFormat, notFound: string): Response {
  if (!data) return new Response(`${notFound}\n`, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const origin = siteOrigin()
  const lastModified = new Date(Math.floor(feedUpdated(data).getTime() / 1000) * 1000)
  // Everything the feed is made of, so a renamed author or tag changes the tag as an edit does.
  const etag = `W/"${crypto
    .createHash('sha1')
    .update(`${format}\n${origin}\n${JSON.stringify(data)}`)
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
  return new Response(renderFeed(data, format, origin), {
    headers: { ...headers, 'Content-Type': contentTypes[format] },
  })
}

export const feedExtension = (format: FeedFormat) => extensions[format]

/** The newest moment named anywhere in `value` (Date objects, ISO date strings) that is not in the future. */
export function newestDateIn(value: unknown, now = new Date()): Date | null {
  let newest = -Infinity
  const visit = (v: unknown) => {
    let time = NaN
    if (v instanceof Date) time = v.getTime()
    else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) time = Date.parse(v)
    else if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') Object.values(v).forEach(visit)
    if (Number.isFinite(time) && time <= now.getTime() && time > newest) newest = time
  }
  visit(value)
  return Number.isFinite(newest) ? new Date(newest) : null
}

/**
 * A JSON document (the chip data) as an HTTP response with the validators feeds carry: an ETag of
 * its whole body, Last-Modified from the newest date it names, and a 304 for a conditional request
 * that matches (If-None-Match first, as HTTP says, else If-Modified-Since).
 */
export function jsonDataResponse(request: Request, body: unknown, headers: Record<string, string>): Response {
  const json = JSON.stringify(body)
  const etag = `W/"${crypto.createHash('sha1').update(json).digest('base64url')}"`
  const newest = newestDateIn(body) ?? new Date()
  const lastModified = new Date(Math.floor(newest.getTime() / 1000) * 1000)
  const validators = { ...headers, ETag: etag, 'Last-Modified': lastModified.toUTCString(), Vary: 'Accept-Encoding' }
  const ifNoneMatch = request.headers.get('If-None-Match')
  const ifModifiedSince = Date.parse(request.headers.get('If-Modified-Since') ?? '')
  const fresh = ifNoneMatch
    ? ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
    : Number.isFinite(ifModifiedSince) && lastModified.getTime() <= ifModifiedSince
  if (fresh) return new Response(null, { status: 304, headers: validators })
  return new Response(json, { headers: { ...validators, 'Content-Type': 'application/json; charset=utf-8' } })
}
