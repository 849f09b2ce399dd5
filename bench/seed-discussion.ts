import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { openFromEnv } from '#app/lib/open-database.server.ts'
import type { DatabaseHandle } from '#db/connection.server.ts'
import { migrateDatabase } from '#db/migrate.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'

// Fills one article's discussion with N comments shaped like a real thread: about a quarter
// top-level, the rest replies (most shallow, some long chains), from a pool of members, with votes
// spread unevenly. For measuring pages, not for demos.
//   node --import tsx bench/seed-discussion.ts --article h20-market-specific-variant --comments 2000
// bench/run.ts calls seedDiscussion() on a database it has already migrated and seeded.

export type DiscussionSummary = { slug: string; total: number; topLevel: number; deepest: number }

/** Replaces the article's comments with `total` generated ones. Same arguments, same discussion. */
export async function seedDiscussion(
  handle: DatabaseHandle,
  { slug, total, memberCount = 50 }: { slug: string; total: number; memberCount?: number },
): Promise<DiscussionSummary> {
  // A fixed sequence per call, so two runs (or two articles seeded in one run) are reproducible.
  let state = 42
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31

  const [article] = await handle.rows<{ id: number }>(sql`select id from articles where slug = ${slug}`)
  if (!article) throw new Error(`no article ${slug}`)
  await handle.rows(sql`delete from comments where article_id = ${article.id}`)
  await handle.rows(sql`
    insert into users (id, email, username, display_name, password_hash, role)
    select 'bench-' || n, 'bench' || n || '@threadline.local', 'bench_reader_' || n, 'Bench Reader ' || n, null, 'member'
    from generate_series(1, ${memberCount}) n
    on conflict do nothing`)

  type Row = { id: number; parent: number | null; root: number; depth: number }
  const rows: Row[] = []
  const started = Date.now() - total * 30_000
  for (let i = 1; i <= total; i++) {
    const topLevel = rows.length === 0 || random() < 0.25
    // Replies favour recent comments, which makes long chains as well as bushy threads.
    const parent = topLevel ? null : rows[Math.max(0, rows.length - 1 - Math.floor(random() ** 3 * rows.length))]!
    rows.push({ id: i, parent: parent?.id ?? null, root: parent?.root ?? i, depth: parent ? parent.depth + 1 : 0 })
  }
  const [{ base }] = (await handle.rows<{ base: number }>(sql`select coalesce(max(id), 0)::int as base from comments`)) as [{ base: number }]
  const batch = 500
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch)
    const valuesSql = sql.join(
      chunk.map((r) => {
        const author = `bench-${1 + Math.floor(random() * memberCount)}`
        const body = `Comment ${r.id} on chips and export rules: the ${['H200', 'H20', 'Ascend 910B', 'MI300X'][r.id % 4]} question again, with *some* emphasis and a [source](https://www.bis.gov/).`
        const html = `<p>Comment ${r.id} on chips and export rules: the ${['H200', 'H20', 'Ascend 910B', 'MI300X'][r.id % 4]} question again, with <em>some</em> emphasis and a <a href="https://www.bis.gov/" rel="nofollow ugc noopener noreferrer">source</a>.</p>`
        const score = Math.floor(random() ** 4 * 40)
        return sql`(${base + r.id}, ${article.id}, ${r.parent === null ? null : base + r.parent}, ${base + r.root}, ${r.depth}, ${author}, ${body}, ${html}, ${score}, ${new Date(started + r.id * 30_000).toISOString()}::timestamptz)`
      }),
      sql`, `,
    )
    await handle.rows(sql`
      insert into comments (id, article_id, parent_id, root_id, depth, author_id, body, body_html, score, created_at)
      overriding system value values ${valuesSql}`)
  }
  await handle.rows(sql`select setval(pg_get_serial_sequence('comments', 'id'), (select max(id) from comments))`)
  await handle.rows(sql`
    update comments c set reply_count = r.n
    from (select parent_id, count(*)::int n from comments where article_id = ${article.id} and parent_id is not null group by parent_id) r
    where c.id = r.parent_id`)
  await handle.rows(sql`update articles set comment_count = ${total} where id = ${article.id}`)
  return {
    slug,
    total,
    topLevel: rows.filter((r) => r.parent === null).length,
    deepest: rows.reduce((deepest, r) => Math.max(deepest, r.depth), 0),
  }
}

export function describeDiscussion({ slug, total, topLevel, deepest }: DiscussionSummary) {
  return `bench: ${slug} now has ${total} comments (${topLevel} top-level, deepest ${deepest})`
}

async function main() {
  const { values } = parseArgs({
    options: { article: { type: 'string' }, comments: { type: 'string', default: '200' }, members: { type: 'string', default: '50' } },
  })
  const slug = values.article
  const total = Number(values.comments)
  const memberCount = Number(values.members)
  if (!slug || !Number.isInteger(total) || total < 1 || !Number.isInteger(memberCount) || memberCount < 1) {
    console.error('usage: bench/seed-discussion.ts --article SLUG --comments N [--members M]')
    process.exit(1)
  }
  const handle = await openFromEnv()
  try {
    await migrateDatabase(handle)
    await seedDatabase(handle.db)
    console.log(describeDiscussion(await seedDiscussion(handle, { slug, total, memberCount })))
  } finally {
    await handle.close()
  }
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) await main()
