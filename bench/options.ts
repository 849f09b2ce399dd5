import { parseArgs } from 'node:util'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
export const BENCH_DATABASE = 'threadline_bench'

export type BenchOptions = {
  duration: number
  connections: number
  /** Seconds before autocannon gives up on an answer and counts a timeout. */
  timeout: number
  build: boolean
  keep: boolean
  /** Write a V8 CPU profile of the app to bench/.out/profiles when it stops. */
  profile: boolean
  soak: boolean
  soakSeconds: number
  port: number
  staticPort: number
  /** Only the scenarios whose name contains this text (the static limit always runs). */
  only: string | null
  serverUrl: string
  serverUrlDefaulted: boolean
}

const usage = `usage: npm run bench -- [--duration S] [--connections N] [--timeout S] [--no-build] [--keep]
                        [--only TEXT] [--port P] [--static-port P] [--profile]
       npm run bench -- --soak [--soak-seconds S]`

function positiveInteger(name: string, value: string | undefined, fallback: number) {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: --${name} must be a whole number above 0, not ${JSON.stringify(value)}\n${usage}`)
    process.exit(2)
  }
  return n
}

export function readOptions(argv = process.argv.slice(2)): BenchOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        connections: { type: 'string' },
        timeout: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        soak: { type: 'boolean', default: false },
        'soak-seconds': { type: 'string' },
        port: { type: 'string' },
        'static-port': { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }))
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n${usage}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(usage)
    process.exit(0)
  }
  const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
  return {
    duration: positiveInteger('duration', values.duration, 15),
    connections: positiveInteger('connections', values.connections, 64),
    timeout: positiveInteger('timeout', values.timeout, 10),
    build: !values['no-build'],
    keep: values.keep,
    profile: values.profile,
    soak: values.soak,
    soakSeconds: positiveInteger('soak-seconds', values['soak-seconds'], 120),
    port: positiveInteger('port', values.port, 3210),
    staticPort: positiveInteger('static-port', values['static-port'], 3211),
    only: values.only ?? null,
    serverUrl,
    serverUrlDefaulted: !process.env.DATABASE_URL,
  }
}
