import { sql } from 'drizzle-orm'
import { database } from '#app/db.server.ts'
import type { Role } from '#db/schema.ts'
import { DomainError } from '#app/lib/domain-errors.ts'

import { adminRoles, articleEditorRoles, authoringRoles, newsroomRoles, staffRoles } from '#app/lib/roles.ts'

// Who may do what in the dashboard. Routes check too, but these checks are the ones that hold.
export { adminRoles, articleEditorRoles, authoringRoles, newsroomRoles, staffRoles }

export type Actor = { id: string; role: Role }

export function assertRole(actor: { role: Role } | null | undefined, roles: Role[], what = 'do that') {
  if (!actor) throw new DomainError('unauthenticated', `Log in to ${what}.`)
  if (!roles.includes(actor.role)) throw new DomainError('forbidden', `Your role does not allow you to ${what}.`)
}

export function assertStaff(actor: { role: Role }) {
  assertRole(actor, staffRoles, 'moderate')
}

/** Headline counts and the last 30 days of comments for the dashboard, in two queries. */
export async function getSiteOverview({ actor }: { actor: { role: Role } }) {
  assertStaff(actor)
  const [counts] = await database.rows<{
    members: number
    newMembers24h: number
    newMembers30d: number
    articles: number
    comments24h: number
    comments30d: number
    openReports: number
    heldComments: number
  }>(sql`
    select (select count(*)::int from users where deleted_at is null) as "members",
           (select count(*)::int from users where deleted_at is null and created_at > now() - interval '24 hours') as "newMembers24h",
           (select count(*)::int from users where deleted_at is null and created_at > now() - interval '30 days') as "newMembers30d",
           (select count(*)::int from articles where status = 'published') as "articles",
           (select count(*)::int from comments where created_at > now() - interval '24 hours') as "comments24h",
           (select count(*)::int from comments where created_at > now() - interval '30 days') as "comments30d",
           (select count(distinct comment_id)::int from reports where resolved_at is null) as "openReports",
           (select count(*)::int from comments where status in ('pending', 'hidden')) as "heldComments"`)
  const daily = await database.rows<{ day: string; comments: number }>(sql`
    select to_char(d.day, 'YYYY-MM-DD') as day, count(c.id)::int as comments
    from generate_series(date_trunc('day', now()) - interval '29 days', date_trunc('day', now()), interval '1 day') as d(day)
    left join comments c on c.created_at >= d.day and c.created_at < d.day + interval '1 day'
    group by d.day order by d.day`)
  return { ...counts!, daily: daily.map((d) => ({ day: d.day, comments: Number(d.comments) })) }
}
