import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, type DatabaseHandle } from '#db/connection.server.ts'
import { runCommand } from './processes.ts'
import { describeDiscussion, seedDiscussion } from './seed-discussion.ts'

// The bench database: made fresh on the given server, seeded by the project's own script, then given
// big discussions, limits that stay out of the way, and signed-in members.

export function databaseUrl(serverUrl: string, name: string) {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Drops and recreates `name`; returns its URL and a function that drops it again. */
export async function createDatabase(serverUrl: string, name: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.unsafe(`create database "${name}"`)
  } catch (error) {
    await admin.end({ timeout: 1 })
    throw error
  }
  let dropped = false
  return {
    url: databaseUrl(serverUrl, name),
    async drop({ keep }: { keep: boolean }) {
      if (dropped) return
      dropped = true
      try {
        if (!keep) await admin.unsafe(`drop database if exists "${name}" with (force)`)
      } finally {
        await admin.end({ timeout: 5 })
      }
    },
  }
}

/** Migrates and seeds through scripts/db-seed.ts, exactly as `npm run db:seed` would. */
export async function migrateAndSeed(url: string) {
  await runCommand(process.execPath, ['--import', 'tsx', 'scripts/db-seed.ts'], { env: { ...process.env, DATABASE_URL: url } })
}

export function openBenchDatabase(url: string) {
  return openDatabase({ url, poolMax: 2 })
}

export async function seedDiscussions(handle: DatabaseHandle, discussions: { slug: string; total: number }[]) {
  for (const discussion of discussions) console.log(describeDiscussion(await seedDiscussion(handle, discussion)))
  // A live site's autovacuum would have analysed these tables long ago; the planner should see them.
  await handle.rows(sql`analyze`)
}

// Limits that would otherwise refuse or hold the posting scenario's comments (see
// app/models/settings.server.ts): 20 members posting flat out for 15 s.
export const benchSettings = {
  commentsPerMinute: 100_000,
  commentsPerDay: 100_000,
  newAccountCommentsPerMinute: 100_000,
  newAccountCommentsPerDay: 100_000,
  newAccountHours: 0,
  holdFirstComment: false,
  maxLinks: 1000,
  watchedWords: [],
} as const

export async function writeSettings(handle: DatabaseHandle, values: Record<string, unknown> = benchSettings) {
  for (const [key, value] of Object.entries(values)) {
    await handle.rows(sql`
      insert into settings (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()`)
  }
}

export type Member = { id: string; cookie: string }

export const SESSION_COOKIE = 'threadline_session'
const WRITER_PREFIX = 'bench-writer-'
export const RETURNING_PREFIX = 'bench-returning-'

/**
 * Members with a Lucia session each, written straight into the tables: logging 21 people in through
 * the form would cost 21 argon2 hashes and trip the per-IP log-in limit for nothing. The accounts are
 * a month old (not "new") and each has a published comment (on `historySlug`, an article no scenario
 * reads), so no first-comment hold applies even if the setting were left on.
 */
export async function createMembers(
  handle: DatabaseHandle,
  { writers, historySlug, returning }: { writers: number; historySlug: string; returning?: { count: number; passwordHash: string } },
) {
  const [article] = await handle.rows<{ id: number }>(sql`select id from articles where slug = ${historySlug}`)
  if (!article) throw new Error(`no article ${historySlug}`)
  const make = async (id: string, username: string, displayName: string, passwordHash: string | null = null): Promise<Member> => {
    await handle.rows(sql`
      insert into users (id, email, username, display_name, password_hash, role, created_at)
      values (${id}, ${`${username}@bench.threadline.local`}, ${username}, ${displayName}, ${passwordHash}, 'member', now() - interval '30 days')`)
    await handle.rows(sql`
      insert into comments (article_id, root_id, depth, author_id, body, body_html, created_at)
      values (${article.id}, null, 0, ${id}, ${`Earlier comment by ${displayName}.`}, ${`<p>Earlier comment by ${displayName}.</p>`}, now() - interval '20 days')`)
    // The browser holds the token; the table, as the app writes it, its SHA-256.
    const token = crypto.randomBytes(32).toString('base64url')
    const sessionId = crypto.createHash('sha256').update(token).digest('hex')
    await handle.rows(sql`
      insert into sessions (id, user_id, expires_at, created_at, user_agent)
      values (${sessionId}, ${id}, now() + interval '30 days', now(), 'threadline bench')`)
    return { id, cookie: `${SESSION_COOKIE}=${token}` }
  }
  const reader = await make('bench-viewer', 'bench_viewer', 'Bench Viewer')
  const writerList: Member[] = []
  for (let i = 1; i <= writers; i++) writerList.push(await make(`${WRITER_PREFIX}${i}`, `bench_writer_${i}`, `Bench Writer ${i}`))
  // Members who log in through the form (with `passwordHash`'s password), as a returning reader does.
  const returningList: { id: string; username: string }[] = []
  for (let i = 1; i <= (returning?.count ?? 0); i++) {
    const member = { id: `${RETURNING_PREFIX}${i}`, username: `bench_returning_${i}` }
    await make(member.id, member.username, `Bench Returning ${i}`, returning!.passwordHash)
    returningList.push(member)
  }
  // The article's count, as the app would keep it (each comment's root is set by the comments_root trigger).
  await handle.rows(sql`
    update articles set comment_count = (select count(*) from comments where article_id = ${article.id} and status = 'published')
    where id = ${article.id}`)
  return { reader, writers: writerList, returning: returningList }
}

/** Comments by the posting scenario's writers, whatever their status, to check each 3xx answer stored one. */
export async function countWriterComments(handle: DatabaseHandle) {
  const [row] = await handle.rows<{ n: number }>(sql`
    select count(*)::int as n from comments where author_id like ${`${WRITER_PREFIX}%`}`)
  return row?.n ?? 0
}

/** Writers' comments that did not come out published (held by a rule), which would mean a limit got in the way. */
export async function countWriterUnpublished(handle: DatabaseHandle) {
  const [row] = await handle.rows<{ n: number }>(sql`
    select count(*)::int as n from comments where author_id like ${`${WRITER_PREFIX}%`} and status <> 'published'`)
  return row?.n ?? 0
}

export async function serverVersion(handle: DatabaseHandle) {
  const [row] = await handle.rows<{ server_version: string }>(sql`show server_version`)
  return row?.server_version ?? 'unknown'
}
