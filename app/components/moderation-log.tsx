import { Link } from '@remix-run/react'
import { formatDate } from '#app/lib/format.ts'

export const actionLabels: Record<string, string> = {
  approve: 'Approved a comment',
  hide: 'Hid a comment',
  unhide: 'Unhid a comment',
  remove: 'Removed a comment',
  restore: 'Restored a comment',
  lock: 'Locked a discussion',
  unlock: 'Unlocked a discussion',
  pin: 'Pinned a comment',
  unpin: 'Unpinned a comment',
  suspend: 'Restricted a member',
  ban: 'Banned a member',
  lift: 'Lifted a restriction',
  purge: 'Removed all comments of a member',
  role: 'Changed a role',
  settings: 'Changed settings',
  slow_mode: 'Changed slow mode',
}

export type LogEntry = {
  id: number
  action: string
  reason: string
  createdAt: Date | string
  commentId: number | null
  articleSlug: string | null
  articleTitle: string | null
  targetName: string | null
  moderatorName?: string | null
  automatic?: boolean
}

/** One row per moderator action: what, on what, why, when (and, for staff, who). */
export function ModerationLogTable({ entries, showModerator }: { entries: LogEntry[]; showModerator: boolean }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby="log-caption" tabIndex={0}>
      <table className="data-table">
        <caption id="log-caption">Moderation actions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showModerator ? <th scope="col">Moderator</th> : null}
            <th scope="col">Action</th>
            <th scope="col">On</th>
            <th scope="col" className="wrap">
              Reason
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <time dateTime={new Date(e.createdAt).toISOString()}>{formatDate(e.createdAt)}</time>
              </td>
              {showModerator ? <td>{e.moderatorName ?? 'Automatic'}</td> : null}
              <th scope="row">{actionLabels[e.action] ?? e.action}</th>
              <td className="wrap">
                {e.articleSlug && e.commentId ? (
                  <Link to={`/articles/${e.articleSlug}/comments/${e.commentId}#c${e.commentId}`}>
                    comment {e.commentId} on “{e.articleTitle}”
                  </Link>
                ) : e.articleSlug ? (
                  <Link to={`/articles/${e.articleSlug}`}>“{e.articleTitle}”</Link>
                ) : null}
                {e.targetName ? (
                  <span className="muted">
                    {' '}
                    {e.commentId || e.articleSlug ? 'by' : ''} {e.targetName}
                  </span>
                ) : null}
              </td>
              <td className="wrap">{e.reason || <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
