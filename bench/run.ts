import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { DatabaseHandle } from '#db/connection.server.ts'
import {
  countWriterComments,
  countWriterUnpublished,
  createDatabase,
  createMembers,
  migrateAndSeed,
  openBenchDatabase,
  seedDiscussions,
  serverVersion,
  writeSettings,
  type Member,
} from './database.ts'
import { runScenario, stopCurrentLoad, type Scenario, type ScenarioResult } from './load.ts'
import { BENCH_DATABASE, DEFAULT_DATABASE_URL, readOptions, type BenchOptions } from './options.ts'
import { runCommand, startService, stopAllChildren, waitForOk, type Service } from './processes.ts'
import { describeMachine, errorNotes, evaluateTargets, machineLine, resultsTable, targetsList, updateReadme } from './report.ts'

// `npm run bench`: a fresh database with big discussions, the production build, and autocannon
// against each kind of page, measured against a bare server sending the same HTML. See README.md.

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

const options = readOptions()
if (options.serverUrlDefaulted) console.log(`bench: DATABASE_URL is not set; using the server at ${DEFAULT_DATABASE_URL}`)

let database: Awaited<ReturnType<typeof createDatabase>> | null = null
let handle: DatabaseHandle | null = null
let cleaning: Promise<void> | null = null
let interrupted = false

function cleanup() {
  cleaning ??= (async () => {
    stopCurrentLoad()
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

async function prepare() {
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
  const postgres = await serverVersion(db)
  done()
  done = timed(`app listening on port ${options.port}`)
  const app = await startApp(database.url)
  done()
  return { members, postgres, app, db }
}

function articleUrl(origin: string, size: number) {
  return `${origin}/articles/${discussions.find((d) => d.size === size)!.slug}`
}

const ok = (status: number) => status === 200

function readingScenarios(origin: string, app: Service, reader: Member): Scenario[] {
  const list: Scenario[] = []
  for (const { size } of discussions) {
    const label = `article, ${size.toLocaleString('en-GB')} comments`
    const url = articleUrl(origin, size)
    list.push({ key: `anon-${size}`, name: `${label}, anonymous`, url, expected: ok, expectedLabel: '200', pid: app.pid })
    list.push({
      key: `member-${size}`,
      name: `${label}, member`,
      url,
      headers: { Cookie: reader.cookie },
      expected: ok,
      expectedLabel: '200',
      pid: app.pid,
    })
  }
  return list
}

async function feedValidators(origin: string) {
  const response = await fetch(`${origin}/feed.xml`)
  await response.arrayBuffer()
  const headers: Record<string, string> = {}
  const etag = response.headers.get('etag')
  const lastModified = response.headers.get('last-modified')
  if (etag) headers['If-None-Match'] = etag
  if (lastModified) headers['If-Modified-Since'] = lastModified
  if (!etag && !lastModified) console.warn('bench: /feed.xml sends neither ETag nor Last-Modified: every conditional request will be a 200')
  return headers
}

function postingScenario(origin: string, app: Service, writers: Member[]): Scenario {
  const run = Date.now().toString(36)
  const chips = ['H20', 'H200', 'MI300X', 'Ascend 910B', 'B200']
  let n = 0
  return {
    key: 'post',
    name: `posting comments, ${writers.length} members`,
    url: articleUrl(origin, 200),
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    connectionHeaders: writers.map((w) => ({ Cookie: w.cookie })),
    // Every body differs, in case a duplicate check is ever added.
    body: () => {
      n++
      const text = `Bench comment ${n} (run ${run}): does the ${chips[n % chips.length]} rule change the picture for buyers in ${2020 + (n % 7)}?`
      return new URLSearchParams({ intent: 'comment', body: text }).toString()
    },
    expected: (status) => status >= 200 && status < 400,
    expectedLabel: '2xx or 3xx',
    connections: writers.length,
    pid: app.pid,
  }
}

async function benchmark() {
  const { members, postgres, app, db } = await prepare()
  const origin = `http://127.0.0.1:${options.port}`

  const page = await fetch(articleUrl(origin, 200))
  const html = Buffer.from(await page.arrayBuffer())
  if (page.status !== 200) throw new Error(`the 200-comment article answered ${page.status}`)
  const htmlFile = path.join(outDir, 'article-200.html')
  fs.writeFileSync(htmlFile, html)
  const staticServer = startService(
    'bench/static-server.ts',
    ['--file', htmlFile, '--port', String(options.staticPort)],
    process.env,
    path.join(outDir, 'static-server.log'),
  )
  await waitForOk(`http://127.0.0.1:${options.staticPort}/`, staticServer.child)

  const scenarios: Scenario[] = [
    {
      key: 'static',
      name: 'static copy of the 200-comment page',
      url: `http://127.0.0.1:${options.staticPort}/`,
      expected: ok,
      expectedLabel: '200',
      pid: staticServer.pid,
    },
    ...readingScenarios(origin, app, members.reader),
    { key: 'home', name: 'home page, anonymous', url: `${origin}/`, expected: ok, expectedLabel: '200', pid: app.pid },
    { key: 'feed', name: '/feed.xml, anonymous', url: `${origin}/feed.xml`, expected: ok, expectedLabel: '200', pid: app.pid },
    {
      key: 'feed-304',
      name: '/feed.xml conditional (304)',
      url: `${origin}/feed.xml`,
      headers: await feedValidators(origin),
      expected: (status: number) => status === 304,
      expectedLabel: '304',
      pid: app.pid,
    },
    // Last: it adds comments to the 200-comment article.
    postingScenario(origin, app, members.writers),
  ].filter((s) => s.key === 'static' || !options.only || s.name.includes(options.only) || s.key.includes(options.only))

  const results: ScenarioResult[] = []
  for (const [i, scenario] of scenarios.entries()) {
    if (interrupted) return
    const before = scenario.key === 'post' ? await countWriterComments(db) : 0
    const result = await runScenario(scenario, options)
    if (scenario.key === 'post') {
      // A 3xx is also what a lost session gets (a redirect to /login), so check the rows themselves.
      const stored = (await countWriterComments(db)) - before
      const answered = Object.entries(result.statuses).reduce((sum, [status, n]) => sum + (scenario.expected(Number(status)) ? n : 0), 0)
      const missing = Math.max(0, answered - stored)
      const held = await countWriterUnpublished(db)
      result.errors += missing + held
      console.log(`bench: posting: ${answered} answered as success, ${stored} comments stored (warm-up included), ${held} of them held`)
    }
    results.push(result)
    console.log(
      `bench: [${i + 1}/${scenarios.length}] ${scenario.name}: ${result.reqPerSec.toFixed(1)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors`,
    )
  }

  const machine = describeMachine(postgres)
  const htmlSize = `${(html.length / 1024).toFixed(1)} KB of HTML (${(gzipSync(html).length / 1024).toFixed(1)} KB gzipped)`
  const targets = evaluateTargets(results)
  const notes = errorNotes(results)
  const body = [
    `Measured ${new Date().toISOString()} on ${machineLine(machine)}.`,
    `${options.connections} connections (posting: ${WRITERS}), ${options.duration} s per scenario, ${options.timeout} s timeout${options.only ? `, only "${options.only}"` : ''}. ` +
      `The 200-comment page is ${htmlSize}; requests ask for no compression.`,
    '',
    resultsTable(results),
    '',
    'Targets:',
    '',
    targetsList(targets),
    ...(notes ? ['', 'Errors by kind:', '', notes] : []),
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
  const { app, postgres } = await prepare()
  const seconds = options.soakSeconds
  const warmAtMs = Math.min(20, seconds / 6) * 1000
  const scenario: Scenario = {
    key: 'soak',
    name: 'soak: article, 200 comments, anonymous',
    url: articleUrl(`http://127.0.0.1:${options.port}`, 200),
    expected: ok,
    expectedLabel: '200',
    pid: app.pid,
  }
  console.log(`bench: soak for ${seconds} s, ${options.connections} connections`)
  const result = await runScenario(scenario, { ...options, duration: seconds })
  if (interrupted) return false
  const warm = result.rss.find((s) => s.at >= warmAtMs) ?? result.rss[0]
  const end = result.rss.at(-1)
  if (!warm || !end) throw new Error('no RSS samples: is /proc available?')
  const ratio = end.bytes / warm.bytes
  const pass = end.bytes <= 1.1 * warm.bytes
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`
  const machine = describeMachine(postgres)
  const body = [
    `Measured ${new Date().toISOString()} on ${machineLine(machine)}.`,
    `Anonymous 200-comment article, ${options.connections} connections for ${seconds} s: ` +
      `${result.reqPerSec.toFixed(1)} req/s, p99 ${result.p99} ms, ${result.errors} errors.`,
    '',
    `- RSS after warm-up (${(warm.at / 1000).toFixed(1)} s): ${mb(warm.bytes)}`,
    `- RSS at end (${(end.at / 1000).toFixed(1)} s): ${mb(end.bytes)}`,
    `- peak RSS: ${mb(result.peakRss)}`,
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
