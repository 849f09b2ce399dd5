import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useLocation } from '@remix-run/react'
import { ArticleList } from '#app/components/article-list.tsx'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { SubscribeLinks } from '#app/components/subscribe.tsx'
import { canonical, originFrom, socialCard } from '#app/lib/seo.ts'
import { httpError, parseSearchParams } from '#app/lib/http.server.ts'
import { listPublishedArticles } from '#app/models/articles.server.ts'
import { PageQuerySchema } from '#app/schemas/pagination.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { page } = parseSearchParams(request, PageQuerySchema)
  const listing = await listPublishedArticles({ page })
  if (page > listing.pageCount) {
    httpError(404, `There is no page ${page}: the latest stories run to ${listing.pageCount} pages.`)
  }
  return listing
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, error }) => {
  if (error) return errorMeta(error)
  const origin = originFrom(matches)
  const description = 'Independent reporting and discussion on AI accelerators, export controls and open-source AI.'
  const title = data && data.page > 1 ? `Latest stories, page ${data.page} — Threadline` : 'Threadline — AI chips, export controls and open-source AI'
  return [
    { title },
    { name: 'description', content: description },
    canonical(origin, data && data.page > 1 ? `/?page=${data.page}` : '/'),
    ...socialCard({ origin, path: '/', title: 'Threadline', description }),
  ]
}

export default function Home() {
  const { articles, page, pageCount } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  return (
    <>
      <header className="page-header">
        <h1>{page === 1 ? 'Latest stories' : `Latest stories, page ${page}`}</h1>
        <p className="page-header__lede">AI accelerators, the rules that govern where they ship, and the open models that run on them.</p>
        <SubscribeLinks feedPath="/feed" label="every story" />
      </header>
      {articles.length === 0 ? <p className="empty">Nothing has been published yet.</p> : <ArticleList articles={articles} />}
      <Pagination page={page} pageCount={pageCount} basePath="/" search={search} />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
