import { sql } from 'drizzle-orm'
import { database } from '#app/db.server.ts'

// A discussion shaped like a real one, written straight to the tables: about a quarter top-level, the
// rest replies (most shallow, some long chains), from a pool of members, with votes spread unevenly.
// Fixed sequence, so every run makes the same discussion.

export async function seedRealisticDiscussion(articleId: number, total: number, members = 50) {
  let state = 42
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  await database.rows(sql`
    insert into users (id, email, username, display_name, password_hash, role, created_at)
    select 'reader-' || n, 'reader' || n || '@example.com', 'reader_' || n, 'Reader ' || n, null, 'member', now() - interval '30 days'
    from generate_series(1, ${members}) n
    on conflict do nothing`)
  type Row = { id: number; parent: number | null; root: number; depth: number }
  const rows: Row[] = []
  for (let i = 1; i <= total; i++) {
    const topLevel = rows.length === 0 || random() < 0.25
    const parent = topLevel ? null : rows[Math.max(0, rows.length - 1 - Math.floor(random() ** 3 * rows.length))]!
    rows.push({ id: i, parent: parent?.id ?? null, root: parent?.root ?? i, depth: parent ? parent.depth + 1 : 0 })
  }
  const [{ base }] = (await database.rows<{ base: number }>(sql`select coalesce(max(id), 0)::int as base from comments`)) as [{ base: number }]
  const started = Date.now() - total * 60_000
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows.slice(i, i + 500).map((r) => {
      const author = `reader-${1 + Math.floor(random() * members)}`
      const chip = ['H200', 'H20', 'Ascend 910B', 'MI300X'][r.id % 4]
      const body = `Comment ${r.id}: the ${chip} question again, with *some* emphasis and a [source](https://www.bis.gov/).`
      const html = `<p>Comment ${r.id}: the ${chip} question again, with <em>some</em> emphasis and a <a href="https://www.bis.gov/" rel="nofollow ugc noopener noreferrer">source</a>.</p>`
      const id = base + r.id
      return sql`(${id}, ${articleId}, ${r.parent === null ? null : base + r.parent}, ${base + r.root}, ${r.depth}, ${author}, ${body}, ${html}, ${Math.floor(random() ** 4 * 40)}, ${new Date(started + r.id * 60_000).toISOString()}::timestamptz)`
    })
    await database.rows(sql`
      insert into comments (id, article_id, parent_id, root_id, depth, author_id, body, body_html, score, created_at)
      overriding system value values ${sql.join(values, sql`, `)}`)
  }
  await database.rows(sql`select setval(pg_get_serial_sequence('comments', 'id'), (select max(id) from comments))`)
  await database.rows(sql`
    update comments c set reply_count = r.n
    from (select parent_id, count(*)::int n from comments where article_id = ${articleId} and parent_id is not null group by parent_id) r
    where c.id = r.parent_id`)
  await database.rows(sql`update articles set comment_count = comment_count + ${total} where id = ${articleId}`)
}
