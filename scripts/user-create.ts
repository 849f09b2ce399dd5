import readline from 'node:readline'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { roles } from '#db/enums.ts'
import { EmailSchema, PasswordSchema } from '#app/schemas/auth.ts'

// npm run user:create -- --email ada@example.com --username ada --role admin
// The password comes from THREADLINE_PASSWORD, or is asked for without echoing it.

const usage =
  'usage: npm run user:create -- --email EMAIL [--username NAME] [--role member|author|moderator|admin]\n' +
  '       the password is read from THREADLINE_PASSWORD, or asked for on the terminal'

const ArgsSchema = z.object({
  email: EmailSchema,
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{2,29}$/, 'usernames have 3–30 letters, digits, hyphens or underscores'),
  role: z.enum(roles).default('member'),
})

function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true })
    const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream }
    output._writeToOutput = (s: string) => {
      if (s.startsWith(question)) output.output.write(s)
    }
    rl.question(question, (answer) => {
      rl.close()
      process.stdout.write('\n')
      resolve(answer)
    })
  })
}

function fail(message: string): never {
  console.error(`threadline: ${message}`)
  process.exit(1)
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' } },
  strict: true,
})
const args = ArgsSchema.safeParse({
  ...values,
  username: values.username ?? values.email?.split('@')[0],
})
if (!args.success) fail(`${args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n${usage}`)

let password = process.env.THREADLINE_PASSWORD
if (!password) {
  if (!process.stdin.isTTY) fail(`no password: set THREADLINE_PASSWORD or run in a terminal\n${usage}`)
  password = await askHidden('Password: ')
}
const checked = PasswordSchema.safeParse(password)
if (!checked.success) fail(checked.error.issues[0]?.message ?? 'invalid password')

// Imported only now: opening the database (and migrating it) is the last step.
const { createOrPromoteUser } = await import('#app/models/users.server.ts')
const { database } = await import('#app/db.server.ts')
try {
  const { user, created } = await createOrPromoteUser({ ...args.data, password: checked.data })
  console.log(`threadline: ${created ? 'created' : 'updated'} ${user.username} <${args.data.email}> as ${user.role}`)
} catch (error) {
  fail(error instanceof Error ? error.message : String(error))
} finally {
  await database.close()
}
