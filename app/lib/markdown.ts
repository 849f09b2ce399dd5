import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

// Markdown is rendered and sanitised once, when it is written, and the HTML is stored. Raw HTML in
// the source never renders (markdown-it's `html: false` escapes it), and the sanitiser is the second
// wall: only the elements and attributes below survive, and only http(s) and mailto links.

export type MarkdownProfile = 'article' | 'comment'

type Parser = InstanceType<typeof MarkdownIt>

/**
 * markdown-it stops reading blocks at its nesting limit and drops every line to the end of the
 * enclosing block, which for a list item is the rest of the document: fifty nested "- " would make
 * everything written after them vanish. Past the limit, the lines that belong to the block are kept
 * as a plain paragraph instead, and parsing carries on after them.
 */
function keepTextPastNestingLimit(md: Parser): Parser {
  const tokenize = md.block.tokenize.bind(md.block)
  md.block.tokenize = (state, startLine, endLine) => {
    if (state.level < md.options.maxNesting) return tokenize(state, startLine, endLine)
    const first = state.skipEmptyLines(startLine)
    let line = first
    // The block's own lines, as the parser would have read them: up to the first one outdented.
    while (line < endLine && (state.isEmpty(line) || state.sCount[line]! >= state.blkIndent)) line++
    const text = first < line ? state.getLines(first, line, state.blkIndent, false).trim() : ''
    if (text) {
      state.push('paragraph_open', 'p', 1).map = [first, line]
      const inline = state.push('inline', '', 0)
      inline.content = text
      inline.map = [first, line]
      inline.children = []
      state.push('paragraph_close', 'p', -1)
    }
    state.line = line
  }
  return md
}

/**
 * Comments are Markdown without HTML, and an HTML character reference is HTML: a member who types
 * `&lt;script&gt;` or `&#x09;` sees exactly that. Nothing in a comment decodes a reference, not its
 * text and not its link destinations (only Markdown's backslash escapes are undone there), and a
 * link's text is the address as typed, not one percent-decoded or turned from punycode into
 * look-alike letters.
 *
 * Articles keep CommonMark's references: authors write them on purpose (`&nbsp;`, `&mdash;`, `&euro;`),
 * next to the typographer's quotes and dashes, and what they mean is checked in the editor's preview.
 */
function showReferencesAsTyped(md: Parser): Parser {
  md.disable('entity')
  const parseLinkDestination = md.helpers.parseLinkDestination
  md.helpers.parseLinkDestination = (str, start, max) => {
    const result = parseLinkDestination(str, start, max)
    if (!result.ok) return result
    const raw = str.slice(start, result.pos)
    const destination = raw.startsWith('<') ? raw.slice(1, -1) : raw
    return { ...result, str: md.utils.unescapeMd(destination) }
  }
  md.normalizeLinkText = (url) => url
  return md
}

const parsers: Record<MarkdownProfile, Parser> = {
  article: keepTextPastNestingLimit(new MarkdownIt({ html: false, linkify: true, typographer: true })),
  comment: keepTextPastNestingLimit(
    showReferencesAsTyped(
      new MarkdownIt({ html: false, linkify: true, typographer: false }).disable(['heading', 'lheading', 'image', 'table', 'hr', 'strikethrough']),
    ),
  ),
}

const commentTags = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li']
const articleTags = [...commentTags, 'h2', 'h3', 'h4', 'hr', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td']

const linkRel: Record<MarkdownProfile, string> = {
  article: 'noopener noreferrer',
  // Links written by readers carry no endorsement and no referrer.
  comment: 'nofollow ugc noopener noreferrer',
}

// Links must be absolute http(s) or mailto. Articles may also point within the site ("/chips/h200",
// "#section"). Anything else (a relative URL hiding "javascript:" behind an escape, say) loses its
// link and keeps its text.
function isAllowedHref(href: string, profile: MarkdownProfile) {
  if (/^(https?:\/\/[^/\\]|mailto:)/i.test(href)) return true
  return profile === 'article' && /^(\/(?![/\\]|%2f|%5c)|#)/i.test(href)
}

function sanitize(html: string, profile: MarkdownProfile) {
  return sanitizeHtml(html, {
    allowedTags: profile === 'article' ? articleTags : commentTags,
    allowedAttributes: {
      a: ['href', 'rel'],
      ol: ['start'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs): sanitizeHtml.Tag =>
        attribs.href !== undefined && isAllowedHref(attribs.href, profile)
          ? { tagName, attribs: { href: attribs.href, rel: linkRel[profile] } }
          : { tagName, attribs: {} },
      // Article headings start at h2: the page's h1 is the headline.
      ...(profile === 'article' ? { h1: 'h2' } : {}),
    },
    // A link that may not stay loses its tag and keeps its text. (Renamed to a tag the allowlist
    // drops, as it once was, it left sanitize-html closing the next element at its depth with the
    // wrong name, "<strong>…</span>": a browser then keeps <strong> open over the rest of the page,
    // and React's hydration of that page fails.)
    exclusiveFilter: (frame) => (frame.tag === 'a' && frame.attribs.href === undefined ? 'excludeTag' : false),
  })
}

export function renderMarkdown(source: string, profile: MarkdownProfile): string {
  return sanitize(parsers[profile].render(source), profile).trim()
}

const WORDS_PER_MINUTE = 230

export function readingMinutes(source: string): number {
  const words = source.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE))
}
