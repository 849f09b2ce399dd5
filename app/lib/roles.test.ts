import { describe, expect, it } from 'vitest'
import { roles } from '#db/enums.ts'
import { adminRoles, authoringRoles, hasRole, isAdmin, isStaff } from './roles.ts'

describe('hasRole', () => {
  it('is true only for a role in the list', () => {
    expect(hasRole('author', authoringRoles)).toBe(true)
    expect(hasRole('member', authoringRoles)).toBe(false)
    expect(hasRole('moderator', adminRoles)).toBe(false)
  })
  it('is false for no one', () => {
    expect(hasRole(null, authoringRoles)).toBe(false)
    expect(hasRole(undefined, authoringRoles)).toBe(false)
  })
})

describe('isStaff and isAdmin', () => {
  it('name moderators and admins as staff, admins alone as admins', () => {
    expect(roles.filter(isStaff)).toEqual(['moderator', 'admin'])
    expect(roles.filter(isAdmin)).toEqual(['admin'])
    expect(isStaff(null)).toBe(false)
  })
})
