import crypto from 'node:crypto'
import { signUp } from '#app/models/users.server.ts'
import type { Role } from '#db/enums.ts'

export const TEST_PASSWORD = 'a long test password'

/** A member with a unique name, created through the domain like any sign-up. */
export async function createTestUser({ role = 'member', password = TEST_PASSWORD }: { role?: Role; password?: string } = {}) {
  const suffix = crypto.randomBytes(4).toString('hex')
  const user = await signUp({
    email: `user-${suffix}@example.com`,
    username: `user_${suffix}`,
    password,
    role,
  })
  return { ...user, email: `user-${suffix}@example.com`, password }
}
