import crypto from 'node:crypto'
import { inArray } from 'drizzle-orm'
import MarkdownIt from 'markdown-it'
import { db } from '#app/db.server.ts'
import { chips } from '#db/schema.ts'
import {
  buildComparison,
  COMPARE_MAX_CHIPS,
  escapeHtml,
  KEBAB_SLUG,
  renderComparisonHtml,
  splitChipSlugs,
  type ComparableChip,
} from '#app/lib/chip-compare.ts'
import { linkChipMentions } from '#app/lib/chip-mentions.ts'
import { renderMarkdown } from '#app/lib/markdown.ts'
import { chipSummaryColumns } from './fragments.server.ts'

/** The chips named, in the order named; slugs with no chip are simply absent. One query. */
export async function getChipsForComparison({ slugs }: { slugs: string[] }): Promise<ComparableChip[]> {
  if (slugs.length === 0) return []
  const rows = await db
    .select(chipSummaryColumns)
    .from(chips)
    .where(inArray(chips.slug, slugs))
  const bySlug = new Map(rows.map((r) => [r.slug, r]))
  return slugs.flatMap((slug) => {
    const row = bySlug.get(slug)
    return row ? [row] : []
  })
}

// Only the block structure matters here; the real render (and sanitising) is renderMarkdown's.
const blockParser = new MarkdownIt({ html: false })

type CompareBlock = { startLine: number; endLine: number; slugs: string[] }

/** Top-level fenced blocks whose info string is `compare`; nested ones stay code. */
function findCompareBlocks(body: string): CompareBlock[] {
  return blockParser
    .parse(body, {})
    .filter((t) => t.type === 'fence' && t.level === 0 && t.info.trim().toLowerCase() === 'compare' && t.map)
    .map((t) => ({
      startLine: t.map![0],
      endLine: t.map![1],
      slugs: splitChipSlugs(t.content),
    }))
}

function noteHtml(text: string) {
  return `<p class="compare-note">${escapeHtml(text)}</p>`
}

function renderDirective(slugs: string[], found: Map<string, ComparableChip>): string {
  const unique = [...new Set(slugs)]
  const known = unique.filter((s) => found.has(s))
  const unknown = unique.filter((s) => !found.has(s))
  const shown = known.slice(0, COMPARE_MAX_CHIPS)
  const parts: string[] = []
  if (shown.length > 0) {
    const comparison = buildComparison(shown.map((s) => found.get(s)!))
    parts.push(renderComparisonHtml(comparison, `Comparison: ${comparison.chips.map((c) => c.name).join(', ')}`))
  }
  for (const slug of unknown) parts.push(noteHtml(`(unknown chip: ${slug.slice(0, 80)})`))
  if (known.length > COMPARE_MAX_CHIPS) {
    parts.push(
      noteHtml(
        `(a comparison shows at most ${COMPARE_MAX_CHIPS} chips; left out: ${known
          .slice(COMPARE_MAX_CHIPS)
          .join(', ')})`,
      ),
    )
  }
  if (unique.length === 0) parts.push(noteHtml('(no chips named for this comparison)'))
  return parts.join('\n')
}

/**
 * An article body as stored HTML. ```compare blocks become comparison tables: each is swapped for
 * a random placeholder paragraph, the rest goes through renderMarkdown (and its sanitiser), then the
 * placeholders are replaced by tables built here with every value escaped. The placeholder is random
 * per render so an author cannot type one to smuggle markup past the sanitiser.
 */
export async function renderArticleBody(body: string): Promise<string> {
  // Chip names in the text become links (the comparison tables are added after, so they stay as they are).
  const directory = await db.select({ slug: chips.slug, name: chips.name, aliases: chips.aliases }).from(chips)
  // Articles are written by staff, so every mention is linked; the cap is for comments.
  const linked = (html: string) => linkChipMentions(html, directory, { maxLinks: Infinity }).html
  const blocks = findCompareBlocks(body)
  if (blocks.length === 0) return linked(renderMarkdown(body, 'article'))

  const slugs = [...new Set(blocks.flatMap((b) => b.slugs).filter((s) => KEBAB_SLUG.test(s) && s.length <= 200))]
  const found = new Map((await getChipsForComparison({ slugs })).map((c) => [c.slug, c]))

  const nonce = crypto.randomBytes(12).toString('hex')
  const lines = body.split(/\r\n?|\n/)
  const replacements = new Map<string, string>()
  // From the last block back, so earlier line numbers stay valid.
  for (const [index, block] of [...blocks.entries()].reverse()) {
    const token = `tlcompare${nonce}n${index}`
    replacements.set(token, renderDirective(block.slugs, found))
    lines.splice(block.startLine, block.endLine - block.startLine, '', token, '')
  }
  let html = linked(renderMarkdown(lines.join('\n'), 'article'))
  for (const [token, table] of replacements) {
    html = html.replace(`<p>${token}</p>`, () => table)
  }
  return html
}
