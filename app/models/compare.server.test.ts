import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server.ts'
import { articles } from '#db/schema.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { ArticleFormSchema } from '#app/schemas/authoring.ts'
import { createTestUser } from '#app/test/users.ts'
import { previewArticle, saveArticle } from './authoring.server.ts'
import { getChipsForComparison, renderArticleBody } from './compare.server.ts'

beforeAll(() => seedDatabase(db))

describe('getChipsForComparison', () => {
  it('returns the chips in the order asked for, with the interconnect name', async () => {
    const chips = await getChipsForComparison({
      slugs: ['ascend-910b', 'h200', 'h100'],
    })
    expect(chips.map((c) => c.slug)).toEqual(['ascend-910b', 'h200', 'h100'])
    expect(chips[1]).toMatchObject({
      name: 'H200',
      memoryGb: 141,
      interconnect: 'NVLink',
      interconnectBandwidthGbs: 900,
    })
    expect(chips[0]?.memoryBandwidthGbs).toBeNull()
  })

  it('leaves out slugs with no chip', async () => {
    const chips = await getChipsForComparison({ slugs: ['h200', 'nope'] })
    expect(chips.map((c) => c.slug)).toEqual(['h200'])
  })
})

describe('renderArticleBody', () => {
  it('turns a compare block into the comparison table, and renders the rest as markdown', async () => {
    const html = await renderArticleBody('Before **bold**.\n\n```compare\nh200, h100\nascend-910b\n```\n\nAfter.\n')
    expect(html).toMatch(/^<p>Before <strong>bold<\/strong>.<\/p>/)
    expect(html).toContain('<table class="data-table data-table--compare">')
    expect(html).toContain('<a href="/chips/h200">H200</a>')
    expect(html).toContain('<a href="/chips/ascend-910b">Ascend 910B</a>')
    expect(html).toContain('<td class="num compare-best"><strong>141 GB HBM3e</strong>')
    expect(html).toMatch(/<p>After.<\/p>$/)
    expect(html).not.toContain('tlcompare')
    expect(html).not.toContain('<pre>')
  })

  it('notes an unknown chip instead of failing', async () => {
    const html = await renderArticleBody('```compare\nh200 h9000\n```')
    expect(html).toContain('(unknown chip: h9000)')
    expect(html).toContain('<a href="/chips/h200">H200</a>')
  })

  it('never lets a script through the directive or around it', async () => {
    const html = await renderArticleBody(
      '<script>alert(1)</script>\n\n```compare\nh200, <script>alert(2)</script>, h100\n```\n\n<img src=x onerror=alert(3)>',
    )
    expect(html).not.toMatch(/<script|<img|style=/i)
    expect(html).not.toMatch(/<[^>]*\son\w+=/i)
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;')
    expect(html).toContain('<a href="/chips/h100">H100</a>')
  })

  it('leaves other code blocks, and a placeholder typed by the author, alone', async () => {
    const html = await renderArticleBody('```js\nconst a = 1\n```\n\ntlcompare0n0\n\n```compare\nh200,h100\n```')
    expect(html).toContain('<pre><code>const a = 1')
    expect(html).toContain('<p>tlcompare0n0</p>')
    expect(html).toContain('data-table--compare')
  })
})

describe('articles with a compare block', () => {
  it('store the table in body_html on save, and show it in preview', async () => {
    const author = await createTestUser({ role: 'author' })
    const body = 'Side by side:\n\n```compare\nh200, h100, ascend-910b\n```\n'
    const input = ArticleFormSchema.parse({
      title: `Compare test ${Date.now()}`,
      standfirst: 'Three chips.',
      body,
      status: 'draft',
    })
    const { id } = await saveArticle({ actor: author, input })
    const [row] = await db
      .select({ bodyHtml: articles.bodyHtml, body: articles.body })
      .from(articles)
      .where(eq(articles.id, id))
    expect(row?.body).toContain('```compare')
    expect(row?.bodyHtml).toContain('<table class="data-table data-table--compare">')
    expect(row?.bodyHtml).toContain('<a href="/chips/ascend-910b">Ascend 910B</a>')

    const preview = await previewArticle({ actor: author, body })
    expect(preview).toContain('<table class="data-table data-table--compare">')
  })
})

describe('chip mentions in articles', () => {
  it('links the chips an article names when it is rendered for saving', async () => {
    const { renderArticleBody } = await import('./compare.server.ts')
    const html = await renderArticleBody('The H200 and the Ascend 910B, but not `H200` in code.')
    expect(html.match(/class="chip-mention"/g)?.length ?? 0).toBeGreaterThanOrEqual(1)
    expect(html).toContain('<code>H200</code>')
  })
})
