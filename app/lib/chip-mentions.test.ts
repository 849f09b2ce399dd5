import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { shownText } from '#app/test/typed-text.ts'
import { linkChipMentions, MAX_CHIP_LINKS, type ChipName } from './chip-mentions.ts'
import { renderMarkdown } from './markdown.ts'

const corpus = JSON.parse(fs.readFileSync(new URL('../test/fixtures/hostile-inputs.json', import.meta.url), 'utf8')) as { id: string; text: string }[]

const chips: ChipName[] = [
  { slug: 'h200', name: 'H200', aliases: ['H-200'] },
  { slug: 'h20', name: 'H20', aliases: [] },
  { slug: 'ascend-910b', name: 'Ascend 910B', aliases: ['Ascend910B'] },
  { slug: 'mi300x', name: 'Instinct MI300X', aliases: ['MI300X'] },
]

/** The chip-mention links in `html`, by the text they wrap (as HTML), in order. */
const linkedTexts = (html: string) => [...html.matchAll(/<a href="\/chips\/[^"]+" class="chip-mention" data-chip="[^"]+">([^<]*)<\/a>/g)].map((m) => m[1])

const link = (markdown: string) => linkChipMentions(renderMarkdown(markdown, 'comment'), chips)

describe('linkChipMentions', () => {
  it('links names and aliases in any case, as whole words', () => {
    const { html, slugs } = link('The h200 beats the H-200? And the Ascend 910B, ascend910b and MI300X.')
    expect(html).toContain('<a href="/chips/h200" class="chip-mention" data-chip="h200">h200</a>')
    expect(html).toContain('>H-200</a>')
    expect(html).toContain('data-chip="ascend-910b">Ascend 910B</a>')
    expect(html).toContain('data-chip="ascend-910b">ascend910b</a>')
    expect(html).toContain('data-chip="mi300x">MI300X</a>')
    expect(slugs.sort()).toEqual(['ascend-910b', 'h200', 'mi300x'])
  })

  it('tells H20 from H200 and never matches inside other words', () => {
    const { html, slugs } = link('H20 and H200, but not H2000, XH200, H200s or H200-class parts')
    expect(slugs.sort()).toEqual(['h20', 'h200'])
    expect(html.match(/chip-mention/g)).toHaveLength(2)
  })

  it('prefers the longest name', () => {
    const { html } = link('AMD’s Instinct MI300X is big.')
    expect(html).toContain('data-chip="mi300x">Instinct MI300X</a>')
    expect(html.match(/chip-mention/g)).toHaveLength(1)
  })

  it('leaves code, code blocks and existing links alone', () => {
    const { html, slugs } = link('`H200` in code\n\n```\nH200 in a block\n```\n\n[the H200 page](https://example.com/h200)')
    expect(slugs).toEqual([])
    expect(html).not.toContain('chip-mention')
  })

  it('does nothing when no chip is known', () => {
    expect(linkChipMentions('<p>H200</p>', [])).toEqual({ html: '<p>H200</p>', slugs: [] })
  })
})

describe('what linking leaves alone', () => {
  it('links again after every code span, link, autolink and code block, and never inside one', () => {
    const constructs: [string, string][] = [
      ['a code span', '`the H200 in code`'],
      ['two code spans', '`H200` and `H200`'],
      ['a link', '[the H200 page](https://example.com/h200)'],
      ['an autolink', '<https://example.com/H200>'],
      ['a bare address', 'https://example.com/H200'],
      ['code in a link', '[`H200`](https://example.com/)'],
      ['a link in emphasis', '**[H200](https://example.com/)**'],
      ['a link in a code span', '`[H200](https://example.com/)`'],
    ]
    for (const [what, construct] of constructs) {
      const { html } = link(`H200 before ${construct} H20 after, and MI300X.`)
      expect(linkedTexts(html), what).toEqual(['H200', 'H20', 'MI300X'])
    }
    const blocks: [string, string][] = [
      ['a fenced block', '```\nH200 in a block\n```'],
      ['an indented block', '    H200 indented'],
      ['a block in a quote', '> ```\n> H200\n> ```'],
      ['a block in a list', '- ```\n  H200\n  ```'],
    ]
    for (const [what, block] of blocks) {
      const { html } = link(`H200 before.\n\n${block}\n\nH20 after, and MI300X.`)
      expect(linkedTexts(html), what).toEqual(['H200', 'H20', 'MI300X'])
    }
  })

  it('keeps its place through nested and repeated elements in HTML it is given', () => {
    const cases: [string, string[]][] = [
      ['<pre><code>H200</code></pre><p>H20</p>', ['H20']],
      ['<p><a href="https://example.com">H200 <code>H200</code> H200</a> H20</p>', ['H20']],
      ['<p><code>H200</code><code>H200</code> H20 <a href="https://example.com">x</a> MI300X</p>', ['H20', 'MI300X']],
      ['<p>H20<br />H200<br>MI300X</p>', ['H20', 'H200', 'MI300X']],
      ['<p><em><strong>H20</strong></em> <em>H200</em></p>', ['H20', 'H200']],
    ]
    for (const [html, expected] of cases) expect(linkedTexts(linkChipMentions(html, chips).html), html).toEqual(expected)
  })

  it('reads names in the text as shown: never inside a character reference, and names with "&" or "<" match', () => {
    const awkward: ChipName[] = [
      { slug: 'gt', name: 'GT', aliases: ['amp', 'lt', 'quot', 'nbsp', '#38', 'x3C'] },
      { slug: 'r-and-d', name: 'R&D 1', aliases: ['<b>'] },
    ]
    // The HTML holds &gt; &amp; &lt; for these: none of them is a mention of "gt", "amp" or "lt".
    const html = renderMarkdown('a > b & c < d "e" then R&D 1 and <b>, GT', 'comment')
    const linked = linkChipMentions(html, awkward)
    expect(shownText(linked.html)).toBe(shownText(html))
    expect(linkedTexts(linked.html)).toEqual(['R&amp;D 1', '&lt;b&gt;', 'GT'])
    // References a member typed are shown as typed, so there "amp" is a word like any other.
    const typed = renderMarkdown('&amp; &#38; &#x3C;', 'comment')
    expect(shownText(linkChipMentions(typed, awkward).html)).toBe('&amp; &#38; &#x3C;')
  })

  it('never changes what readers see of any corpus entry, whatever the chips are called', () => {
    // Chip names taken from the corpus itself (as the hostile-input test registers them), and names
    // that are also the names of character references.
    const names = corpus.map((e) => e.text.trim()).filter((name) => name.length >= 2 && name.length <= 80)
    const directory: ChipName[] = [
      ...chips,
      { slug: 'refs', name: 'amp', aliases: ['lt', 'gt', 'quot', 'apos', 'nbsp', '#38', '#x26', 'x27', '39'] },
      ...names.map((name, i) => ({ slug: `corpus-${i}`, name, aliases: [] })),
    ]
    let links = 0
    for (const entry of corpus) {
      for (const profile of ['comment', 'article'] as const) {
        const html = renderMarkdown(entry.text, profile)
        const linked = linkChipMentions(html, directory, { maxLinks: Infinity })
        expect(shownText(linked.html), `${entry.id} (${profile})`).toBe(shownText(html))
        links += linkedTexts(linked.html).length
      }
    }
    expect(links).toBeGreaterThan(100)
  })
})

describe('the number of links one text gets', () => {
  it('links at most MAX_CHIP_LINKS mentions; the rest stay text, and every chip named is still found', () => {
    expect(MAX_CHIP_LINKS).toBe(20)
    const names = ['H20', 'H200', 'Ascend 910B', 'MI300X']
    const words: string[] = []
    while (words.join(' ').length < 9_990) words.push(names[words.length % names.length]!)
    const body = words
      .join(' ')
      .slice(0, 10_000)
      .replace(/\s\S*$/, '')
    expect(body.length).toBeGreaterThan(9_900)
    const html = renderMarkdown(body, 'comment')
    const linked = linkChipMentions(html, chips)
    expect(linkedTexts(linked.html)).toEqual(words.slice(0, MAX_CHIP_LINKS))
    expect(linked.slugs.sort()).toEqual(['ascend-910b', 'h20', 'h200', 'mi300x'])
    expect(shownText(linked.html)).toBe(shownText(html))
    // What the cap bounds: the stored HTML stays within a few kilobytes of the text's own.
    const perLink = '<a href="/chips/ascend-910b" class="chip-mention" data-chip="ascend-910b"></a>'.length
    expect(linked.html.length).toBeLessThanOrEqual(html.length + MAX_CHIP_LINKS * perLink)
    expect(linked.html.length / body.length).toBeLessThan(1.2)
  })

  it('links as many as the caller allows', () => {
    const html = renderMarkdown('H20 H200 MI300X H20 H200', 'comment')
    expect(linkedTexts(linkChipMentions(html, chips, { maxLinks: 0 }).html)).toEqual([])
    expect(linkedTexts(linkChipMentions(html, chips, { maxLinks: 3 }).html)).toEqual(['H20', 'H200', 'MI300X'])
    expect(linkChipMentions(html, chips, { maxLinks: 0 }).slugs.sort()).toEqual(['h20', 'h200', 'mi300x'])
  })
})
