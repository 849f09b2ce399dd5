import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { formatDate, isoDate } from '#app/lib/format.ts'
import { openNotifications } from '#app/models/notifications.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request)
  return { notifications: await openNotifications({ actorId: user.id }) }
}

export const meta: MetaFunction = () => [{ title: 'Notifications — Threadline' }]

export default function NotificationsPage() {
  const { notifications } = useLoaderData<typeof loader>()
  return (
    <section aria-labelledby="notifications-title" className="page-narrow">
      <header className="page-header">
        <h1 id="notifications-title">Notifications</h1>
      </header>
      {notifications.length === 0 ? (
        <p className="empty">Nothing yet. When someone replies to one of your comments, you will find it here.</p>
      ) : (
        <ul className="mention-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? undefined : 'unread'}>
              {n.articleSlug ? (
                <Link to={n.commentId ? `/articles/${n.articleSlug}/comments/${n.commentId}#c${n.commentId}` : `/articles/${n.articleSlug}`}>
                  {n.kind === 'reply' ? `${n.actorName ?? 'Someone'} replied to your comment on “${n.articleTitle}”` : n.message || n.articleTitle}
                </Link>
              ) : (
                <span>{n.message}</span>
              )}
              <p className="muted">
                {n.readAt ? '' : 'New · '}
                <time dateTime={isoDate(n.createdAt)}>{formatDate(n.createdAt)}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
