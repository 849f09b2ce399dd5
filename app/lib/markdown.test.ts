import { describe, expect, it } from 'vitest'
import { readingMinutes, renderMarkdown } from './markdown.ts'

describe('renderMarkdown', () => {
  it('renders the subset comments allow', () => {
    const html = renderMarkdown('Some *emphasis*, **strength** and `code`.\n\n> a quote\n\n- one\n- two', 'comment')
    expect(html).toContain('<em>emphasis</em>')
    expect(html).toContain('<strong>strength</strong>')
    expect(html).toContain('<code>code</code>')
    expect(html).toContain('<blockquote>')
    expect(html).toContain('<li>two</li>')
  })

  it('never renders raw HTML, it shows it as text', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)>', 'comment')
    expect(html).not.toMatch(/<script|<img/i)
    expect(html).toContain('&lt;script&gt;')
  })

  it('drops javascript: and data: links but keeps their text', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)', 'comment')
    expect(html).not.toMatch(/href="(javascript|data):/i)
    expect(html).not.toContain('<a')
    expect(html).toContain('click')
  })

  it('leaves the markup after a dropped link well-formed', () => {
    for (const profile of ['comment', 'article'] as const) {
      expect(renderMarkdown('[x](ftp://example.com/f) then **bold**\n\n__proto__', profile)).toBe(
        '<p>x then <strong>bold</strong></p>\n<p><strong>proto</strong></p>',
      )
    }
  })

  it('marks reader links nofollow ugc and article links noopener', () => {
    expect(renderMarkdown('[BIS](https://www.bis.doc.gov/)', 'comment')).toContain('rel="nofollow ugc noopener noreferrer"')
    const article = renderMarkdown('[BIS](https://www.bis.doc.gov/)', 'article')
    expect(article).toContain('rel="noopener noreferrer"')
    expect(article).not.toContain('nofollow')
  })

  it('keeps lists and quotes nested past the parser’s limit as text, and everything after them', () => {
    for (const profile of ['comment', 'article'] as const) {
      const html = renderMarkdown(`${'- '.repeat(200)}deep list\n\n${'>'.repeat(200)} deep quote\n\nThe end.`, profile)
      expect(html).toContain('deep list')
      expect(html).toContain('deep quote')
      expect(html).toMatch(/<p>The end\.<\/p>$/)
    }
  })

  it('gives articles subheadings below the headline, and comments none', () => {
    expect(renderMarkdown('# Top\n\n## Section', 'article')).toBe('<h2>Top</h2>\n<h2>Section</h2>')
    expect(renderMarkdown('## Section', 'comment')).not.toContain('<h2>')
  })
})

describe('readingMinutes', () => {
  it('counts words at about 230 a minute, never less than one', () => {
    expect(readingMinutes('')).toBe(1)
    expect(readingMinutes('word '.repeat(230 * 4))).toBe(4)
    expect(readingMinutes('— * - word')).toBe(1)
  })
})
