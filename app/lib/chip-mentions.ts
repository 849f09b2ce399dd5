import { decodeHTML } from 'entities'

// Chip names written in text become links to the chip's page. Runs on sanitised HTML at write time:
// only text outside links, code and preformatted blocks is touched, and only whole words match.

export type ChipName = { slug: string; name: string; aliases: readonly string[] }

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** "Ascend 910B" also matches "Ascend-910B" and "Ascend\u00a0910B"; case never matters. */
function namePattern(name: string) {
  return name
    .trim()
    .split(/[\s-]+/)
    .map(escapeRegExp)
    .join('[\\s\\u00a0-]?')
}

export function buildMentionMatcher(chips: readonly ChipName[]) {
  const entries = chips.flatMap((chip) =>
    [chip.name, ...chip.aliases].filter((n) => n.trim().length >= 2).map((n) => ({ pattern: namePattern(n), slug: chip.slug, length: n.length })),
  )
  if (entries.length === 0) return null
  // Longest names first, so "Instinct MI300X" wins over "MI300X" and "H200" over "H20".
  entries.sort((a, b) => b.length - a.length)
  const bySource = new Map<string, string>()
  const alternatives = entries.map((e, i) => {
    bySource.set(`g${i}`, e.slug)
    return `(?<g${i}>${e.pattern})`
  })
  const regex = new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_]|-[\\p{L}\\p{N}])`, 'giu')
  return {
    regex,
    slugFor: (groups: Record<string, string | undefined>) => {
      for (const [group, slug] of bySource) if (groups[group] !== undefined) return slug
      return null
    },
  }
}

const skipTags = new Set(['a', 'code', 'pre'])

/**
 * The most mentions one text links; later ones stay text. Each link adds some 60 characters of
 * markup, so a comment made of chip names would otherwise store many times its own size.
 */
export const MAX_CHIP_LINKS = 20

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Links the chip mentions in `html`, the first `maxLinks` of them; returns the new HTML and the slugs
 * of every chip named, linked or not. Names are matched in the text as read (`&amp;` is "&"), so a
 * name never matches inside a character reference and a name with "&" or "<" in it is found.
 */
export function linkChipMentions(
  html: string,
  chips: readonly ChipName[],
  { maxLinks = MAX_CHIP_LINKS }: { maxLinks?: number } = {},
): { html: string; slugs: string[] } {
  const matcher = buildMentionMatcher(chips)
  if (!matcher) return { html, slugs: [] }
  const found = new Set<string>()
  let linked = 0
  const depth = new Map<string, number>()
  const skipping = () => [...depth.values()].some((n) => n > 0)
  const out = html.split(/(<[^>]+>)/).map((part) => {
    const tag = /^<(\/?)([a-z0-9]+)/i.exec(part)
    if (tag) {
      const name = tag[2]!.toLowerCase()
      if (skipTags.has(name) && !part.endsWith('/>')) depth.set(name, (depth.get(name) ?? 0) + (tag[1] ? -1 : 1))
      return part
    }
    if (!part || skipping()) return part
    const text = decodeHTML(part)
    let result = ''
    let from = 0
    for (const match of text.matchAll(matcher.regex)) {
      const slug = matcher.slugFor(match.groups ?? {})
      if (!slug) continue
      found.add(slug)
      if (linked >= maxLinks) continue
      linked++
      result += `${escapeText(text.slice(from, match.index))}<a href="/chips/${slug}" class="chip-mention" data-chip="${slug}">${escapeText(match[0])}</a>`
      from = match.index + match[0].length
    }
    // Text with nothing linked is left exactly as it was.
    return from === 0 && result === '' ? part : result + escapeText(text.slice(from))
  })
  return { html: out.join(''), slugs: [...found] }
}
