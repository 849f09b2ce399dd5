import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { DatabaseHandle } from '#db/connection.server.ts'
import { OVERLAY_DATA_ID } from '#app/lib/dom-ids.ts'
import { DEPLOY_CONFIG, localSiteConfig, startNginx, type LocalNginx } from '../e2e/nginx.ts'
import {
  countWriterComments,
  countWriterUnpublished,
  createDatabase,
  createMembers,
  migrateAndSeed,
  openBenchDatabase,
  seedDiscussions,
  serverVersion,
  SESSION_COOKIE,
  writeSettings,
  type Member,
} from './database.ts'
import { benchDatabase, DEFAULT_DATABASE_URL, readOptions, type BenchOptions } from './options.ts'
import { runCommand, sampleRss, startService, stopAllChildren, waitForOk, type RssSample, type Service } from './processes.ts'
import {
  describeMachine,
  evaluateTargets,
  fixed,
  latencyTarget,
  machineLine,
  NGINX_FILE,
  NODE_STATIC,
  ratioTarget,
  resultsTable,
  scenarioNotes,
  targetsList,
  updateReadme,
  type ScenarioResult,
  type TargetRule,
} from './report.ts'
import { ensureTools, runWrk, stopWrk, type WrkResult, type WrkRun } from './wrk.ts'

// `npm run bench`: a fresh database with big discussions, the production build, and wrk against
// each kind of page, measured in the same run against the two limits of this machine: nginx sending
// the saved page as a file, and a bare node:http server sending the same bytes. See README.md.

const outDir = fileURLToPath(new URL('./.out/', import.meta.url))

// Three seeded stories, each given a discussion of its own size, and a fourth that holds the bench
// members' earlier comments so that no measured page changes size because of them.
const discussions = [
  { size: 200, slug: 'h200-exports-to-china-approved' },
  { size: 2_000, slug: 'h20-market-specific-variant' },
  { size: 10_000, slug: 'amd-mi300x-compliance-question' },
] as const
const historySlug = 'hbm-supply-and-export-rules'
const WRITERS = 20
const READER_NAME = 'Bench Viewer'

const options = readOptions()
const BENCH_DATABASE = benchDatabase(options.port)
if (options.serverUrlDefaulted) console.log(`bench: DATABASE_URL is not set; using the server at ${DEFAULT_DATABASE_URL}`)

let database: Awaited<ReturnType<typeof createDatabase>> | null = null
let handle: DatabaseHandle | null = null
let nginx: LocalNginx | null = null
let cleaning: Promise<void> | null = null
let interrupted = false

function cleanup() {
  cleaning ??= (async () => {
    stopWrk()
    await nginx?.stop().catch(() => {})
    if (nginx) {
      // Its log is worth keeping; its cache and copy of the page are not.
      const log = path.join(nginx.dir, 'error.log')
      if (fs.existsSync(log)) fs.copyFileSync(log, path.join(outDir, 'nginx-error.log'))
      fs.rmSync(nginx.dir, { recursive: true, force: true })
    }
    await stopAllChildren()
    await handle?.close().catch(() => {})
    await database?.drop({ keep: options.keep }).catch((error: unknown) => console.error('bench: could not drop the database:', error))
    if (database && options.keep) console.log(`bench: kept the database ${BENCH_DATABASE} (--keep)`)
  })()
  return cleaning
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true
    console.log(`\nbench: ${signal}: stopping`)
    void cleanup().finally(() => process.exit(130))
  })
}

function timed(label: string) {
  const started = Date.now()
  return () => console.log(`bench: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

async function startApp(url: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(options.port), DATABASE_URL: url }
  // --profile: V8 writes a .cpuprofile when the app exits (open it in Chrome's DevTools).
  const nodeArgs = options.profile ? ['--cpu-prof', '--cpu-prof-dir', path.join(outDir, 'profiles')] : []
  const app = startService('./build/server.js', [], env, path.join(outDir, 'server.log'), nodeArgs)
  await waitForOk(`http://127.0.0.1:${options.port}/healthz`, app.child)
  return app
}

function versionOf(command: string, args: string[], pattern: RegExp) {
  const run = spawnSync(command, args, { encoding: 'utf8' })
  return pattern.exec(`${run.stdout}${run.stderr}`)?.[1] ?? 'unknown'
}

async function prepare() {
  await ensureTools()
  if (options.build) {
    const done = timed('built')
    await runCommand('npm', ['run', '-s', 'build'])
    done()
  }
  fs.mkdirSync(outDir, { recursive: true })
  let done = timed(`created ${BENCH_DATABASE}, migrated and seeded`)
  database = await createDatabase(options.serverUrl, BENCH_DATABASE)
  await migrateAndSeed(database.url)
  done()
  done = timed('discussions, settings and members ready')
  const db = await openBenchDatabase(database.url)
  handle = db
  await seedDiscussions(
    db,
    discussions.map((d) => ({ slug: d.slug, total: d.size })),
  )
  await writeSettings(db)
  const members = await createMembers(db, { writers: WRITERS, historySlug })
  const versions = {
    postgres: await serverVersion(db),
    wrk: `wrk ${versionOf('wrk', ['--version'], /wrk \S*?([\d.]+)[-+~\s]/)}`,
    nginx: `nginx ${versionOf('/usr/sbin/nginx', ['-v'], /nginx\/(\S+)/)}`,
  }
  done()
  done = timed(`app listening on port ${options.port}`)
  const app = await startApp(database.url)
  done()
  return { members, versions, app, db }
}

const articlePath = (size: number) => `/articles/${discussions.find((d) => d.size === size)!.slug}`
const sizeLabel = (size: number) => size.toLocaleString('en-GB')

/** The server's exact bytes for `url`, and its status (no compression asked for, as wrk asks). */
async function fetchOnce(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000), ...init })
  const body = Buffer.from(await response.arrayBuffer())
  return { response, body, text: body.toString('utf8') }
}

/**
 * The warm-up: one request that must get `expected` (filling the caches), then, where a cache is meant
 * to answer, a second that must be a HIT. Returns what was wrong, or null.
 */
async function warmGet(
  url: string,
  { headers = {}, expected = 200, cacheHeader }: { headers?: Record<string, string>; expected?: number; cacheHeader?: string },
) {
  const { response } = await fetchOnce(url, { headers })
  if (response.status !== expected) {
    const location = response.headers.get('location')
    return `the warm-up was answered ${response.status}${location ? ` → ${location}` : ''}, not ${expected}`
  }
  if (cacheHeader) {
    const again = await fetchOnce(url, { headers })
    const state = again.response.headers.get(cacheHeader)
    if (state !== 'HIT') return `the second warm-up request was not a cache HIT (${cacheHeader}: ${state ?? 'none'})`
  }
  return null
}

/** The validators /feed.xml sends, as the headers of a conditional request for it. */
async function feedValidators(origin: string) {
  const { response } = await fetchOnce(`${origin}/feed.xml`)
  const headers: Record<string, string> = {}
  const etag = response.headers.get('etag')
  const lastModified = response.headers.get('last-modified')
  if (etag) headers['If-None-Match'] = etag
  if (lastModified) headers['If-Modified-Since'] = lastModified
  if (!etag && !lastModified) console.warn('bench: /feed.xml sends neither ETag nor Last-Modified: every conditional request will be a 200')
  return headers
}

type Scenario = {
  key: string
  name: string
  unit: 'request' | 'page load'
  /** The server answering, whose memory is read. */
  pids: () => number[]
  /** Checks the answer before the run, filling the caches on the way; returns what was wrong, or null. */
  warmUp: () => Promise<string | null>
  wrk: Pick<WrkRun, 'script' | 'url' | 'options'> & { connections?: number; threads?: number }
  /**
   * Whether the script counts every status in response(). Without it wrk counts only statuses of 400
   * and above; that is how the whole-page GETs run, whose bodies would cost wrk more to hand to Lua
   * than the fastest servers spend sending them (README.md, "How it measures").
   */
  countsStatuses: boolean
  /** Just before the measurement, after the warm-up load. */
  before?: () => Promise<void>
  /** After the measurement: what else to check (the posting scenario counts the comments stored). */
  after?: (result: ScenarioResult) => Promise<void>
  /** The path whose requests to count in the app's log during the run (what got past nginx's cache). */
  appLogPath?: string
}

/** Requests for `pathname` that the app logged after `offset` in its log. */
function appRequestsSince(offset: number, pathname: string) {
  const log = fs.readFileSync(path.join(outDir, 'server.log'))
  const needle = `"path":${JSON.stringify(pathname)},`
  return log
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes(needle)).length
}

function summarise(scenario: Scenario, result: WrkResult, rss: RssSample[], connections: number, warning: string | null): ScenarioResult {
  const e = result.errors
  const wrong = scenario.countsStatuses ? result.unexpected : e.status
  const statuses = Object.entries(result.statuses)
    .map(([status, n]) => `${status}×${fixed(n)}`)
    .join(', ')
  const errorDetail = [
    ...(warning ? [warning] : []),
    ...(statuses ? [`statuses ${statuses}`] : e.status > 0 ? [`${fixed(e.status)} answers of 400 or above`] : []),
    ...(e.connect + e.read + e.write > 0 ? [`socket errors: ${e.connect} connect, ${e.read} read, ${e.write} write`] : []),
    ...(e.timeout > 0 ? [`${fixed(e.timeout)} answers later than ${options.timeout} s`] : []),
  ]
  const base = {
    key: scenario.key,
    name: scenario.name,
    unit: scenario.unit,
    connections,
    seconds: result.seconds,
    errors: e.connect + e.read + e.write + e.timeout + wrong,
    errorDetail,
    peakRss: rss.reduce((peak, s) => Math.max(peak, s.bytes), 0),
  }
  // A member's page load is one request too (the page, their part spliced in by the server): wrk's
  // own counts and latencies are the page loads'.
  return {
    ...base,
    count: result.requests,
    rate: result.requests / result.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerUnit: result.requests ? result.bytes / result.requests : 0,
  }
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const warning = await scenario.warmUp()
  if (warning) console.warn(`bench: ${scenario.name}: ${warning}`)
  const connections = scenario.wrk.connections ?? options.connections
  // The same load, unmeasured: V8 compiles the hot paths, caches fill and connections open, so the
  // first scenario to reach the app is not measured on a cold process.
  if (options.warmUp > 0) {
    await runWrk({
      ...scenario.wrk,
      connections,
      duration: options.warmUp,
      timeout: options.timeout,
      logFile: path.join(outDir, 'wrk', `${scenario.key}.warm-up.txt`),
    })
    // wrk stops without waiting for the answers in flight: let them finish outside the measurement.
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  await scenario.before?.()
  const logOffset = scenario.appLogPath ? fs.statSync(path.join(outDir, 'server.log')).size : 0
  const rss = sampleRss(scenario.pids)
  const result = await runWrk({
    ...scenario.wrk,
    connections,
    duration: options.duration,
    timeout: options.timeout,
    logFile: path.join(outDir, 'wrk', `${scenario.key}.txt`),
  })
  const summary = summarise(scenario, result, rss.stop(), connections, warning)
  if (scenario.appLogPath) {
    // The app's log is written a moment after each answer.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const reached = appRequestsSince(logOffset, scenario.appLogPath)
    summary.note = `${fixed(reached)} of its ${fixed(summary.count)} requests reached the app (the rest were answered from nginx's cache)`
  }
  await scenario.after?.(summary)
  return summary
}

async function buildScenarios({
  app,
  staticServer,
  members,
  db,
}: {
  app: Service
  staticServer: Service
  members: { reader: Member; writers: Member[] }
  db: DatabaseHandle
}): Promise<Scenario[]> {
  const origin = `http://127.0.0.1:${options.port}`
  const nginxFile = `http://127.0.0.1:${options.nginxPort}`
  const nginxCache = `http://127.0.0.1:${options.nginxPort + 1}`
  const staticOrigin = `http://127.0.0.1:${options.staticPort}`
  const appPid = () => [app.pid]
  const nginxPids = () => nginx?.pids() ?? []
  const page = (key: string, name: string, url: string, pathname: string, pids: () => number[], cacheHeader?: string): Scenario => ({
    key,
    name,
    unit: 'request',
    pids,
    warmUp: () => warmGet(`${url}${pathname}`, { cacheHeader }),
    wrk: { script: 'get.lua', url, options: [`path=${pathname}`, 'expect=200', 'check=none'] },
    countsStatuses: false,
  })
  const memberLoad = (size: number): Scenario => {
    const pathname = articlePath(size)
    const cookie = members.reader.cookie
    // The session cookie alone, as a member reading has: with any other cookie of the site (such as
    // threadline_fresh, set for a few seconds after a post) the app renders the page for them alone
    // instead of splicing their part into the shared rendering, and that is not the load measured.
    if (!cookie.startsWith(`${SESSION_COOKIE}=`) || cookie.includes(';')) throw new Error(`the reader's cookie is not the session cookie alone: ${cookie}`)
    return {
      key: `member-${size}`,
      name: `member page load, ${sizeLabel(size)} comments`,
      unit: 'page load',
      pids: appPid,
      async warmUp() {
        const { response, text } = await fetchOnce(`${origin}${pathname}`, { headers: { Cookie: cookie } })
        if (response.status !== 200) return `the page was answered ${response.status}, not 200`
        // Both are in the member's copy of the shared page alone: the overlay block the server splices
        // in, and the account menu's "Signed in as" (an anonymous page has neither).
        const missing = [`id="${OVERLAY_DATA_ID}"`, 'Signed in as </span>'].filter((marker) => !text.includes(marker))
        if (missing.length)
          return `the page is not the member's copy (no ${missing.join(', no ')}): is the session refused, or the page rendered for them alone?`
        if (!text.includes(READER_NAME)) return `the page does not name the member (${READER_NAME})`
        return null
      },
      // Statuses are counted in Lua, so that a wrong answer shows as an error even under 400 (a
      // redirect to /login); at a member page's rate, handing its body to Lua costs wrk little.
      wrk: { script: 'get.lua', url: origin, options: [`path=${pathname}`, `header=Cookie: ${cookie}`, 'expect=200', 'check=statuses'] },
      countsStatuses: true,
    }
  }
  const run = Date.now().toString(36)
  let before = 0
  const posting: Scenario = {
    key: 'post',
    name: `posting comments, ${WRITERS} writers`,
    unit: 'request',
    pids: appPid,
    async warmUp() {
      const body = new URLSearchParams({ intent: 'comment', body: `Bench warm-up comment (run ${run}).` }).toString()
      const { response } = await fetchOnce(`${origin}${articlePath(200)}`, {
        method: 'POST',
        headers: { Cookie: members.writers[0]!.cookie, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      })
      const location = response.headers.get('location') ?? ''
      if (response.status < 200 || response.status >= 400 || location.startsWith('/login')) {
        return `the warm-up post was answered ${response.status}${location ? ` → ${location}` : ''}`
      }
      return null
    },
    wrk: {
      script: 'post.lua',
      url: origin,
      options: [`path=${articlePath(200)}`, `origin=${origin}`, `run=${run}`, 'expect=2xx,3xx', ...members.writers.map((w) => `cookie=${w.cookie}`)],
      connections: WRITERS,
      threads: WRITERS,
    },
    countsStatuses: true,
    async before() {
      before = await countWriterComments(db)
    },
    async after(result) {
      // A redirect is also what a lost session gets (to /login), so check the rows themselves.
      const stored = (await countWriterComments(db)) - before
      const answered = result.count - result.errors
      const missing = Math.max(0, answered - stored)
      const held = await countWriterUnpublished(db)
      result.errors += missing + held
      if (missing + held > 0) result.errorDetail.push(`${missing} posts answered as stored but missing, ${held} held for moderation`)
      result.note = `${fixed(answered)} answered as stored, ${fixed(stored)} comments stored (posts still in flight at the end included), ${held} held`
      console.log(`bench: posting: ${result.note}`)
    },
  }

  const validators = await feedValidators(origin)
  return [
    page(NGINX_FILE, 'limit: nginx sends the saved 200-comment page as a file', nginxFile, '/article-200.html', nginxPids),
    page(NODE_STATIC, 'limit: bare node:http sends the same bytes from memory', staticOrigin, '/', () => [staticServer.pid]),
    ...discussions.map(({ size }) =>
      page(`anon-${size}`, `article, ${sizeLabel(size)} comments, anonymous (page cache)`, origin, articlePath(size), appPid, 'x-cache'),
    ),
    {
      ...page('nginx-cache', 'article, 200 comments, anonymous, through nginx’s micro-cache', nginxCache, articlePath(200), nginxPids, 'x-cache-status'),
      appLogPath: articlePath(200),
    },
    page('home', 'home page, anonymous', origin, '/', appPid, 'x-cache'),
    page('feed', '/feed.xml, anonymous', origin, '/feed.xml', appPid, 'x-cache'),
    {
      key: 'feed-304',
      name: '/feed.xml conditional (304)',
      unit: 'request',
      pids: appPid,
      warmUp: () => warmGet(`${origin}/feed.xml`, { headers: validators, expected: 304 }),
      // An unexpected 200 here is under 400: the statuses are counted in Lua (the bodies are empty).
      wrk: {
        script: 'get.lua',
        url: origin,
        options: ['path=/feed.xml', 'expect=304', 'check=statuses', ...Object.entries(validators).map(([name, value]) => `header=${name}: ${value}`)],
      },
      countsStatuses: true,
    },
    ...discussions.map(({ size }) => memberLoad(size)),
    // Last: it adds comments to the 200-comment article.
    posting,
  ]
}

const sizes = discussions.map((d) => d.size)
const targetRules: TargetRule[] = [
  ...sizes.map((size) =>
    ratioTarget(`member page load, ${sizeLabel(size)} comments ≥ 0.5× the anonymous page, p99 ≤ 250 ms`, `member-${size}`, `anon-${size}`, 0.5, 250),
  ),
  ratioTarget('anonymous 200-comment page (page-cache hit) ≥ 0.8× bare node:http', 'anon-200', NODE_STATIC, 0.8),
  ratioTarget('anonymous page through nginx’s micro-cache ≥ 0.5× nginx sending the file', 'nginx-cache', NGINX_FILE, 0.5),
  ratioTarget('member page loads, 10,000 comments ≥ 0.8× 200 comments', 'member-10000', 'member-200', 0.8),
  latencyTarget(`posting, ${WRITERS} writers: p99 ≤ 250 ms and no errors`, 'post', 250),
]

/** The scenarios --only names, with the limits and, for each, what its targets compare it with. */
function selected(all: Scenario[]) {
  const only = options.only
  if (!only) return all
  // A key named exactly means that scenario alone (anon-200, not anon-2000 as well).
  const named = all.some((s) => s.key === only) ? all.filter((s) => s.key === only) : all.filter((s) => s.name.includes(only) || s.key.includes(only))
  const keys = new Set([NGINX_FILE, NODE_STATIC, ...named.map((s) => s.key)])
  // A rule's first key is what it measures, the others what it is compared with (and so on, in turn).
  for (let size = 0; size !== keys.size;) {
    size = keys.size
    for (const rule of targetRules) if (keys.has(rule.keys[0]!)) for (const key of rule.keys) keys.add(key)
  }
  return all.filter((s) => keys.has(s.key))
}

async function startBenchNginx(html: Buffer) {
  const deployed = fs.readFileSync(DEPLOY_CONFIG, 'utf8')
  return startNginx({
    workers: options.nginxWorkers,
    readyUrl: `http://127.0.0.1:${options.nginxPort}/article-200.html`,
    http: (dir) => {
      const root = path.join(dir, 'www')
      fs.mkdirSync(root, { mode: 0o755 })
      fs.writeFileSync(path.join(root, 'article-200.html'), html, { mode: 0o644 })
      return [
        '# The limit: the saved page, as a file.',
        'server {',
        `  listen 127.0.0.1:${options.nginxPort};`,
        `  root ${root};`,
        '}',
        '# deploy/nginx.conf as written, in front of the app.',
        localSiteConfig(deployed, {
          upstream: `127.0.0.1:${options.port}`,
          listen: `127.0.0.1:${options.nginxPort + 1}`,
          cacheDir: path.join(dir, 'cache'),
        }),
      ].join('\n')
    },
  })
}

async function benchmark() {
  const { members, versions, app, db } = await prepare()
  const origin = `http://127.0.0.1:${options.port}`

  // The saved page is the app's own answer to an anonymous reader, byte for byte.
  const saved = await fetchOnce(`${origin}${articlePath(200)}`)
  if (saved.response.status !== 200) throw new Error(`the 200-comment article answered ${saved.response.status}`)
  const html = saved.body
  fs.writeFileSync(path.join(outDir, 'article-200.html'), html)
  const staticServer = startService(
    'bench/static-server.ts',
    ['--file', path.join(outDir, 'article-200.html'), '--port', String(options.staticPort)],
    process.env,
    path.join(outDir, 'static-server.log'),
  )
  await waitForOk(`http://127.0.0.1:${options.staticPort}/`, staticServer.child)
  nginx = await startBenchNginx(html)

  const scenarios = selected(await buildScenarios({ app, staticServer, members, db }))
  // Anything else running on the machine takes its share of the same cores: say how busy it was.
  const loadBefore = os.loadavg()[0]!
  const results: ScenarioResult[] = []
  for (const [i, scenario] of scenarios.entries()) {
    if (interrupted) return
    const result = await runScenario(scenario)
    results.push(result)
    console.log(
      `bench: [${i + 1}/${scenarios.length}] ${scenario.name}: ${fixed(result.rate, 1)} ${result.unit}s/s, ` +
        `p50 ${fixed(result.p50, 1)} ms, p99 ${fixed(result.p99, 1)} ms, ${result.errors} errors`,
    )
  }

  const loadAfter = os.loadavg()[0]!
  const machine = describeMachine(versions)
  const htmlSize = `${(html.length / 1024).toFixed(1)} KB of HTML (${(gzipSync(html).length / 1024).toFixed(1)} KB gzipped)`
  const targets = evaluateTargets(targetRules, results)
  const notes = scenarioNotes(results)
  const body = [
    `Measured ${new Date().toISOString()} on ${machineLine(machine)}; load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`,
    `wrk with 1 thread and ${options.connections} connections (posting: ${WRITERS} writers, a thread and a connection each), ` +
      `${options.duration} s per scenario after ${options.warmUp} s of the same load unmeasured, one after another in this order, ${options.timeout} s timeout${options.only ? `, only "${options.only}"` : ''}; ` +
      `nginx with ${options.nginxWorkers} worker${options.nginxWorkers === 1 ? '' : 's'}; wrk, nginx, the app and PostgreSQL share the ${machine.cores} cores. ` +
      `The 200-comment page is ${htmlSize}; requests ask for no compression.` +
      // Said only when there are member rows to read it against (--only may leave none).
      (results.some((r) => r.unit === 'page load')
        ? ' Member rows count page loads, each the page alone with the member’s session cookie (their part spliced in by the server); their p50/p99 are of that document.'
        : ''),
    '',
    resultsTable(results),
    '',
    ...(notes ? ['Notes:', '', notes, ''] : []),
    'Targets:',
    '',
    targetsList(targets),
  ].join('\n')
  console.log()
  console.log(body)
  console.log()
  // A partial run would replace a full run's figures with a few rows.
  if (options.only) {
    console.log('bench: --only: bench/README.md left as it was')
    return
  }
  updateReadme('results', body)
  console.log('bench: results written to bench/README.md')
}

async function soak() {
  const { app, versions } = await prepare()
  const seconds = options.soakSeconds
  const warmAtMs = Math.min(20, seconds / 6) * 1000
  const pathname = articlePath(200)
  const origin = `http://127.0.0.1:${options.port}`
  const warning = await warmGet(`${origin}${pathname}`, { cacheHeader: 'x-cache' })
  if (warning) console.warn(`bench: soak: ${warning}`)
  console.log(`bench: soak for ${seconds} s, ${options.connections} connections`)
  const rss = sampleRss(() => [app.pid])
  const result = await runWrk({
    script: 'get.lua',
    url: origin,
    options: [`path=${pathname}`, 'expect=200', 'check=none'],
    connections: options.connections,
    duration: seconds,
    timeout: options.timeout,
    logFile: path.join(outDir, 'wrk', 'soak.txt'),
  })
  const samples = rss.stop()
  if (interrupted) return false
  const warm = samples.find((s) => s.at >= warmAtMs) ?? samples[0]
  const end = samples.at(-1)
  if (!warm || !end) throw new Error('no RSS samples: is /proc available?')
  const ratio = end.bytes / warm.bytes
  const pass = end.bytes <= 1.1 * warm.bytes
  const errors = result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout + result.errors.status
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`
  const body = [
    `Measured ${new Date().toISOString()} on ${machineLine(describeMachine(versions))}; load average (1 min) ${os.loadavg()[0]!.toFixed(1)} at the end.`,
    `Anonymous 200-comment article, wrk with 1 thread and ${options.connections} connections for ${seconds} s: ` +
      `${fixed(result.requests / result.seconds, 1)} req/s, p99 ${fixed(result.latency.p99)} ms, ${errors} errors.`,
    '',
    `- RSS after warm-up (${(warm.at / 1000).toFixed(1)} s): ${mb(warm.bytes)}`,
    `- RSS at end (${(end.at / 1000).toFixed(1)} s): ${mb(end.bytes)}`,
    `- peak RSS: ${mb(samples.reduce((peak, s) => Math.max(peak, s.bytes), 0))}`,
    `- end ÷ warm-up: ${ratio.toFixed(3)} → ${pass ? 'PASS' : 'FAIL'} (needs ≤ 1.10)`,
  ].join('\n')
  console.log()
  console.log(body)
  console.log()
  updateReadme('soak', body)
  console.log('bench: soak result written to bench/README.md')
  return pass
}

async function main(opts: BenchOptions) {
  try {
    if (opts.soak) return (await soak()) ? 0 : 1
    await benchmark()
    return 0
  } finally {
    await cleanup()
  }
}

main(options).then(
  (code) => process.exit(interrupted ? 130 : code),
  (error: unknown) => {
    if (interrupted) return
    console.error('bench: failed:', error instanceof Error ? error.message : error)
    if (error instanceof Error && error.stack) console.error(error.stack)
    void cleanup().finally(() => process.exit(1))
  },
)
