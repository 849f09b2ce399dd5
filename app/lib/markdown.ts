import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

// Markdown is rendered and sanitised once, when it is written, and the HTML is stored. Raw HTML in
// the source never renders (markdown-it's `html: false` escapes it), and the sanitiser is the second
// wall: only the elements and attributes below survive, and only http(s) and mailto links.

export type MarkdownProfile = 'article' | 'comment'

const parsers: Record<MarkdownProfile, InstanceType<typeof MarkdownIt>> = {
  article: new MarkdownIt({ html: false, linkify: true, typographer: true }),
  comment: new MarkdownIt({ html: false, linkify: true, typographer: false })
    .disable(['heading', 'lheading', 'image', 'table', 'hr', 'strikethrough']),
}

const commentTags = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li']
const articleTags = [
  ...commentTags,
  'h2',
  'h3',
  'h4',
  'hr',
  'del',
  's',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]

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
          : { tagName: 'span', attribs: {} },
      // Article headings start at h2: the page's h1 is the headline.
      ...(profile === 'article' ? { h1: 'h2' } : {}),
    },
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
