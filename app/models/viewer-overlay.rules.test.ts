import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { flatten, packDiscussion } from '#app/lib/discussion-codec.ts'
import { buildCommentTree, commentSorts } from '#app/lib/comment-tree.ts'
import type { CommentView } from '#app/lib/comment-view.ts'
import { applyViewerOverlay, type ViewerOverlay } from '#app/lib/viewer-overlay.ts'
import { truncateAll } from '#app/test/db.ts'
import { seedRealisticDiscussion } from '#app/test/discussion.ts'
import { createPublishedArticle } from '#app/test/domain.ts'
import { database } from '#app/db.server.ts'
import { getDiscussion, getViewerComments } from './comments.server.ts'
import { putSetting } from './settings.server.ts'

// A member's story page is the page rendered for nobody plus their overlay (app/lib/viewer-overlay.ts).
// For every member of a realistic discussion, every order and every page, the two together must be
// exactly the discussion as the member's own render shows it: their votes, their own comments and
// what they may still do with them, their held comments where they belong, every other control.

const MEMBERS = 12
const members = Array.from({ length: MEMBERS }, (_, i) => `reader-${i + 1}`)

type Story = { id: number; slug: string; discussionLocked: boolean }
let single: Story
let paged: Story

const plain = (rows: CommentView[]) => JSON.parse(JSON.stringify(rows)) as unknown[]

async function overlayOf(story: Story, viewer: string): Promise<ViewerOverlay> {
  const { votes, own, held } = await getViewerComments({ slug: story.slug, viewer: { id: viewer } })
  return {
    user: { id: viewer, username: viewer, displayName: viewer, role: 'member', unreadNotifications: 0, suspended: null },
    staff: false,
    commentLimits: { maxLength: 10_000 },
    votes,
    own,
    held: packDiscussion(held.map((c) => ({ ...c, children: [], descendantCount: 0 }))),
  }
}

async function compare(story: Story, viewer: string) {
  for (const sort of commentSorts) {
    const first = await getDiscussion({ article: story, viewer: null, sort, page: 1 })
    for (let page = 1; page <= first.pageCount; page++) {
      const shared = await getDiscussion({ article: story, viewer: null, sort, page })
      const own = await getDiscussion({ article: story, viewer: { id: viewer }, sort, page })
      const place = {
        sort,
        page,
        pageCount: shared.pageCount,
        locked: story.discussionLocked,
        maxDepth: shared.maxDepth,
        repliesPerThread: shared.repliesPerThread,
      }
      const merged = applyViewerOverlay(flatten(shared.tree), await overlayOf(story, viewer), place)
      // As the page shows them: nested, in order.
      expect(plain(flatten(buildCommentTree(merged))), `${viewer}, ${sort}, page ${page}`).toEqual(plain(flatten(own.tree)))
    }
  }
}

beforeAll(async () => {
  await truncateAll()
  await putSetting('editWindowMinutes', 30)
  single = await createPublishedArticle()
  paged = await createPublishedArticle()
  // One page of top-level comments (held ones cannot move a page boundary), and three.
  await seedRealisticDiscussion(single.id, 100, MEMBERS)
  await seedRealisticDiscussion(paged.id, 500, MEMBERS)
  for (const story of [single, paged]) {
    await database.rows(sql`
      insert into comment_votes (comment_id, user_id, value)
      select c.id, u.id, 1 from comments c cross join users u
      where c.article_id = ${story.id} and u.id like 'reader-%' and c.author_id <> u.id and (c.id * 7 + length(u.id) * 13) % 5 = 0`)
    // Removed, deleted and hidden comments, a pinned one, and a discussion's last comments within the edit window.
    await database.rows(sql`update comments set status = 'removed', moderation_reason = 'Off topic' where article_id = ${story.id} and id % 17 = 0`)
    await database.rows(sql`update comments set status = 'deleted' where article_id = ${story.id} and id % 19 = 0`)
    await database.rows(sql`update comments set status = 'hidden' where article_id = ${story.id} and id % 23 = 0`)
    await database.rows(
      sql`update comments set pinned = true where id = (select min(id) from comments where article_id = ${story.id} and parent_id is null)`,
    )
  }
  // Held comments on the one-page story: top-level, a reply, a reply to a held reply, and one too deep to show.
  const [root] = await database.rows<{ id: number }>(
    sql`select id from comments where article_id = ${single.id} and parent_id is null and status = 'published' order by id limit 1 offset 2`,
  )
  const [deep] = await database.rows<{ id: number; depth: number; root_id: number }>(
    sql`select id, depth, root_id from comments where article_id = ${single.id} and status = 'published' order by depth desc, id limit 1`,
  )
  await database.rows(sql`
    insert into comments (article_id, parent_id, root_id, depth, author_id, body, body_html, status, created_at) values
      (${single.id}, null, null, 0, 'reader-1', 'held root', '<p>held root</p>', 'pending', now() - interval '2 minutes'),
      (${single.id}, ${root!.id}, ${root!.id}, 1, 'reader-1', 'held reply', '<p>held reply</p>', 'pending', now() - interval '1 minute'),
      (${single.id}, ${deep!.id}, ${deep!.root_id}, ${deep!.depth + 1}, 'reader-2', 'held deep', '<p>held deep</p>', 'pending', now())`)
  await database.rows(sql`update comments set root_id = id where root_id is null`)
  await database.rows(sql`
    insert into comments (article_id, parent_id, root_id, depth, author_id, body, body_html, status, created_at)
    select article_id, id, root_id, depth + 1, author_id, 'held under held', '<p>held under held</p>', 'pending', now()
    from comments where body = 'held reply'`)
}, 180_000)

describe('a member’s page is the shared page plus their overlay', () => {
  it.each(members)('for %s, on one page with held comments, in every order', async (viewer) => {
    await compare(single, viewer)
  })

  it.each(members.slice(0, 4))('for %s, on every page of a long discussion, in every order', async (viewer) => {
    await compare(paged, viewer)
  })

  it('in a locked discussion: no replies, no edits, for anyone', async () => {
    await database.rows(sql`update articles set discussion_locked = true where id = ${single.id}`)
    try {
      for (const viewer of members.slice(0, 3)) await compare({ ...single, discussionLocked: true }, viewer)
    } finally {
      await database.rows(sql`update articles set discussion_locked = false where id = ${single.id}`)
    }
  })
})
