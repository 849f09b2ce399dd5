import type { Role } from '#db/enums.ts'

// Which roles may use which part of the dashboard. Shared by the domain (which enforces it) and the
// navigation (which only hides what would be refused anyway).
export const staffRoles: Role[] = ['moderator', 'admin']
export const authoringRoles: Role[] = ['author', 'moderator', 'admin']
export const adminRoles: Role[] = ['admin']
/** Who edits and publishes any article; the other authoring roles only their own (as Ghost's authors). */
export const articleEditorRoles: Role[] = ['admin']
/**
 * The newsroom: their comments skip the rules meant for strangers (the first-comment hold, a new
 * account's tighter allowances), and their reports count toward hiding whatever their account's age.
 */
export const newsroomRoles: Role[] = ['author', 'moderator', 'admin']

/** Whether `role` is one of `roles`: the one way the app asks what a role may do. */
export function hasRole(role: Role | null | undefined, roles: readonly Role[]): boolean {
  return role != null && roles.includes(role)
}

/** Moderators and admins: who moderates, and sees the dashboard's overview. */
export const isStaff = (role: Role | null | undefined) => hasRole(role, staffRoles)
export const isAdmin = (role: Role | null | undefined) => hasRole(role, adminRoles)

/** Roles marked in discussions by a badge drawn from the role, outside the name text. */
export type StaffRole = 'author' | 'moderator' | 'admin'
export const staffBadgeRoles: readonly StaffRole[] = ['author', 'moderator', 'admin']
export function isStaffRole(role: Role): role is StaffRole {
  return (staffBadgeRoles as readonly Role[]).includes(role)
}
/** The word each badge shows. */
export const staffBadgeLabels: Record<StaffRole, string> = { author: 'Staff writer', moderator: 'Moderator', admin: 'Admin' }
