import { parseArgs } from 'node:util'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
/** The bench's database, named after the app's port so that two benches on one server (on two ports) keep apart. */
export const benchDatabase = (port: number) => `threadline_bench_${port}`

export type BenchOptions = {
  duration: number
  /** Seconds of the same load, not measured, before each scenario's measurement. */
  warmUp: number
  connections: number
  /** Seconds after which wrk counts an answer as a timeout. */
  timeout: number
  build: boolean
  keep: boolean
  /** Write a V8 CPU profile of the app to bench/.out/profiles when it stops. */
  profile: boolean
  soak: boolean
  soakSeconds: number
  port: number
  staticPort: number
  /** nginx serves the saved page as a file here, and proxies to the app through its micro-cache on the next port. */
  nginxPort: number
  nginxWorkers: number
  /** Only the scenarios whose name or key contains this text (with the limits, and what their targets compare them with). */
  only: string | null
  serverUrl: string
  serverUrlDefaulted: boolean
}

const usage = `usage: npm run bench -- [--duration S] [--warm-up S] [--connections N] [--timeout S] [--no-build] [--keep]
                        [--only TEXT] [--port P] [--static-port P] [--nginx-port P] [--nginx-workers N] [--profile]
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

function wholeNumber(name: string, value: string | undefined, fallback: number) {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`bench: --${name} must be a whole number, not ${JSON.stringify(value)}\n${usage}`)
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
        'warm-up': { type: 'string' },
        connections: { type: 'string' },
        timeout: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        soak: { type: 'boolean', default: false },
        'soak-seconds': { type: 'string' },
        port: { type: 'string' },
        'static-port': { type: 'string' },
        'nginx-port': { type: 'string' },
        'nginx-workers': { type: 'string' },
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
    warmUp: wholeNumber('warm-up', values['warm-up'], 3),
    connections: positiveInteger('connections', values.connections, 64),
    timeout: positiveInteger('timeout', values.timeout, 10),
    build: !values['no-build'],
    keep: values.keep,
    profile: values.profile,
    soak: values.soak,
    soakSeconds: positiveInteger('soak-seconds', values['soak-seconds'], 120),
    port: positiveInteger('port', values.port, 3810),
    staticPort: positiveInteger('static-port', values['static-port'], 3811),
    nginxPort: positiveInteger('nginx-port', values['nginx-port'], 3812),
    nginxWorkers: positiveInteger('nginx-workers', values['nginx-workers'], 1),
    only: values.only ?? null,
    serverUrl,
    serverUrlDefaulted: !process.env.DATABASE_URL,
  }
}
