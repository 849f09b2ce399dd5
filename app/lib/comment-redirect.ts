import { commentAnchor } from './dom-ids.ts'
import { safeRedirect } from './safe-redirect.ts'

/**
 * Where a plain form post (no JavaScript) lands after posting: the page it came from, at the new
 * comment, when that page shows it; otherwise the comment's parent's own page.
 */
export function commentRedirect({
  slug,
  created,
  returnTo,
}: {
  slug: string
  created: { id: number; depth: number; parentId: number | null; shownOnStoryPage: boolean }
  returnTo: string | undefined
}) {
  const anchor = `#${commentAnchor(created.id)}`
  const articlePath = `/articles/${slug}`
  if (created.parentId === null) return `${articlePath}?sort=new${anchor}`
  const back = safeRedirect(returnTo, articlePath)
  const onArticlePage = back === articlePath || back.startsWith(`${articlePath}?`)
  if (onArticlePage && created.shownOnStoryPage) return `${back}${anchor}`
  // The parent's own page, newest replies first: the new one is on its first page.
  return `${articlePath}/comments/${created.parentId}?sort=new${anchor}`
}
