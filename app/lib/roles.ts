import type { Role } from '#db/enums.ts'

// Which roles may use which part of the dashboard. Shared by the domain (which enforces it) and the
// navigation (which only hides what would be refused anyway).
export const staffRoles: Role[] = ['moderator', 'admin']
export const authoringRoles: Role[] = ['author', 'moderator', 'admin']
export const adminRoles: Role[] = ['admin']
