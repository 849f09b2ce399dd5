import { sql } from 'drizzle-orm'
import { database } from '#db/client.server.ts'
import type { Role } from '#db/schema.ts'
import { DomainError } from './errors.server.ts'

export const staffRoles: Role[] = ['moderator', 'admin']

export function assertStaff(actor: { role: Role }) {
  if (!staffRoles.includes(actor.role)) throw new DomainError('forbidden', 'This is for moderators and admins.')
}

/** Headline counts for the dashboard, in one query. */
export async function getSiteOverview({ actor }: { actor: { role: Role } }) {
  assertStaff(actor)
  const [row] = await database.rows<{ members: number; articles: number; comments: number; newMembers: number }>(sql`
    select (select count(*)::int from users where deleted_at is null) as "members",
           (select count(*)::int from users where deleted_at is null and created_at > now() - interval '30 days') as "newMembers",
           (select count(*)::int from articles where status = 'published') as "articles",
           (select count(*)::int from comments) as "comments"`)
  return row!
}
