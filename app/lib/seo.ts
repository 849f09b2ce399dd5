import type { MetaDescriptor } from '@remix-run/node'

// Head tags shared by pages: canonical address, feed autodiscovery, social cards.

type Match = { id: string; data: unknown }

/** The site's public origin, which the root loader passes down. */
export function originFrom(matches: readonly Match[]): string {
  const root = matches.find((m) => m.id === 'root')?.data as { origin?: string } | undefined
  return root?.origin ?? ''
}

export function canonical(origin: string, path: string): MetaDescriptor {
  return { tagName: 'link', rel: 'canonical', href: `${origin}${path}` }
}

export function feedLinks(feedPath: string, title: string): MetaDescriptor[] {
  return [
    { tagName: 'link', rel: 'alternate', type: 'application/rss+xml', title: `${title} (RSS)`, href: `${feedPath}.xml` },
    { tagName: 'link', rel: 'alternate', type: 'application/atom+xml', title: `${title} (Atom)`, href: `${feedPath}.atom` },
    { tagName: 'link', rel: 'alternate', type: 'application/feed+json', title: `${title} (JSON Feed)`, href: `${feedPath}.json` },
  ]
}

export const SITE_FEEDS = feedLinks('/feed', 'Threadline')

export function socialCard({
  origin,
  path,
  title,
  description,
  type = 'website',
}: {
  origin: string
  path: string
  title: string
  description: string
  type?: 'website' | 'article'
}): MetaDescriptor[] {
  return [
    { property: 'og:site_name', content: 'Threadline' },
    { property: 'og:type', content: type },
    { property: 'og:title', content: title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: `${origin}${path}` },
    { property: 'og:image', content: `${origin}/favicon.svg` },
    { name: 'twitter:card', content: 'summary' },
    { name: 'twitter:title', content: title },
    { name: 'twitter:description', content: description },
  ]
}
