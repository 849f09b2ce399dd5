import { describe, expect, it } from 'vitest'
import { linkChipMentions, type ChipName } from './chip-mentions.ts'
import { renderMarkdown } from './markdown.ts'

const chips: ChipName[] = [
  { slug: 'h200', name: 'H200', aliases: ['H-200'] },
  { slug: 'h20', name: 'H20', aliases: [] },
  { slug: 'ascend-910b', name: 'Ascend 910B', aliases: ['Ascend910B'] },
  { slug: 'mi300x', name: 'Instinct MI300X', aliases: ['MI300X'] },
]

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
