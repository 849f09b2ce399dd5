import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isPlainText, plainTextShown, shownText } from '#app/test/typed-text.ts'
import { renderMarkdown } from './markdown.ts'

// Comments are "Markdown, no HTML": what a member types is what readers see, apart from Markdown's
// own syntax. Checked on the hostile-input corpus, parsed back to text as a browser would.

type HostileInput = { id: string; category: string; text: string }
const corpus = JSON.parse(fs.readFileSync(new URL('../test/fixtures/hostile-inputs.json', import.meta.url), 'utf8')) as HostileInput[]

/** What a browser sends for a string (lone surrogates become U+FFFD); a NUL is refused before rendering. */
const sendable = corpus
  .filter((e) => !e.text.includes('\u0000'))
  .map((e) => ({ ...e, text: e.text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') }))

const shown = (markdown: string) => shownText(renderMarkdown(markdown, 'comment'))

describe('a comment shows what its writer typed', () => {
  const plain = sendable.filter((e) => isPlainText(e.text))

  it('shows every plain-text entry of the corpus exactly, line by line', () => {
    // Most categories have plain entries; the entities one must be among them.
    expect(plain.length).toBeGreaterThan(80)
    expect(plain.filter((e) => e.category === 'entities').length).toBeGreaterThanOrEqual(10)
    for (const entry of plain) expect(shown(entry.text), entry.id).toBe(plainTextShown(entry.text))
  })

  it('treats "&" as any other punctuation mark in every entry of the corpus', () => {
    // Swapping each "&" for a mark that means nothing in Markdown must change nothing a reader
    // sees but that mark: so no "&" ever started a character reference, in text, code or links.
    const withAmpersand = sendable.filter((e) => e.text.includes('&'))
    expect(withAmpersand.length).toBeGreaterThan(20)
    for (const entry of withAmpersand) {
      const mark = ['^', '%', '$', '=', '§'].find((m) => !entry.text.includes(m))!
      expect(shown(entry.text), entry.id).toBe(shown(entry.text.replaceAll('&', mark)).replaceAll(mark, '&'))
    }
  })
})

describe('character references in a comment', () => {
  const codePoints = [0, 9, 10, 13, 14, 32, 34, 38, 39, 60, 62, 0x7f, 0x85, 0xa0, 0xad, 0x200b, 0x202e, 0xd800, 0xdfff, 0xfeff, 0xfffe, 0x10ffff, 0x110000]
  const references = [
    ...codePoints.flatMap((cp) => [`&#${cp};`, `&#x${cp.toString(16)};`, `&#X${cp.toString(16).toUpperCase()};`, `&#000${cp};`]),
    '&#99999999;',
    '&lt;',
    '&gt;',
    '&amp;',
    '&quot;',
    '&apos;',
    '&nbsp;',
    '&zwj;',
    '&colon;',
    '&NewLine;',
    '&Tab;',
    '&mdash;',
    '&lt',
    '&amp',
    '&copy',
    '&NotAnEntity;',
  ]
  // Where a member may write one: the reference must be shown as typed in every place.
  const contexts: [string, (ref: string) => string][] = [
    ['a paragraph', (ref) => `before ${ref} after`],
    ['emphasis', (ref) => `*a ${ref} b*`],
    ['strong emphasis', (ref) => `**a${ref}b**`],
    ['link text', (ref) => `[a ${ref} b](https://example.com/)`],
    ['a list item', (ref) => `- ${ref}`],
    ['a quote', (ref) => `> x ${ref} y`],
    ['a code span', (ref) => `\`${ref}\``],
    ['a code block', (ref) => `\`\`\`\n${ref}\n\`\`\``],
    ['a bare address', (ref) => `https://example.com/?q=${ref}`],
    ['an autolink', (ref) => `<https://example.com/${ref}>`],
  ]

  it('is shown as typed in every place a member can write one', () => {
    for (const ref of references) {
      for (const [where, write] of contexts) {
        expect(shown(write(ref)), `${ref} in ${where}`).toContain(ref)
      }
    }
  })

  it('is not decoded in a link’s address either: only Markdown’s backslash escapes are', () => {
    expect(renderMarkdown('[q](https://example.com/?a=1&amp;b=2)', 'comment')).toContain('href="https://example.com/?a=1&amp;amp;b=2"')
    expect(renderMarkdown('[q](https://example.com/a\\)b)', 'comment')).toContain('href="https://example.com/a)b"')
    expect(renderMarkdown('[q](<https://example.com/a\\>b>)', 'comment')).toContain('href="https://example.com/a%3Eb"')
    // A scheme spelled with references is no scheme: the link goes, its text stays.
    expect(renderMarkdown('[click](&#106;avascript:alert(1))', 'comment')).toBe('<p>click</p>')
  })

  it('leaves a linked address as typed: not percent-decoded, not turned from punycode into look-alike letters', () => {
    expect(shown('https://example.com/%3Cscript%3E')).toBe('https://example.com/%3Cscript%3E')
    expect(shown('<https://example.com/%41>')).toBe('https://example.com/%41')
    expect(shown('http://xn--80ak6aa92e.com/')).toBe('http://xn--80ak6aa92e.com/')
  })

  it('is decoded in articles, where authors write references on purpose', () => {
    expect(shownText(renderMarkdown('&mdash; &nbsp;&euro; &lt;b&gt;', 'article'))).toBe('— \u00a0€ <b>')
  })
})
