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
  return { regex, slugFor: (groups: Record<string, string | undefined>) => {
    for (const [group, slug] of bySource) if (groups[group] !== undefined) return slug
    return null
  } }
}

const skipTags = new Set(['a', 'code', 'pre'])

/** Links every chip mention in `html`; returns the new HTML and the slugs it found. */
export function linkChipMentions(html: string, chips: readonly ChipName[]): { html: string; slugs: string[] } {
  const matcher = buildMentionMatcher(chips)
  if (!matcher) return { html, slugs: [] }
  const found = new Set<string>()
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
    return part.replace(matcher.regex, (...args) => {
      const match = args[0] as string
      const groups = args[args.length - 1] as Record<string, string | undefined>
      const slug = matcher.slugFor(groups)
      if (!slug) return match
      found.add(slug)
      return `<a href="/chips/${slug}" class="chip-mention" data-chip="${slug}">${match}</a>`
    })
  })
  return { html: out.join(''), slugs: [...found] }
}
