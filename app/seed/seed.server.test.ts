import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { database, db } from '#app/db.server.ts'
import { articleChips, articles, articleTags, chips, tags, users } from '#db/schema.ts'
import { DEMO_PASSWORD, demoAccounts, seedDatabase } from './seed.server.ts'
import { verifyPassword } from '#app/models/passwords.server.ts'

async function snapshot() {
  const tables = ['users', 'articles', 'tags', 'chips', 'article_tags', 'article_chips']
  const out: Record<string, unknown> = {}
  for (const table of tables) {
    out[table] = await database.rows(sql.raw(`select * from ${table} order by 1, 2`))
  }
  return JSON.stringify(out)
}

describe('seedDatabase', () => {
  beforeEach(truncateAll)

  it('fills an empty database with the demo content', async () => {
    const added = await seedDatabase(db)
    expect(added.articles).toBeGreaterThanOrEqual(8)
    expect(added.chips).toBeGreaterThanOrEqual(10)
    expect(added.tags).toBeGreaterThan(0)
    expect(added.users).toBe(demoAccounts.length)

    const published = await db.select().from(articles)
    expect(published.every((a) => a.status === 'published' && a.bodyHtml.length > 0)).toBe(true)
    // House style: a publisher footer and an invitation to discuss close every story.
    for (const article of published) {
      expect(article.bodyHtml).toContain('Threadline')
      expect(article.bodyHtml).not.toMatch(/<script|<h1/i)
    }
    expect((await db.select().from(articleTags)).length).toBeGreaterThan(published.length)
    expect((await db.select().from(articleChips)).length).toBeGreaterThan(published.length)
  })

  it('covers every role with a demo account that can log in', async () => {
    await seedDatabase(db)
    const rows = await db.select({ role: users.role, passwordHash: users.passwordHash }).from(users)
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(['member', 'author', 'moderator', 'admin']))
    expect(await verifyPassword(rows[0]!.passwordHash!, DEMO_PASSWORD)).toBe(true)
  })

  it('changes nothing when run a second time', async () => {
    await seedDatabase(db)
    const before = await snapshot()
    const again = await seedDatabase(db)
    expect(again).toEqual({ users: 0, tags: 0, chips: 0, articles: 0 })
    expect(await snapshot()).toBe(before)
  })

  it('never overwrites what someone changed since', async () => {
    await seedDatabase(db)
    await db
      .update(chips)
      .set({ exportNote: 'edited by an author' })
      .where(sql`${chips.slug} = 'h200'`)
    await db.delete(tags).where(sql`${tags.slug} = 'hbm'`)
    await seedDatabase(db)
    const [h200] = await db
      .select()
      .from(chips)
      .where(sql`${chips.slug} = 'h200'`)
    expect(h200?.exportNote).toBe('edited by an author')
    // A deleted tag comes back (it is missing), but it is not re-attached to existing articles.
    const [hbm] = await db
      .select()
      .from(tags)
      .where(sql`${tags.slug} = 'hbm'`)
    const links = await db
      .select()
      .from(articleTags)
      .where(sql`${articleTags.tagId} = ${hbm!.id}`)
    expect(links).toHaveLength(0)
  })

  it('keeps unknown chip figures NULL rather than guessing', async () => {
    await seedDatabase(db)
    const [ascend] = await db
      .select()
      .from(chips)
      .where(sql`${chips.slug} = 'ascend-910c'`)
    expect(ascend?.memoryBandwidthGbs).toBeNull()
    expect(ascend?.sources.length).toBeGreaterThan(0)
  })
})
