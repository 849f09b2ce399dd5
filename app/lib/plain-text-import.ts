import { ARTICLE_LIMITS } from './article-limits.ts'

// Turns a plain-text article (as agencies and contributors send them) into a draft: the first
// non-empty line is the headline, the next one the standfirst, and every further non-empty line a
// paragraph of the body. The body is Markdown, so characters that Markdown would read as formatting
// are escaped: the text reads exactly as it was written.

export type ImportedArticle = { title: string; standfirst: string; body: string }

export type ImportResult = { ok: true; article: ImportedArticle } | { ok: false; error: string }

const NOT_TEXT = 'That does not look like plain text: it contains NUL bytes, as binary files do. Save the article as a .txt file and try again.'
const EMPTY = 'There is nothing to import: the text is empty.'

// Windows-1252's printable characters in 0x80–0x9F (Node's decoder treats the label as Latin-1).
// prettier-ignore
const cp1252: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
}

/**
 * The text of an uploaded file: UTF-8 (with or without a BOM), UTF-16 with a BOM, or else
 * Windows-1252, which is what "plain text" saved by older Windows editors usually is.
 */
export function decodeTextFile(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes.length === 0) return { ok: false, error: EMPTY }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return checked(new TextDecoder('utf-16le').decode(bytes))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return checked(new TextDecoder('utf-16be').decode(bytes))
  if (bytes.includes(0)) return { ok: false, error: NOT_TEXT }
  try {
    return checked(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    let text = ''
    for (const byte of bytes) text += String.fromCharCode(cp1252[byte] ?? byte)
    return checked(text)
  }
}

function checked(text: string): { ok: true; text: string } | { ok: false; error: string } {
  return text.includes('\u0000') ? { ok: false, error: NOT_TEXT } : { ok: true, text }
}

/** Escapes what Markdown would otherwise read as formatting in one line of plain text. */
export function escapeMarkdownLine(line: string): string {
  const escaped = line
    .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
    // An entity ("&amp;") would render as the character it names.
    .replace(/&(?=#?\w+;)/g, '\\&')
  // Block markers at the start of a line: headings, quotes, lists, rules, numbered lists.
  return escaped.replace(/^([#>+\-=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`))
}

/** The article in a plain-text file: a draft to edit, or the reason it cannot be one. */
export function parsePlainTextArticle(input: string): ImportResult {
  if (input.includes('\u0000')) return { ok: false, error: NOT_TEXT }
  const text = input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    // Other control characters (form feeds from old word processors, stray escapes) carry nothing.
    .replace(/[\u0001-\u0008\u000b-\u001f\u007f]/g, (c) => (c === '\f' || c === '\v' ? '\n' : ''))
  const lines = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
  const [title, second, ...rest] = lines
  if (title === undefined) return { ok: false, error: EMPTY }
  if (title.length > ARTICLE_LIMITS.title) {
    return {
      ok: false,
      error: `The first line is taken as the headline, but it is ${title.length.toLocaleString('en-GB')} characters long and a headline can be up to ${
        ARTICLE_LIMITS.title
      }. Put the headline on a line of its own at the top.`,
    }
  }
  // A standfirst longer than the editor allows is kept whole: the editor asks the author to shorten it.
  const standfirst = second ?? ''
  const body = rest.map(escapeMarkdownLine).join('\n\n')
  if (body.length > ARTICLE_LIMITS.body) {
    return {
      ok: false,
      error: `The body would be ${body.length.toLocaleString('en-GB')} characters long; an article can be up to ${ARTICLE_LIMITS.body.toLocaleString(
        'en-GB',
      )}. Split it into two articles.`,
    }
  }
  return { ok: true, article: { title, standfirst, body } }
}
