import autocannon, { type Instance, type Request, type Result } from 'autocannon'
import { sampleRss, type RssSample } from './processes.ts'

// One scenario: a warm-up request, then autocannon for a fixed time while the server's RSS is
// sampled. Statuses are counted from each response, so an answer that is fast but wrong (a 500, a
// redirect to the log-in page, a 200 where a 304 was asked for) counts as an error, not as speed.

export type Scenario = {
  key: string
  name: string
  url: string
  method?: 'GET' | 'POST'
  /** Headers for every connection. */
  headers?: Record<string, string>
  /** Headers for connection i (round robin), on top of `headers`: one member per connection. */
  connectionHeaders?: Record<string, string>[]
  /** A new body for every request. */
  body?: () => string
  /** Which statuses count as a correct answer. */
  expected: (status: number) => boolean
  expectedLabel: string
  connections?: number
  /** The process whose memory is sampled: the server under test. */
  pid: number
}

export type ScenarioResult = {
  key: string
  name: string
  connections: number
  durationSeconds: number
  requests: number
  reqPerSec: number
  p50: number
  p99: number
  errors: number
  connectionErrors: number
  timeouts: number
  unexpected: number
  /** Sent but not answered when the run stopped (at most one per connection unless something hangs). */
  unanswered: number
  statuses: Record<string, number>
  bytesPerResponse: number
  peakRss: number
  rss: RssSample[]
  warmUp: string
}

let current: Instance | null = null

/** Stops the scenario in progress (Ctrl-C); its promise then settles as usual. */
export function stopCurrentLoad() {
  current?.stop()
}

async function warmUp(scenario: Scenario) {
  const headers = { ...scenario.headers, ...scenario.connectionHeaders?.[0] }
  const response = await fetch(scenario.url, {
    method: scenario.method ?? 'GET',
    headers,
    body: scenario.body?.(),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  })
  await response.arrayBuffer()
  const location = response.headers.get('location')
  const note = `${response.status}${location ? ` → ${location}` : ''}`
  if (!scenario.expected(response.status) || location?.startsWith('/login')) {
    console.warn(`bench: warm-up for "${scenario.name}" answered ${note}; expected ${scenario.expectedLabel}`)
  }
  return note
}

export async function runScenario(scenario: Scenario, { duration, connections, timeout }: { duration: number; connections: number; timeout: number }) {
  const warm = await warmUp(scenario)
  const connectionCount = scenario.connections ?? connections
  const statuses: Record<string, number> = {}
  let responses = 0
  let bytes = 0
  let unexpected = 0
  let nextConnection = 0

  const request: Request = { method: scenario.method ?? 'GET' }
  if (scenario.body) {
    const makeBody = scenario.body
    request.setupRequest = (req) => ({ ...req, body: makeBody() })
  }
  const perConnection = scenario.connectionHeaders
  const rss = sampleRss(scenario.pid)
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: scenario.url,
        connections: connectionCount,
        duration,
        timeout,
        headers: scenario.headers,
        requests: [request],
        setupClient: perConnection
          ? (client) => client.setHeaders({ ...scenario.headers, ...perConnection[nextConnection++ % perConnection.length] })
          : undefined,
      },
      (error, value) => (error ? reject(error) : resolve(value)),
    )
    current = instance
    instance.on('response', (_client, status, resBytes) => {
      responses++
      bytes += resBytes
      statuses[status] = (statuses[status] ?? 0) + 1
      if (!scenario.expected(status)) unexpected++
    })
  }).finally(() => {
    current = null
  })
  const samples = rss.stop()

  return {
    key: scenario.key,
    name: scenario.name,
    connections: connectionCount,
    durationSeconds: duration,
    requests: responses,
    // Answers over the run's real length: autocannon's per-second average rounds a slow scenario to 0.
    reqPerSec: result.duration > 0 ? responses / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // autocannon's `errors` already includes its timeouts.
    errors: result.errors + unexpected,
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    unexpected,
    unanswered: Math.max(0, result.requests.sent - responses - result.timeouts),
    statuses,
    bytesPerResponse: responses > 0 ? bytes / responses : 0,
    peakRss: samples.reduce((peak, s) => Math.max(peak, s.bytes), 0),
    rss: samples,
    warmUp: warm,
  } satisfies ScenarioResult
}
