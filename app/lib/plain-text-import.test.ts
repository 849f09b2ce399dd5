import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown.ts'
import { decodeTextFile, escapeMarkdownLine, parsePlainTextArticle } from './plain-text-import.ts'

const samplePath = fileURLToPath(new URL('../../../shared/reference/sample-article.txt', import.meta.url))
const sampleExists = fs.existsSync(samplePath)

function parsed(text: string) {
  const result = parsePlainTextArticle(text)
  if (!result.ok) throw new Error(`expected an article, got: ${result.error}`)
  return result.article
}

describe('parsePlainTextArticle with the reference sample', () => {
  it.skipIf(!sampleExists)(
    `reads the headline, standfirst and every paragraph of ${sampleExists ? 'the sample' : `${samplePath} (absent: skipped)`}`,
    () => {
      const text = fs.readFileSync(samplePath, 'utf8')
      const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
      const article = parsed(text)
      expect(article.title).toBe('Trump Administration Approves Nvidia H200 GPU Exports to China, Though Acceptance Remains Uncertain')
      expect(article.standfirst).toMatch(/^In a notable development within the ongoing U\.S\.-China technology/)
      expect(article.standfirst).toBe(lines[1]!.trim())
      const paragraphs = article.body.split('\n\n')
      expect(paragraphs).toHaveLength(lines.length - 2)
      expect(paragraphs[0]).toMatch(/^Nvidia’s H200 represents an evolution/)
      expect(paragraphs.at(-1)).toMatch(/^What are your thoughts on this\?/)

      // As Markdown, each line is one paragraph and nothing else.
      const html = renderMarkdown(article.body, 'article')
      expect(html.match(/<p>/g)).toHaveLength(lines.length - 2)
      expect(html).not.toMatch(/<(h\d|ul|ol|blockquote|pre|em|strong)>/)
    },
  )
})

describe('parsePlainTextArticle', () => {
  it('normalises CRLF and lone CR, strips a BOM, and skips blank lines and stray whitespace', () => {
    const article = parsed('\uFEFF\r\n  Headline   here  \r\n\r\n\tThe standfirst.\rOne.\r\n\r\n   \r\nTwo.  \n')
    expect(article).toEqual({ title: 'Headline here', standfirst: 'The standfirst.', body: 'One.\n\nTwo.' })
  })

  it('accepts a headline alone, or a headline and a standfirst', () => {
    expect(parsed('Only a headline')).toEqual({ title: 'Only a headline', standfirst: '', body: '' })
    expect(parsed('Headline\nStandfirst')).toEqual({ title: 'Headline', standfirst: 'Standfirst', body: '' })
  })

  it('rejects empty text and text with NUL bytes', () => {
    for (const text of ['', '   \n\r\n\t', '\uFEFF']) {
      expect(parsePlainTextArticle(text)).toEqual({ ok: false, error: expect.stringContaining('empty') as string })
    }
    expect(parsePlainTextArticle('Headline\u0000\u0001binary')).toEqual({
      ok: false,
      error: expect.stringContaining('NUL bytes') as string,
    })
  })

  it('refuses a first line too long to be a headline', () => {
    const result = parsePlainTextArticle(`${'word '.repeat(60)}\nStandfirst`)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(/headline can be up to 200/)
  })

  it('keeps a second paragraph longer than a standfirst may be whole, for the author to shorten', () => {
    const long = 'A very long opening paragraph. '.repeat(20).trim()
    expect(parsed(`Headline\n${long}\nNext.`)).toEqual({ title: 'Headline', standfirst: long, body: 'Next.' })
  })

  it('refuses a body longer than an article may be', () => {
    const result = parsePlainTextArticle(`Headline\nStandfirst\n${'x'.repeat(100_001)}`)
    expect(!result.ok && result.error).toMatch(/can be up to 100,000/)
  })

  it('keeps plain text plain: what looks like Markdown renders as written', () => {
    const lines = [
      '# Not a heading',
      '> not a quote',
      '- not a list',
      '1. not a numbered list',
      '2024) neither',
      '---',
      '*not emphasis* and _not either_ and `not code`',
      '[not a link](/chips) and ~~not struck~~',
      'AT&T and &amp; stay as typed; C:\\path\\file too',
    ]
    const article = parsed(['Headline', 'Standfirst', ...lines].join('\n'))
    const html = renderMarkdown(article.body, 'article')
    expect(html).not.toMatch(/<(h\d|blockquote|ul|ol|li|hr|em|strong|code|a|del|s)\b/)
    const texts = [...html.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1])
    expect(texts).toHaveLength(lines.length)
    expect(texts[0]).toBe('# Not a heading')
    expect(texts[2]).toBe('- not a list')
    expect(texts[3]).toBe('1. not a numbered list')
    expect(texts[7]).toBe('[not a link](/chips) and ~~not struck~~')
    expect(texts[8]).toBe('AT&amp;T and &amp;amp; stay as typed; C:\\path\\file too')
  })

  it('leaves ordinary text alone', () => {
    const line = 'Nvidia’s share fell 3.5% (to $120) on 20-25 May.'
    expect(escapeMarkdownLine(line)).toBe(line)
  })
})

describe('decodeTextFile', () => {
  const bytes = (...values: number[]) => new Uint8Array(values)

  it('reads UTF-8 with and without a BOM', () => {
    const utf8 = new TextEncoder().encode('Nvidia’s H200')
    expect(decodeTextFile(utf8)).toEqual({ ok: true, text: 'Nvidia’s H200' })
    expect(decodeTextFile(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ ok: true, text: 'Nvidia’s H200' })
  })

  it('reads UTF-16 with a BOM', () => {
    expect(decodeTextFile(bytes(0xff, 0xfe, 0x48, 0x00, 0x69, 0x00))).toEqual({ ok: true, text: 'Hi' })
    expect(decodeTextFile(bytes(0xfe, 0xff, 0x00, 0x48, 0x00, 0x69))).toEqual({ ok: true, text: 'Hi' })
  })

  it('falls back to Windows-1252 for text that is not UTF-8', () => {
    // “Café” – with curly quotes and an en dash, as Windows editors save them.
    expect(decodeTextFile(bytes(0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x96))).toEqual({
      ok: true,
      text: '“Café” –',
    })
  })

  it('refuses empty files and binary files', () => {
    expect(decodeTextFile(bytes())).toEqual({ ok: false, error: expect.stringContaining('empty') as string })
    expect(decodeTextFile(bytes(0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a))).toEqual({
      ok: false,
      error: expect.stringContaining('NUL bytes') as string,
    })
  })
})
