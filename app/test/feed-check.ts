import { parseFeed } from '@rowanmanning/feed-parser'
import * as htmlparser2 from 'htmlparser2'
import Parser from 'rss-parser'
import { SaxesParser, type SaxesTagNS } from 'saxes'
import { expect } from 'vitest'

// What a feed must show of each item, checked through three independent readings of the document:
// a strict XML 1.0 parser with namespaces (saxes), rss-parser (xml2js), and @rowanmanning/feed-parser
// (fast-xml-parser, which decodes entities once more, as many readers do). Every expected value is
// the plain text or stored HTML the database holds; nothing here borrows the renderer's escaping.

export type ExpectedItem = {
  /** Absolute id and link. */
  id: string
  link: string
  title: string
  /** The plain text the summary is made from; a summary may be a shortened start of it. */
  summary: string
  authors: string[]
  categories: string[]
  /** The item's HTML with absolute links, or null when the item is its summary in a paragraph. */
  html: string | null
}

/** `items` are the newest the feed must start with; `total` how many it holds (older ones beyond). */
export type ExpectedFeed = { title: string; description: string; items: ExpectedItem[]; total?: number }
const totalOf = (expected: ExpectedFeed) => expected.total ?? expected.items.length

// Characters XML 1.0 does not allow anywhere in a document: the XML feeds leave them out.
const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
export const inXml = (text: string) => text.replace(xmlForbidden, '')

// ---------------------------------------------------------------------------------------------
// HTML: what a reader that renders a field as HTML gets from it.
// ---------------------------------------------------------------------------------------------

const commentTags = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li']
const allowedTags = new Set([...commentTags, 'h2', 'h3', 'h4', 'hr', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td'])
const allowedAttributes: Record<string, string[]> = { a: ['href', 'rel', 'class', 'data-chip'], ol: ['start'] }

type DomNode = ReturnType<typeof htmlparser2.parseDocument>['children'][number]
function walk(nodes: readonly DomNode[], visit: (node: DomNode) => void) {
  for (const node of nodes) {
    visit(node)
    if ('children' in node) walk(node.children, visit)
  }
}

/** Everything in `html` outside the sanitiser's allowlist: elements, attributes, comments, script. */
export function htmlProblems(html: string): string[] {
  const found: string[] = []
  if (/<script/i.test(html)) found.push('<script')
  walk(htmlparser2.parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true }).children, (node) => {
    if (node.type === htmlparser2.ElementType.Comment || node.type === htmlparser2.ElementType.CDATA || node.type === htmlparser2.ElementType.Directive) {
      found.push(`${node.type} node`)
    }
    if (!('name' in node) || !('attribs' in node)) return
    if (!allowedTags.has(node.name)) found.push(`<${node.name}>`)
    for (const [name, value] of Object.entries(node.attribs)) {
      if (!(allowedAttributes[node.name] ?? []).includes(name)) found.push(`${name}= on <${node.name}>`)
      if (name === 'href' && !/^(https?:|mailto:)/i.test(value)) found.push(`href=${value}`)
    }
  })
  return found
}

/** The text a field shows when rendered as HTML; it must hold no markup at all. */
export function htmlTextOnly(html: string, where: string): string {
  const nodes = htmlparser2.parseDocument(html, { decodeEntities: true }).children
  const markup: string[] = []
  walk(nodes, (node) => {
    if (node.type !== htmlparser2.ElementType.Text) markup.push('name' in node ? `<${node.name}>` : node.type)
  })
  expect(markup, `${where}: markup in a text field: ${html.slice(0, 200)}`).toEqual([])
  return htmlparser2.DomUtils.textContent(nodes)
}

const squash = (text: string) => text.replace(/\s+/g, '')

/** A summary is the text, or its start cut with an ellipsis (whitespace aside), of at most 280 characters. */
function expectSummary(actual: string | null | undefined, full: string, where: string) {
  expect(typeof actual, where).toBe('string')
  if (squash(actual!) === squash(full)) return
  expect(actual!.endsWith('…') && Array.from(actual!).length <= 280, `${where}: ${JSON.stringify(actual)} vs ${JSON.stringify(full.slice(0, 300))}`).toBe(
    true,
  )
  expect(squash(full).startsWith(squash(actual!.slice(0, -1))), `${where}: summary is not the start of the text`).toBe(true)
}

// ---------------------------------------------------------------------------------------------
// The strict reading: every element, attribute and text node exactly as an XML 1.0 parser sees it.
// ---------------------------------------------------------------------------------------------

type XmlElement = { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string }

export function parseXmlStrictly(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const refused: string[] = []
  parser.on('error', (error) => {
    throw error
  })
  parser.on('doctype', () => refused.push('doctype'))
  parser.on('cdata', () => refused.push('CDATA section'))
  parser.on('comment', () => refused.push('comment'))
  parser.on('processinginstruction', () => refused.push('processing instruction'))
  parser.on('opentag', (tag: SaxesTagNS) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value])),
      children: [],
      text: '',
    }
    if (stack.length) stack.at(-1)!.children.push(element)
    else root = element
    stack.push(element)
  })
  parser.on('text', (text) => {
    if (stack.length) stack.at(-1)!.text += text
    else if (text.trim()) refused.push('text outside the root')
  })
  parser.on('closetag', () => stack.pop())
  parser.write(xml).close()
  expect(refused).toEqual([])
  return root!
}

const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name)
const onlyChild = (element: XmlElement, name: string) => {
  const found = childrenNamed(element, name)
  expect(
    found.map((f) => f.name),
    `one <${name}> in <${element.name}>`,
  ).toEqual([name])
  return found[0]!
}
const names = (element: XmlElement) => element.children.map((c) => c.name).sort()

type Found = { title: string; content: string; categories: string[]; authors: string[] }

function checkRssStrictly(xml: string, expected: ExpectedFeed): Found[] {
  const rss = parseXmlStrictly(xml)
  expect(rss.name).toBe('rss')
  expect(rss.attributes['xmlns:dc']).toBe('http://purl.org/dc/elements/1.1/')
  const channel = onlyChild(rss, 'channel')
  expect(names(channel).filter((n) => n !== 'item')).toEqual([
    'atom:link',
    'copyright',
    'description',
    'docs',
    'generator',
    'language',
    'lastBuildDate',
    'link',
    'title',
  ])
  expect(htmlTextOnly(onlyChild(channel, 'title').text, 'channel title')).toBe(inXml(expected.title))
  expect(htmlTextOnly(onlyChild(channel, 'description').text, 'channel description')).toBe(inXml(expected.description))
  const items = childrenNamed(channel, 'item')
  expect(items.length).toBe(totalOf(expected))
  return items.slice(0, expected.items.length).map((item, i) => {
    const want = expected.items[i]!
    const where = `RSS item ${i} ${want.id}`
    // Exactly the elements the renderer writes: nothing a person typed can add one.
    expect(names(item), where).toEqual(
      [
        'content:encoded',
        'description',
        'guid',
        'link',
        'pubDate',
        'title',
        ...want.authors.map(() => 'dc:creator'),
        ...want.categories.map(() => 'category'),
      ].sort(),
    )
    for (const child of item.children) expect(child.children, `${where} <${child.name}>`).toEqual([])
    expect(onlyChild(item, 'guid').text, where).toBe(want.id)
    expect(onlyChild(item, 'link').text, where).toBe(want.link)
    expect(Number.isNaN(Date.parse(onlyChild(item, 'pubDate').text)), where).toBe(false)
    const title = onlyChild(item, 'title').text
    expect(htmlTextOnly(title, `${where} title`)).toBe(inXml(want.title))
    expectSummary(htmlTextOnly(onlyChild(item, 'description').text, `${where} description`), inXml(want.summary), `${where} description`)
    const authors = childrenNamed(item, 'dc:creator').map((c) => c.text)
    expect(
      authors.map((a) => htmlTextOnly(a, `${where} dc:creator`)),
      where,
    ).toEqual(want.authors.map(inXml))
    const categories = childrenNamed(item, 'category').map((c) => c.text)
    expect(categories.map((c) => htmlTextOnly(c, `${where} category`)).sort(), where).toEqual(want.categories.map(inXml).sort())
    const content = onlyChild(item, 'content:encoded').text
    checkContent(content, want, where)
    return { title, content, categories, authors }
  })
}

function checkAtomStrictly(xml: string, expected: ExpectedFeed): Found[] {
  const feed = parseXmlStrictly(xml)
  expect(feed.name).toBe('feed')
  expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom')
  expect(names(feed).filter((n) => n !== 'entry')).toEqual(['generator', 'icon', 'id', 'link', 'link', 'rights', 'subtitle', 'title', 'updated'])
  expect(onlyChild(feed, 'title').attributes.type).toBe('html')
  expect(htmlTextOnly(onlyChild(feed, 'title').text, 'feed title')).toBe(inXml(expected.title))
  expect(htmlTextOnly(onlyChild(feed, 'subtitle').text, 'feed subtitle')).toBe(inXml(expected.description))
  expect(Number.isNaN(Date.parse(onlyChild(feed, 'updated').text))).toBe(false)
  const entries = childrenNamed(feed, 'entry')
  expect(entries.length).toBe(totalOf(expected))
  return entries.slice(0, expected.items.length).map((entry, i) => {
    const want = expected.items[i]!
    const where = `Atom entry ${i} ${want.id}`
    expect(names(entry), where).toEqual(
      [
        'content',
        'id',
        'link',
        'published',
        'summary',
        'title',
        'updated',
        ...want.authors.map(() => 'author'),
        ...want.categories.map(() => 'category'),
      ].sort(),
    )
    expect(onlyChild(entry, 'id').text, where).toBe(want.id)
    expect(onlyChild(entry, 'link').attributes.href, where).toBe(want.link)
    for (const name of ['title', 'summary', 'content']) expect(onlyChild(entry, name).attributes.type, `${where} ${name}`).toBe('html')
    const title = onlyChild(entry, 'title').text
    expect(htmlTextOnly(title, `${where} title`)).toBe(inXml(want.title))
    expectSummary(htmlTextOnly(onlyChild(entry, 'summary').text, `${where} summary`), inXml(want.summary), `${where} summary`)
    // Every entry has an author with a name, and nothing else in it.
    const authors = childrenNamed(entry, 'author').map((a) => {
      expect(names(a), where).toEqual(['name'])
      return onlyChild(a, 'name').text
    })
    expect(
      authors.map((a) => htmlTextOnly(a, `${where} author`)),
      where,
    ).toEqual(want.authors.map(inXml))
    const categories = childrenNamed(entry, 'category').map((c) => {
      expect(Object.keys(c.attributes).sort(), where).toEqual(['label', 'term'])
      return c.attributes.label!
    })
    expect(categories.map((c) => htmlTextOnly(c, `${where} category`)).sort(), where).toEqual(want.categories.map(inXml).sort())
    const content = onlyChild(entry, 'content').text
    checkContent(content, want, where)
    return { title, content, categories, authors }
  })
}

function checkContent(content: string, want: ExpectedItem, where: string) {
  expect(htmlProblems(content), `${where} content: ${content.slice(0, 300)}`).toEqual([])
  if (want.html !== null) {
    expect(content, `${where} content`).toBe(inXml(want.html))
  } else {
    const doc = htmlparser2.parseDocument(content, { decodeEntities: true })
    expect(
      doc.children.map((c) => ('name' in c ? c.name : c.type)),
      `${where} content`,
    ).toEqual(['p'])
    expect(htmlparser2.DomUtils.textContent(doc.children), `${where} content`).toBe(inXml(want.summary))
  }
}

// ---------------------------------------------------------------------------------------------
// The three readings of an XML feed, and the reading of a JSON Feed.
// ---------------------------------------------------------------------------------------------

const rssParser = new Parser()

/** Checks an RSS 2.0 or Atom document against what it must show, through all three parsers. */
export async function checkXmlFeed(xml: string, format: 'rss' | 'atom', expected: ExpectedFeed) {
  const strict = format === 'rss' ? checkRssStrictly(xml, expected) : checkAtomStrictly(xml, expected)

  // rss-parser reads the same fields as the strict parser did.
  const loose = await rssParser.parseString(xml)
  expect(loose.items.length).toBe(totalOf(expected))
  loose.items.slice(0, expected.items.length).forEach((item, i) => {
    const want = expected.items[i]!
    const where = `rss-parser ${format} item ${i} ${want.id}`
    expect(item.link, where).toBe(want.link)
    expect(format === 'rss' ? item.guid : item.id, where).toBe(want.id)
    expect(item.title ?? '', where).toBe(strict[i]!.title)
    expect(format === 'rss' ? item['content:encoded'] : item.content, where).toBe(strict[i]!.content)
    if (format === 'rss') {
      expect(item.categories ?? [], where).toEqual(strict[i]!.categories)
      expect(item.creator, where).toBe(strict[i]!.authors[0])
    } else {
      expect(item.author, where).toBe(strict[i]!.authors[0])
    }
  })

  // @rowanmanning/feed-parser turns every text field into plain text: it must be the text itself.
  const feed = parseFeed(xml)
  const plain = (text: string) => inXml(text).trim()
  expect(feed.title).toBe(plain(expected.title))
  expect(feed.items.length).toBe(totalOf(expected))
  feed.items.slice(0, expected.items.length).forEach((item, i) => {
    const want = expected.items[i]!
    const where = `feed-parser ${format} item ${i} ${want.id}`
    expect(item.id, where).toBe(want.id)
    expect(item.url, where).toBe(want.link)
    expect(item.title ?? '', where).toBe(plain(want.title))
    if (plain(want.summary)) expectSummary(item.description, plain(want.summary), where)
    if (format === 'atom') {
      expect(
        item.authors.map((a) => a.name),
        where,
      ).toEqual(want.authors.map(plain))
      // Category labels it reads as the Atom spec says, without decoding: the HTML that shows the name.
      expect(item.categories.map((c) => htmlTextOnly(c.label ?? '', where).trim()).sort(), where).toEqual(want.categories.map(plain).sort())
    } else {
      // It reads an RSS author as an address ("Name <mail>"), so only the count is its to check.
      expect(item.authors.length, where).toBe(want.authors.length)
      expect(item.categories.map((c) => c.label).sort(), where).toEqual(want.categories.map(plain).sort())
    }
    expect(item.content, where).toBeTruthy()
  })
}

/** Checks a JSON Feed 1.1 document: plain text where the format says plain text, allowed HTML in content_html. */
export function checkJsonFeed(json: string, expected: ExpectedFeed) {
  const feed = JSON.parse(json) as {
    version: string
    title: string
    description: string
    items: { id: string; url: string; title: string; summary: string; content_html: string; authors: { name: string }[]; tags?: string[] }[]
  }
  expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
  expect(feed.title).toBe(expected.title)
  expect(feed.description).toBe(expected.description)
  expect(feed.items.length).toBe(totalOf(expected))
  feed.items.slice(0, expected.items.length).forEach((item, i) => {
    const want = expected.items[i]!
    const where = `JSON item ${i} ${want.id}`
    expect(item.id, where).toBe(want.id)
    expect(item.url, where).toBe(want.link)
    expect(item.title, where).toBe(want.title)
    expectSummary(item.summary, want.summary, where)
    expect(
      item.authors.map((a) => a.name),
      where,
    ).toEqual(want.authors)
    expect([...(item.tags ?? [])].sort(), where).toEqual([...want.categories].sort())
    expect(htmlProblems(item.content_html), where).toEqual([])
    if (want.html !== null) expect(item.content_html, where).toBe(want.html)
  })
}
