import { describe, expect, it } from 'vitest'
import type { FeedData, FeedItem } from './feed-response.server.ts'
import { checkJsonFeed, checkXmlFeed, parseXmlStrictly, type ExpectedFeed } from '#app/test/feed-check.ts'
import { feedResponse, htmlFromText, renderFeed } from './feed-response.server.ts'

// The renderer on its own, with text that tries every way out of a field: each field of each format
// must come back, through three parsers, as exactly the text or HTML it was given, and the document
// must have no element the renderer did not write. (feeds-hostile.test.ts does the same with the
// whole corpus, stored through the app.)

const origin = 'https://threadline.test'
const nasty = [
  '<script>window.__pwned=true</script>',
  ']]> ]]> ]]>',
  'x]]></description><link>https://evil.example/</link><title>forged</title><![CDATA[',
  ']]]]><![CDATA[><img src=x onerror=window.__pwned=true>',
  '"><img src=x onerror=window.__pwned=true> \'',
  '<!DOCTYPE x [<!ENTITY e "pwned">]><x>&e;</x>',
  '&lt;b&gt; &amp;amp; &#60;i&#62; &copy &nbsp AT&T & more',
  'tab\there, line\nthere, return\r\nend',
  'controls \u0001\u0008\u000b\u000c\u001f\ufffe\uffff and a lone \ud800 surrogate',
]

function item(i: number, text: string, overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `/items/${i}`,
    title: `Title ${i} ${text}`,
    path: `/items/${i}#c${i}`,
    html: `<p>Stored ${i} &lt;em&gt; ]]&gt; <a href="/chips/h200" rel="noopener noreferrer">site</a> <a href="#note" rel="noopener noreferrer">note</a></p>`,
    summary: `Summary ${i} ${text}`,
    published: new Date(Date.UTC(2025, 0, 1 + i)),
    updated: new Date(Date.UTC(2025, 0, 2 + i)),
    authors: [`Author ${i} ${text}`],
    categories: [`Category ${i} ${text}`, `Second ${i}`],
    ...overrides,
  }
}

const data: FeedData = {
  title: `Feed ${nasty.join(' ')}`,
  description: `About ${nasty.join(' ')}`,
  path: '/',
  feedPath: '/feed',
  items: [
    ...nasty.map((text, i) => item(i, text)),
    // With no HTML of its own the item is its summary; with nobody to credit, the site.
    item(nasty.length, nasty[1]!, { html: '', authors: [], categories: [] }),
  ],
  updatedWhenEmpty: new Date(Date.UTC(2020, 5, 6)),
}

// Expected values are the plain text and stored HTML above, with links made absolute.
const expected: ExpectedFeed = {
  title: data.title,
  description: data.description,
  items: data.items.map((i) => ({
    id: `${origin}${i.id}`,
    link: `${origin}${i.path}`,
    title: i.title,
    summary: i.summary,
    authors: i.authors.length ? i.authors : ['Threadline'],
    categories: i.categories,
    html: i.html
      ? i.html.replace('href="/chips', `href="${origin}/chips`).replace('href="#note', `href="${origin}${i.path.replace(/#.*/, '')}#note`)
      : null,
  })),
}

describe('renderFeed', () => {
  it('RSS: every field is its text or HTML, and nothing written in one adds an element', async () => {
    await checkXmlFeed(renderFeed(data, 'rss', origin), 'rss', expected)
  })

  it('Atom: the same, with type="html" text constructs and an author on every entry', async () => {
    await checkXmlFeed(renderFeed(data, 'atom', origin), 'atom', expected)
  })

  it('JSON Feed 1.1: plain text where the format says plain text', () => {
    checkJsonFeed(renderFeed(data, 'json', origin), expected)
  })

  it('keeps tabs, line ends and returns in attributes and text as they were', () => {
    const withSpace = { ...data, items: [item(0, 'x', { categories: ['a\tb\nc\r\nd'] })] }
    const feed = parseXmlStrictly(renderFeed(withSpace, 'atom', origin))
    const entry = feed.children.find((c) => c.name === 'entry')!
    expect(entry.children.find((c) => c.name === 'category')!.attributes.label).toBe('a\tb\nc\r\nd')
    const rss = renderFeed({ ...withSpace, items: [item(0, 'x', { summary: 'one\r\ntwo' })] }, 'rss', origin)
    const description = parseXmlStrictly(rss)
      .children[0]!.children.find((c) => c.name === 'item')!
      .children.find((c) => c.name === 'description')!
    expect(description.text).toBe('one\r\ntwo')
  })

  it('an empty feed carries the date it was given, not 1970', () => {
    const empty = { ...data, items: [] }
    expect(renderFeed(empty, 'rss', origin)).toContain('<lastBuildDate>Sat, 06 Jun 2020 00:00:00 GMT</lastBuildDate>')
    expect(renderFeed(empty, 'atom', origin)).toContain('<updated>2020-06-06T00:00:00.000Z</updated>')
    const response = feedResponse(new Request(`${origin}/feed.xml`), empty, 'rss', '')
    expect(response.headers.get('Last-Modified')).toBe('Sat, 06 Jun 2020 00:00:00 GMT')
  })
})

describe('htmlFromText', () => {
  it('escapes what could become markup or a character reference, and nothing else', () => {
    expect(htmlFromText('<b> & </b> &amp; &#60; &copy AT&T a&-b')).toBe('&lt;b&gt; & &lt;/b&gt; &amp;amp; &amp;#60; &amp;copy AT&amp;T a&-b')
  })
})

describe('ETag', () => {
  it('changes when anything shown changes, such as an author’s name, and answers 304 when nothing has', () => {
    const etag = (d: FeedData) => feedResponse(new Request(`${origin}/feed.xml`), d, 'rss', '').headers.get('ETag')
    const renamed = { ...data, items: data.items.map((i, n) => (n === 0 ? { ...i, authors: ['Someone else'] } : i)) }
    expect(etag(renamed)).not.toBe(etag(data))
    const again = feedResponse(new Request(`${origin}/feed.xml`, { headers: { 'If-None-Match': etag(data)! } }), data, 'rss', '')
    expect(again.status).toBe(304)
  })
})
