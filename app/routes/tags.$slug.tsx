import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useLocation } from '@remix-run/react'
import { ArticleList } from '#app/components/article-list.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { SubscribeLinks } from '#app/components/subscribe.tsx'
import { canonical, feedLinks, originFrom, socialCard } from '#app/lib/seo.ts'
import { httpError, parseSearchParams, requireSlug } from '#app/lib/http.server.ts'
import { getTagWithArticles } from '#app/models/tags.server.ts'
import { PageQuerySchema } from '#app/schemas/pagination.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'topic')
  const { page } = parseSearchParams(request, PageQuerySchema)
  const result = await getTagWithArticles({ slug, page })
  if (!result) httpError(404, `There is no topic called “${slug}”.`)
  if (page > result.listing.pageCount) {
    httpError(404, `There is no page ${page}: this topic runs to ${result.listing.pageCount} pages.`)
  }
  return result
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Topic not found — Threadline' }]
  const origin = originFrom(matches)
  const path = `/tags/${data.tag.slug}`
  const description = data.tag.description || `Stories tagged ${data.tag.name}.`
  return [
    { title: `${data.tag.name} — Threadline` },
    { name: 'description', content: description },
    canonical(origin, path),
    ...feedLinks(`${path}/feed`, `Threadline: ${data.tag.name}`),
    ...socialCard({ origin, path, title: `${data.tag.name} — Threadline`, description }),
  ]
}

export default function TagPage() {
  const { tag, listing } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  return (
    <>
      <header className="page-header">
        <p className="eyebrow">Topic</p>
        <h1>{tag.name}</h1>
        {tag.description ? <p className="page-header__lede">{tag.description}</p> : null}
        <SubscribeLinks feedPath={`/tags/${tag.slug}/feed`} label="this topic" />
      </header>
      {listing.articles.length === 0 ? <p className="empty">No stories carry this topic yet.</p> : <ArticleList articles={listing.articles} />}
      <Pagination page={listing.page} pageCount={listing.pageCount} basePath={`/tags/${tag.slug}`} search={search} />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
