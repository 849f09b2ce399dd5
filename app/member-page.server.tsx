import { Fragment, type ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { getAuth } from '#app/auth.server.ts'
import { AccountMenu, plainParts, SuspensionNotice } from '#app/components/account-menu.tsx'
import { PlainCommentActions, PlainCommentForm, type Shared } from '#app/components/discussion.tsx'
import { packDiscussion } from '#app/lib/discussion-codec.ts'
import { ACCOUNT_SLOT, COMMENT_FORM_SLOT, commentAnchor, NOTICE_SLOT, OVERLAY_DATA_ID } from '#app/lib/dom-ids.ts'
import type { StoredPage } from '#app/lib/page-cache.server.ts'
import { isStaff } from '#app/lib/roles.ts'
import type { CommentView } from '#app/lib/comment-view.ts'
import { applyViewerOverlay, signedInMember, type SharedDiscussionView, type ViewerOverlay } from '#app/lib/viewer-overlay.ts'
import { readCommentLimits } from '#app/models/comment-limits.server.ts'
import { getViewerComments } from '#app/models/comments.server.ts'

// A member's copy of a story page (docs/decisions/007-one-rendering-for-everyone.md): the page every
// reader shares, byte for byte, with the member's own part spliced into its slots. The account menu,
// a suspension notice and the comment form are plain markup, so a member without JavaScript sees that
// they are signed in and can comment; the overlay, as a JSON block, gives the app the rest (votes,
// their own comments' controls, held comments, staff controls) once it has hydrated. Nothing of the
// discussion is rendered again.

export type MemberCopy = { headers: [string, string][]; body: Buffer }

/**
 * The stored page `page`, as the member whose cookie this is sees it at `url`; null when their own
 * render is needed instead (no valid session, or a remembered order the address does not name).
 */
export async function memberCopy({ url, cookie, page }: { url: string; cookie: string; page: StoredPage }): Promise<MemberCopy | null> {
  const address = new URL(url)
  const { user, setCookie } = await getAuth(new Request(address, { headers: { cookie } }))
  if (!user) return null
  // The story route chooses the member's remembered order when the address names none; the shared
  // rendering is the default order's.
  if (!address.searchParams.has('sort') && user.commentSort !== null && user.commentSort !== 'top') return null
  if (address.searchParams.has('remember')) return null
  const slug = decodeURIComponent(address.pathname.split('/')[2] ?? '')
  const [comments, commentLimits] = await Promise.all([getViewerComments({ slug, viewer: user }), readCommentLimits()])
  const member = signedInMember(user)
  const overlay: ViewerOverlay = {
    user: member,
    staff: isStaff(user.role),
    commentLimits,
    votes: comments.votes,
    own: comments.own,
    held: packDiscussion(comments.held.map((c) => ({ ...c, children: [], descendantCount: 0 }))),
  }
  const returnTo = address.pathname + address.search
  const body = splice(page, {
    [ACCOUNT_SLOT]: markup(<AccountMenu user={member} unread={member.unreadNotifications} parts={plainParts} />) + dataBlock(overlay),
    [NOTICE_SLOT]: markup(<SuspensionNotice user={member} />),
    [COMMENT_FORM_SLOT]: markup(<PlainCommentForm slug={slug} returnTo={returnTo} limits={commentLimits} />),
    ...(page.view ? commentControls(page.view, overlay, returnTo) : {}),
  })
  const headers = page.headers.filter(([name]) => !/^(?:etag|cache-control|vary)$/i.test(name))
  // For this member only, and asked for again each time.
  headers.push(['Cache-Control', 'private, no-cache'], ['Vary', 'Cookie'])
  if (setCookie) headers.push(['Set-Cookie', setCookie])
  return { headers, body }
}

// As the app's own render writes it (text separators included), so a member's copy matches their own render byte for byte.
const markup = (element: ReactElement) => renderToString(element)

const CUT = '<tl-cut></tl-cut>'

// A comment's controls depend on the page (its story, its address) and on a handful of facts about
// the member (whether it is theirs, their vote, what they may do, whether they are staff): most
// members get the same controls on most comments. Rendered once per stored page and such facts,
// kept for as long as the page is.
const renderedControls = new WeakMap<SharedDiscussionView, Map<string, Buffer>>()

const controlsKey = (comment: CommentView, staff: boolean) =>
  `${comment.id}:${[comment.viewerVoted, comment.isOwn, comment.canEdit, comment.canDelete, comment.canVote, comment.canReply, comment.body !== null, staff].map(Number).join('')}`

/**
 * Each shown comment's controls for this member, by slot: their vote, reply, edit, delete, report and
 * staff buttons, as the app first renders them. Those not rendered for this page before are rendered
 * together, in one pass, and cut apart.
 */
function commentControls(view: SharedDiscussionView, overlay: ViewerOverlay, returnTo: string): Record<string, Buffer> {
  const rows = applyViewerOverlay(view.comments, overlay, view.place).filter((c) => c.status !== 'pending')
  const known = renderedControls.get(view) ?? new Map<string, Buffer>()
  renderedControls.set(view, known)
  const missing = rows.filter((comment) => !known.has(controlsKey(comment, overlay.staff)))
  if (missing.length > 0) {
    const shared: Shared = {
      slug: view.slug,
      now: view.now,
      maxDepth: view.place.maxDepth,
      signedIn: true,
      staff: overlay.staff,
      locked: view.place.locked,
      returnTo,
      commentLimits: overlay.commentLimits,
    }
    const strips = markup(
      <>
        {missing.map((comment) => (
          <Fragment key={comment.id}>
            <PlainCommentActions comment={comment} shared={shared} />
            <tl-cut />
          </Fragment>
        ))}
      </>,
    ).split(CUT)
    missing.forEach((comment, i) => known.set(controlsKey(comment, overlay.staff), Buffer.from(strips[i]!, 'utf8')))
  }
  return Object.fromEntries(rows.map((comment) => [`${commentAnchor(comment.id)}-actions`, known.get(controlsKey(comment, overlay.staff))!]))
}

/** The overlay as a data block: never run, and unable to end its element early. */
function dataBlock(overlay: ViewerOverlay) {
  const json = JSON.stringify(overlay)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return `<script type="application/json" id="${OVERLAY_DATA_ID}">${json}</script>`
}

type Slots = Map<string, { start: number; end: number }>
const slotsOf = new WeakMap<StoredPage, Slots>()

/** Where each slot's content starts and ends in a stored page (found once per page). */
function findSlots(page: StoredPage): Slots {
  let slots = slotsOf.get(page)
  if (slots) return slots
  slots = new Map()
  const close = Buffer.from('</tl-slot>')
  for (let at = page.body.indexOf('<tl-slot id="'); at !== -1; at = page.body.indexOf('<tl-slot id="', at + 1)) {
    const tagEnd = page.body.indexOf('>', at)
    const end = page.body.indexOf(close, tagEnd)
    if (tagEnd === -1 || end === -1) break
    const idStart = at + '<tl-slot id="'.length
    const id = page.body.subarray(idStart, page.body.indexOf('"', idStart)).toString('utf8')
    slots.set(id, { start: tagEnd + 1, end })
  }
  slotsOf.set(page, slots)
  return slots
}

/** The page with each named slot's content replaced; slots the page lacks (a locked story's form) are left out. */
function splice(page: StoredPage, contents: Record<string, string | Buffer>): Buffer {
  const places = [...findSlots(page)].filter(([id]) => id in contents).sort(([, a], [, b]) => a.start - b.start)
  const parts: Buffer[] = []
  let from = 0
  for (const [id, { start, end }] of places) {
    const content = contents[id]!
    parts.push(page.body.subarray(from, start), typeof content === 'string' ? Buffer.from(content, 'utf8') : content)
    from = end
  }
  parts.push(page.body.subarray(from))
  return Buffer.concat(parts)
}
