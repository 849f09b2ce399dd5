import { Link } from '@remix-run/react'
import { formatDate, isoDate, pluralize } from '#app/lib/format.ts'
import type { ArticleSummary } from '#app/models/articles.server.ts'

type ArticleListItem = Omit<ArticleSummary, 'id'>

export function ArticleList({ articles }: { articles: ArticleListItem[] }) {
  return (
    <ol className="article-list">
      {articles.map((article) => (
        <li key={article.slug}>
          <ArticleCard article={article} />
        </li>
      ))}
    </ol>
  )
}

function ArticleCard({ article }: { article: ArticleListItem }) {
  return (
    <article className="article-card" aria-labelledby={`title-${article.slug}`}>
      <h2 id={`title-${article.slug}`} className="article-card__title">
        <Link to={`/articles/${article.slug}`}>{article.title}</Link>
      </h2>
      <p className="article-card__standfirst">{article.standfirst}</p>
      <p className="byline">
        {article.authorName ? <span>By {article.authorName}</span> : null}
        <time dateTime={isoDate(article.publishedAt)}>{formatDate(article.publishedAt)}</time>
        <span>{article.readingMinutes} min read</span>
        <Link to={`/articles/${article.slug}#discussion`}>{pluralize(article.commentCount, 'comment')}</Link>
      </p>
      {article.tags.length > 0 || article.chips.length > 0 ? (
        <div className="article-card__refs">
          <TagList tags={article.tags} />
          <ChipBadges chips={article.chips} />
        </div>
      ) : null}
    </article>
  )
}

export function TagList({ tags }: { tags: { slug: string; name: string }[] }) {
  if (tags.length === 0) return null
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag.slug}>
          <Link to={`/tags/${tag.slug}`} className="tag">
            #{tag.name}
          </Link>
        </li>
      ))}
    </ul>
  )
}

export function ChipBadges({ chips }: { chips: { slug: string; name: string }[] }) {
  if (chips.length === 0) return null
  return (
    <ul className="chip-badges" aria-label="Chips mentioned">
      {chips.map((chip) => (
        <li key={chip.slug}>
          <Link to={`/chips/${chip.slug}`} className="chip-badge">
            {chip.name}
          </Link>
        </li>
      ))}
    </ul>
  )
}
