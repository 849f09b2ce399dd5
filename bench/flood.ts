import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { openDatabase, type DatabaseHandle } from '#db/connection.server.ts'
import { hash } from '@node-rs/argon2'
import { createDatabase, createMembers, migrateAndSeed, RETURNING_PREFIX, serverVersion, type Member } from './database.ts'
import { DEFAULT_DATABASE_URL } from './options.ts'
import { runCommand, startService, stopAllChildren, waitForOk, type Service } from './processes.ts'

// `npm run bench:flood`: an abuse flood on loopback, against the production build with TRUST_PROXY=1.
// Anonymous readers are measured with wrk twice: quiet (readers, and members posting at a normal
// rate, and members coming back who log in and comment), then for the flood's length with a flood on
// top: sign-ups (whose mailed links the flood follows) and comment posts from thousands of client
// addresses (X-Forwarded-For). The target: readers' p99 during the flood within 5× of the quiet
// figure, and every legitimate log-in and comment answered and stored. Exits 1 when either is missed.
// Not part of `npm test`: its figures depend on the machine. See bench/README.md ("Flood").

const outDir = fileURLToPath(new URL('./.out/', import.meta.url))
const usage = `usage: npm run bench:flood -- [--database server|pglite] [--quiet S] [--flood S] [--flood-rate N] [--flood-in-flight N]
                              [--readers N] [--members N] [--returning N] [--port P] [--no-build] [--profile]`

const { values: args } = parseArgs({
  options: {
    database: { type: 'string', default: 'server' },
    quiet: { type: 'string', default: '20' },
    flood: { type: 'string', default: '30' },
    'flood-rate': { type: 'string', default: '200' },
    'flood-in-flight': { type: 'string', default: '1000' },
    readers: { type: 'string', default: '16' },
    members: { type: 'string', default: '20' },
    returning: { type: 'string', default: '5' },
    port: { type: 'string', default: '3430' },
    'no-build': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
  strict: true,
})
function whole(name: string, value: string | undefined) {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) {
    console.error(`flood: --${name} must be a whole number above 0\n${usage}`)
    process.exit(2)
  }
  return n
}
if (args.database !== 'server' && args.database !== 'pglite') {
  console.error(`flood: --database is server or pglite\n${usage}`)
  process.exit(2)
}
const options = {
  database: args.database,
  quietSeconds: whole('quiet', args.quiet),
  floodSeconds: whole('flood', args.flood),
  floodRate: whole('flood-rate', args['flood-rate']),
  floodInFlight: whole('flood-in-flight', args['flood-in-flight']),
  readers: whole('readers', args.readers),
  members: whole('members', args.members),
  returning: whole('returning', args.returning),
  port: whole('port', args.port),
  build: !args['no-build'],
  profile: args.profile,
}
const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
const origin = `http://127.0.0.1:${options.port}`

// The readers' pages, and the story everyone posts on (so members' comments change a page readers read).
const readerPaths = ['/', '/articles/h20-market-specific-variant', '/articles/h200-exports-to-china-approved', '/chips']
const postSlug = 'h20-market-specific-variant'
const historySlug = 'hbm-supply-and-export-rules'
// A member at the product's default limit (5 a minute) posts well inside it.
const MEMBER_POST_EVERY_MS = 15_000
// A returning member logs in afresh (a session the server has not seen) and comments, this often
// (within the default allowance of 5 comments a minute, as the members above).
const RETURN_EVERY_MS = 15_000
const RETURNING_PASSWORD = 'bench returning member password'
const FLOOD_DOMAIN = 'flood.example'

// ---------------------------------------------------------------------------------------------
// Readers: wrk

type WrkResult = { requests: number; rps: number; p50Ms: number; p99Ms: number; maxMs: number; non2xx: number; socketErrors: number }

function toMs(value: string, unit: string) {
  const n = Number(value)
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n
}

function parseWrk(output: string): WrkResult {
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output)
    if (!m) throw new Error(`wrk printed no ${p}% latency:\n${output}`)
    return toMs(m[1]!, m[2]!)
  }
  const max = /^\s*Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)/m.exec(output)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  return {
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? 0),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    maxMs: max ? toMs(max[1]!, max[2]!) : NaN,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  }
}

function runWrk(seconds: number): Promise<WrkResult> {
  const script = path.join(outDir, 'flood-readers.lua')
  fs.writeFileSync(
    script,
    `-- Anonymous readers, round the site's busiest pages.
local paths = { ${readerPaths.map((p) => JSON.stringify(p)).join(', ')} }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
`,
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const child = spawn('wrk', ['-t1', `-c${options.readers}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-s', script, origin], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('wrk is not installed (Debian: apt-get install wrk)') : error),
    )
    child.on('exit', (code) => (code === 0 ? resolve(parseWrk(output)) : reject(new Error(`wrk exited ${code}:\n${output}`))))
  })
}

// ---------------------------------------------------------------------------------------------
// HTTP, for the flood and the members

// The flood and the legitimate clients connect apart: sharing one pool, the members' requests
// waited in this process for a socket behind the flood's (seconds, on the client, not the server).
const floodAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity })
const memberAgent = new http.Agent({ keepAlive: true, maxSockets: 64 })

type Answer = { status: number; location: string; cookie: string | null; body: string }

function post(pathname: string, form: Record<string, string>, headers: Record<string, string>, agent = memberAgent): Promise<Answer> {
  const body = new URLSearchParams(form).toString()
  return new Promise((resolve) => {
    const request = http.request(
      `${origin}${pathname}`,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          Origin: origin,
          ...headers,
        },
        timeout: 30_000,
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () => {
          const setCookie = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('threadline_session='))
          resolve({
            status: response.statusCode ?? 0,
            location: String(response.headers.location ?? ''),
            cookie: setCookie ? setCookie.split(';')[0]! : null,
            body: text,
          })
        })
        response.on('error', () => resolve({ status: -1, location: '', cookie: null, body: '' }))
      },
    )
    request.on('timeout', () => request.destroy(new Error('timeout')))
    request.on('error', () => resolve({ status: -1, location: '', cookie: null, body: '' }))
    request.end(body)
  })
}

/** What refused (or took) a request: the limit's own words when it says "Too many …". */
function outcome(kind: 'sign-up' | 'comment', answer: Answer) {
  if (answer.status === -1) return `${kind}: no answer (connection error or 30 s timeout)`
  if (answer.status >= 300 && answer.status < 400) {
    if (kind === 'comment' && answer.location.startsWith('/login')) return 'comment: refused, not signed in (sent to log in)'
    if (kind === 'comment') return 'comment: accepted (stored, published or held)'
    return 'sign-up: accepted'
  }
  if (answer.status >= 200 && answer.status < 300) return `${kind}: accepted (${answer.status})`
  if (answer.body.includes('refused several times in a row'))
    return `${kind}: ${answer.status} “refused several times in a row” (the app's refusal, remembered)`
  const tooMany = /Too many [^.<"]+/.exec(answer.body)?.[0]
  if (tooMany) return `${kind}: ${answer.status} “${tooMany}”`
  const said = /(taken|already|not valid|must|cannot|could not|busy|try again)[^.<"]{0,60}/i.exec(answer.body)?.[0]
  return `${kind}: ${answer.status}${said ? ` “…${said}”` : ''}`
}

function randomAddress(pool: number) {
  const n = crypto.randomInt(pool)
  return `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255 || 1}`
}

// ---------------------------------------------------------------------------------------------
// The flood and the members

const ADDRESSES = 5_000

/**
 * The flood, open-loop: `rate` requests a second whatever the answers (at most `maxInFlight` waiting
 * at once), half sign-ups and half comment posts, each from an address of the pool. A comment is
 * posted as an account the flood made when it has one (from that account's address), else with a
 * made-up session cookie. Open-loop, so that the attacker's offered load is the same on any machine
 * and the client's own CPU (on this machine too, on loopback) is bounded.
 */
async function flood(seconds: number, rate: number, maxInFlight: number) {
  const counts = new Map<string, number>()
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1)
  const mix = process.env.FLOOD_MIX ?? 'both'
  const accounts: { cookie: string; ip: string }[] = []
  let sent = 0
  let skipped = 0
  let inFlight = 0
  const pending = new Set<Promise<void>>()
  const one = async (n: number) => {
    if (mix === 'signup' || (mix === 'both' && n % 2 === 0)) {
      const id = crypto.randomBytes(6).toString('hex')
      const ip = randomAddress(ADDRESSES)
      const email = `f${id}@${FLOOD_DOMAIN}`
      const answer = await post('/signup', { email, username: `f${id}`, password: `flood password ${id}` }, { 'X-Forwarded-For': ip }, floodAgent)
      count(outcome('sign-up', answer))
      if (answer.status !== 200) return
      // The attacker owns the flood's mailboxes: it follows each confirmation link it is sent.
      const link = await mailbox.linkFor(email)
      if (!link) {
        count('sign-up: no confirmation mail within 20 s')
        return
      }
      const confirmed = await post(new URL(link).pathname, { confirm: '1' }, { 'X-Forwarded-For': ip }, floodAgent)
      count(confirmed.cookie ? 'sign-up: confirmed by its link (account made, signed in)' : `${outcome('sign-up', confirmed)}, when confirming`)
      if (confirmed.cookie) accounts.push({ cookie: confirmed.cookie, ip })
    } else {
      const account = accounts.length ? accounts[crypto.randomInt(accounts.length)]! : null
      const ip = account?.ip ?? randomAddress(ADDRESSES)
      const cookie = account?.cookie ?? `threadline_session=${crypto.randomBytes(32).toString('base64url')}`
      const answer = await post(
        `/articles/${postSlug}`,
        { intent: 'comment', body: `Flood comment ${crypto.randomBytes(8).toString('hex')}: buy cheap chips now` },
        { 'X-Forwarded-For': ip, Cookie: cookie },
        floodAgent,
      )
      count(outcome('comment', answer))
    }
  }
  const started = Date.now()
  const tick = 20
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - started
      if (elapsed >= seconds * 1000) {
        clearInterval(timer)
        resolve()
        return
      }
      const due = Math.floor((elapsed / 1000) * rate) - sent - skipped
      for (let i = 0; i < due; i++) {
        if (inFlight >= maxInFlight) {
          skipped++
          continue
        }
        inFlight++
        const p: Promise<void> = one(sent++).finally(() => {
          inFlight--
          pending.delete(p)
        })
        pending.add(p)
      }
    }, tick)
  })
  await Promise.all(pending)
  return { requests: sent, skipped, counts: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])) }
}

/**
 * The flood's mailboxes. Without SMTP_URL the app writes each mail to its log, one line with its
 * link (app/models/mail.server.ts); the bench reads the app's output for them.
 */
function mailboxOf(output: NodeJS.ReadableStream) {
  const links = new Map<string, string>()
  const waiting = new Map<string, (link: string) => void>()
  let rest = ''
  output.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      const m = /^threadline: mail to (\S+): ".*" (https?:\/\/\S+)$/.exec(line)
      if (!m) continue
      const [, to, link] = m as unknown as [string, string, string]
      const resolve = waiting.get(to)
      if (resolve) {
        waiting.delete(to)
        resolve(link)
      } else links.set(to, link)
    }
  })
  return {
    linkFor(email: string, timeoutMs = 20_000): Promise<string | null> {
      const known = links.get(email)
      if (known) {
        links.delete(email)
        return Promise.resolve(known)
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(email)
          resolve(null)
        }, timeoutMs)
        waiting.set(email, (link) => {
          clearTimeout(timer)
          resolve(link)
        })
      })
    },
  }
}
let mailbox: ReturnType<typeof mailboxOf>

/**
 * Runs `act(item, i, n)` for each item every `everyMs`, spread over the interval so they do not all
 * act at once, until stopped; `stop` waits for each loop's last round.
 */
function repeatEach<T>(items: T[], everyMs: number, act: (item: T, i: number, n: number) => Promise<void>) {
  let stopped = false
  const loops = items.map(async (item, i) => {
    await new Promise((resolve) => setTimeout(resolve, (everyMs * i) / items.length))
    for (let n = 1; !stopped; n++) {
      const started = Date.now()
      await act(item, i, n)
      const wait = everyMs - (Date.now() - started)
      if (wait > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, wait))
    }
  })
  return async () => {
    stopped = true
    await Promise.all(loops)
  }
}

/** Members coming back: each logs in through the form (a new session, not yet in good standing) and comments. */
function startReturning(list: { id: string; username: string }[]) {
  const results: { login: number; status: number; location: string; said: string; at: number; ms: number }[] = []
  const stop = repeatEach(list, RETURN_EVERY_MS, async (member, i, n) => {
    const ip = `10.98.0.${i + 1}`
    const started = Date.now()
    const login = await post(
      '/login',
      { login: member.username, password: RETURNING_PASSWORD, redirectTo: `/articles/${postSlug}` },
      { 'X-Forwarded-For': ip },
    )
    const answer = login.cookie
      ? await post(
          `/articles/${postSlug}`,
          { intent: 'comment', body: `Back again: comment ${n} from ${member.id}.` },
          { 'X-Forwarded-For': ip, Cookie: login.cookie },
        )
      : null
    results.push({
      login: login.status,
      status: answer?.status ?? 0,
      location: answer?.location ?? '',
      said: answer ? outcome('comment', answer) : outcome('sign-up', login).replace('sign-up', 'log-in'),
      at: started,
      ms: Date.now() - started,
    })
  })
  return { results, stop }
}

function startMembers(members: Member[]) {
  const results: { status: number; location: string; at: number; ms: number }[] = []
  const stop = repeatEach(members, MEMBER_POST_EVERY_MS, async (member, i, n) => {
    const ip = `10.99.${Math.floor(i / 250)}.${(i % 250) + 1}`
    const started = Date.now()
    const answer = await post(
      `/articles/${postSlug}`,
      { intent: 'comment', body: `A legitimate comment, number ${n} from ${member.id}.` },
      { 'X-Forwarded-For': ip, Cookie: member.cookie },
    )
    results.push({ status: answer.status, location: answer.location, at: started, ms: Date.now() - started })
  })
  return { results, stop }
}

// ---------------------------------------------------------------------------------------------
// The database under test

type Target = { env: Record<string, string>; open(): Promise<DatabaseHandle>; drop(): Promise<void>; describe: string }

async function prepareDatabase(): Promise<Target> {
  if (options.database === 'server') {
    const database = await createDatabase(serverUrl, 'threadline_flood')
    await migrateAndSeed(database.url)
    return {
      env: { DATABASE_URL: database.url },
      open: () => openDatabase({ url: database.url, poolMax: 2 }),
      drop: () => database.drop({ keep: false }),
      describe: 'PostgreSQL server',
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-flood-'))
  const env = { DATABASE_URL: '', DATA_DIR: dir }
  await runCommand(process.execPath, ['--import', 'tsx', 'scripts/db-seed.ts'], { env: { ...process.env, ...env } })
  return {
    env,
    open: () => openDatabase({ dataDir: dir }),
    drop: () => fs.promises.rm(dir, { recursive: true, force: true }),
    describe: 'embedded PGlite',
  }
}

async function countStored(handle: DatabaseHandle, since: Date) {
  const [legit] = await handle.rows<{ stored: number; published: number }>(sql`
    select count(*)::int as stored, count(*) filter (where status = 'published')::int as published
    from comments where author_id like 'bench-writer-%' and created_at >= ${since.toISOString()}`)
  const [returning] = await handle.rows<{ stored: number }>(sql`
    select count(*)::int as stored from comments where author_id like ${`${RETURNING_PREFIX}%`} and created_at >= ${since.toISOString()}`)
  const [floodAccounts] = await handle.rows<{ n: number }>(sql`select count(*)::int as n from users where email like ${`%@${FLOOD_DOMAIN}`}`)
  const floodComments = await handle.rows<{ status: string; n: number }>(sql`
    select c.status::text as status, count(*)::int as n from comments c join users u on u.id = c.author_id
    where u.email like ${`%@${FLOOD_DOMAIN}`} group by c.status order by 1`)
  return {
    legitStored: legit?.stored ?? 0,
    legitPublished: legit?.published ?? 0,
    returningStored: returning?.stored ?? 0,
    floodAccounts: floodAccounts?.n ?? 0,
    floodComments: Object.fromEntries(floodComments.map((r) => [r.status, r.n])),
  }
}

// ---------------------------------------------------------------------------------------------

let target: Target | null = null
let app: Service | null = null
async function cleanup() {
  await stopAllChildren()
  await target?.drop().catch((error: unknown) => console.error('flood: could not drop the database:', error))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)))

try {
  fs.mkdirSync(outDir, { recursive: true })
  if (options.build) await runCommand('npm', ['run', '-s', 'build'])
  target = await prepareDatabase()
  let handle = await target.open()
  const { writers, returning } = await createMembers(handle, {
    writers: options.members,
    historySlug,
    returning: { count: options.returning, passwordHash: await hash(RETURNING_PASSWORD) },
  })
  const postgresVersion = options.database === 'server' ? await serverVersion(handle) : 'PGlite'
  if (options.database === 'pglite') await handle.close()
  const started = new Date(Date.now() - 1000)

  app = startService(
    './build/server.js',
    [],
    { ...process.env, ...target.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(options.port), TRUST_PROXY: '1' },
    path.join(outDir, 'flood-server.log'),
    // --profile: V8 writes a .cpuprofile of the app when it exits (open it in Chrome's DevTools).
    options.profile ? ['--cpu-prof', '--cpu-prof-dir', path.join(outDir, 'profiles')] : [],
  )
  mailbox = mailboxOf(app.child.stdout!)
  await waitForOk(`${origin}/healthz`, app.child, 120_000)
  for (const p of readerPaths) await fetch(`${origin}${p}`).then((r) => r.arrayBuffer())

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${target.describe} (${postgresVersion}), load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`
  console.log(`flood: ${machine}`)

  const members = startMembers(writers)
  const comingBack = startReturning(returning)
  console.log(
    `flood: quiet: ${options.readers} readers, ${options.members} members posting every ${MEMBER_POST_EVERY_MS / 1000} s, ${options.quietSeconds} s`,
  )
  const quiet = await runWrk(options.quietSeconds)
  const floodStarted = Date.now()
  console.log(
    `flood: flood: the same, plus a flood of ${options.floodRate} requests a second from ${ADDRESSES.toLocaleString('en-GB')} addresses, ${options.floodSeconds} s`,
  )
  const [loaded, flooded] = await Promise.all([runWrk(options.floodSeconds), flood(options.floodSeconds, options.floodRate, options.floodInFlight)])
  await members.stop()
  await comingBack.stop()

  await app.stop()
  if (options.database === 'pglite') handle = await target.open()
  const stored = await countStored(handle, started)
  await handle.close()

  const attempted = members.results.length
  const answeredOk = members.results.filter((r) => r.status === 302 && r.location.includes('#c')).length
  const duringFlood = members.results.filter((r) => r.at >= floodStarted).length
  const ratio = loaded.p99Ms / quiet.p99Ms
  const memberMs = members.results
    .filter((r) => r.at >= floodStarted)
    .map((r) => r.ms)
    .sort((a, b) => a - b)
  const memberSlowest = memberMs.at(-1) ?? 0
  const memberP50 = memberMs[Math.floor(memberMs.length / 2)] ?? 0
  const back = comingBack.results
  const backOk = back.filter((r) => r.login === 302 && r.status === 302 && r.location.includes('#c')).length
  const backSlowest = Math.max(0, ...back.filter((r) => r.at >= floodStarted).map((r) => r.ms))
  const report = {
    date: new Date().toISOString(),
    machine,
    options,
    quiet,
    flood: loaded,
    p99Ratio: Math.round(ratio * 100) / 100,
    floodRequests: flooded.requests,
    floodNotSent: flooded.skipped,
    floodRequestsPerSecond: Math.round(flooded.requests / options.floodSeconds),
    floodOutcomes: flooded.counts,
    members: {
      attempted,
      attemptedDuringFlood: duringFlood,
      medianAnswerDuringFloodMs: memberP50,
      slowestAnswerDuringFloodMs: memberSlowest,
      answeredOk,
      stored: stored.legitStored,
      published: stored.legitPublished,
    },
    returning: { attempted: back.length, answeredOk: backOk, stored: stored.returningStored, slowestDuringFloodMs: backSlowest },
    floodStored: { accounts: stored.floodAccounts, comments: stored.floodComments },
  }
  fs.writeFileSync(path.join(outDir, `flood-${options.database}.json`), JSON.stringify(report, null, 2) + '\n')

  const line = (label: string, r: WrkResult) =>
    `  ${label.padEnd(6)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1).padStart(7)} ms  p99 ${r.p99Ms.toFixed(1).padStart(7)} ms  max ${r.maxMs.toFixed(0).padStart(6)} ms  non-2xx ${r.non2xx}  socket errors ${r.socketErrors}`
  console.log(`\nReaders (${options.readers} connections, ${readerPaths.join(' ')}):`)
  console.log(line('quiet', quiet))
  console.log(line('flood', loaded))
  console.log(`  p99 flood / quiet: ${ratio.toFixed(2)}× (target ≤ 5×)`)
  console.log(
    `\nFlood: ${flooded.requests} requests in ${options.floodSeconds} s (${report.floodRequestsPerSecond}/s; ${flooded.skipped} not sent: ${options.floodInFlight} already waiting):`,
  )
  for (const [what, n] of Object.entries(flooded.counts)) console.log(`  ${String(n).padStart(7)}  ${what}`)
  console.log(`  stored: ${stored.floodAccounts} flood accounts; their comments by status: ${JSON.stringify(stored.floodComments)}`)
  console.log(
    `\nReturning members: ${back.length} log-ins with a comment each, ${backOk} logged in and answered as posted, ${stored.returningStored} stored; slowest during the flood ${backSlowest} ms (log-in and comment)`,
  )
  for (const r of back.filter((r) => !(r.login === 302 && r.status === 302 && r.location.includes('#c')))) {
    console.log(`  not answered as posted: log-in ${r.login}, ${r.said} after ${r.ms} ms, ${((r.at - floodStarted) / 1000).toFixed(1)} s into the flood`)
  }
  console.log(
    `Members: ${attempted} comments attempted (${duringFlood} during the flood), ${answeredOk} answered as posted, ${stored.legitStored} stored (${stored.legitPublished} published); answers during the flood: median ${memberP50} ms, slowest ${memberSlowest} ms`,
  )

  const failures: string[] = []
  if (!(ratio <= 5)) failures.push(`readers' p99 during the flood is ${ratio.toFixed(2)}× the quiet figure (target ≤ 5×)`)
  if (stored.legitStored !== attempted || answeredOk !== attempted)
    failures.push(`legitimate comments lost: ${attempted} attempted, ${answeredOk} answered as posted, ${stored.legitStored} stored`)
  if (stored.returningStored !== back.length || backOk !== back.length)
    failures.push(`returning members lost: ${back.length} log-ins with a comment, ${backOk} answered as posted, ${stored.returningStored} stored`)
  if (loaded.socketErrors > 0 || loaded.non2xx > 0)
    failures.push(`readers got ${loaded.non2xx} non-2xx answers and ${loaded.socketErrors} socket errors during the flood`)
  console.log(failures.length ? `\nTARGET MISSED:\n- ${failures.join('\n- ')}` : '\nTarget met: readers within 5× of quiet, nothing legitimate lost.')
  await cleanup()
  process.exit(failures.length ? 1 : 0)
} catch (error) {
  console.error('flood:', error)
  await cleanup()
  process.exit(1)
}
