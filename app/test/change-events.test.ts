import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { changeEventFrom, pagesChangedBy, type ChangeEvent } from '#app/lib/page-cache.server.ts'
import { createComment, rememberCommentSort } from '#app/models/comments.server.ts'
import { putSetting } from '#app/models/settings.server.ts'
import { changeDisplayName } from '#app/models/users.server.ts'
import { voteOnComment } from '#app/models/votes.server.ts'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { database } from '#app/db.server.ts'

// The database's triggers are what tells every app instance which cached pages a write made stale
// (migrations 0007 and 0010). Writes through the domain, and what each announces.

const heard: ChangeEvent[] = []
let unlisten: (() => Promise<void>) | undefined

beforeAll(async () => {
  unlisten = await database.listen('threadline_events', (payload) => {
    const event = changeEventFrom(payload)
    if (event) heard.push(event)
  })
})
afterAll(() => unlisten?.())
beforeEach(truncateAll)

/** What the writes in `act` announce, once every notification has arrived. */
async function announced(act: () => Promise<unknown>): Promise<ChangeEvent[]> {
  // A marker written last: once it is heard, everything before it has been delivered.
  await new Promise((resolve) => setTimeout(resolve, 50))
  heard.length = 0
  await act()
  await database.rows(sql`select pg_notify('threadline_events', '{"type":"data-changed","table":"marker"}')`)
  const deadline = Date.now() + 5000
  while (!heard.some((e) => e.table === 'marker') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  return heard.filter((e) => e.table !== 'marker')
}

async function story(slug: string) {
  const [row] = await database.rows<{ id: number }>(sql`
    insert into articles (slug, title, standfirst, body, body_html, status, published_at)
    values (${slug}, 'A story', 'Standfirst', 'Body', '<p>Body</p>', 'published', now() - interval '1 hour') returning id`)
  return row!.id
}

describe('change events', () => {
  it('a comment and a vote name their story, and drop only its pages (and the lists counting comments)', async () => {
    await story('a-story')
    await putSetting('holdFirstComment', false)
    const [writer, voter] = await Promise.all([createTestUser(), createTestUser()])
    let commentId = 0
    const onComment = await announced(async () => {
      commentId = (await createComment({ articleSlug: 'a-story', actorId: writer.id, body: 'First!' })).id
    })
    const seen = (events: ChangeEvent[]) => new Set(events.map((e) => `${e.table}:${e.story}:${e.scope}`))
    // The comment, and its story's count: both the story's pages and the lists that count comments.
    expect(seen(onComment)).toEqual(new Set(['comments:a-story:discussion', 'articles:a-story:discussion']))

    // A vote and the score it changes: that story's pages only.
    const onVote = await announced(() => voteOnComment({ commentId, actorId: voter.id, up: true }))
    expect(seen(onVote)).toEqual(new Set(['comment_votes:a-story:story', 'comments:a-story:story']))
    for (const event of [...onComment, ...onVote]) {
      const match = pagesChangedBy(event)
      expect(match).not.toBe('all')
      expect((match as (key: string) => boolean)('/articles/other-story')).toBe(false)
      expect((match as (key: string) => boolean)('/feed.xml')).toBe(false)
    }
    // Editing the story itself may change any page.
    const onEdit = await announced(() => database.rows(sql`update articles set title = 'New title' where slug = 'a-story'`))
    expect(onEdit.map(pagesChangedBy)).toEqual(['all'])
  })

  it('a sign-up, a remembered sort order, a session or a throttle count drop nothing', async () => {
    const events = await announced(async () => {
      const user = await createTestUser()
      await rememberCommentSort({ userId: user.id, sort: 'new' })
      await database.rows(sql`insert into sessions (id, user_id, expires_at) values ('s', ${user.id}, now() + interval '1 day')`)
      await database.rows(sql`insert into rate_limits (key, count, reset_at) values ('k', 1, now())`)
    })
    expect(events).toEqual([])
  })

  it('a member’s new name, shown beside their comments anywhere, drops every page', async () => {
    const user = await createTestUser()
    const events = await announced(() => changeDisplayName({ actorId: user.id, displayName: 'A New Name' }))
    expect(events).toEqual([{ table: 'users', story: null, scope: null }])
    expect(pagesChangedBy(events[0]!)).toBe('all')
  })
})
