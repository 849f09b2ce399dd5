import { z } from 'zod'

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
    } catch {
      return false
    }
  }, 'must be a postgres:// URL such as postgres://user@127.0.0.1:5432/threadline')

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), postgresUrl.optional()),
  DATA_DIR: z.string().trim().min(1, 'must name a directory').default('./data'),
  PORT: z.coerce
    .number({ error: 'must be a whole number from 1 to 65535' })
    .int('must be a whole number from 1 to 65535')
    .min(1, 'must be a whole number from 1 to 65535')
    .max(65535, 'must be a whole number from 1 to 65535')
    .default(3000),
  HOST: z.string().trim().optional(),
  PUBLIC_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://threadline.example' })
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
  ),
  // Behind a load balancer or proxy: how many hops of X-Forwarded-For to trust for the client's IP.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
  MAIL_FROM: z.string().trim().min(3).default('Threadline <no-reply@threadline.local>'),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  // The largest request body accepted, in KB; larger ones get 413.
  BODY_LIMIT_KB: z.coerce.number().int().min(16).max(100_000).default(2048),
  // Statements slower than this are logged with their SQL.
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(100),
})

export type Env = z.infer<typeof EnvSchema>

export class EnvError extends Error {
  override name = 'EnvError'
}

/** Parses an environment; throws an EnvError whose message is one line naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)
  throw new EnvError(`Invalid environment: ${problems.join('; ')}`)
}

function loadEnv(): Env {
  try {
    return parseEnv(process.env)
  } catch (error) {
    if (!(error instanceof EnvError)) throw error
    // One clear line instead of a stack trace: this is an operator's mistake, not a bug.
    console.error(`threadline: ${error.message}`)
    process.exit(1)
  }
}

export const env = loadEnv()
