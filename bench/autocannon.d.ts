// autocannon ships no types; this covers the part of its programmatic API the bench uses (9.0.0).
declare module 'autocannon' {
  type Headers = Record<string, string>

  export type Request = {
    method?: string
    path?: string
    headers?: Headers
    body?: string | Buffer
    /** Called before each request is built; return the request to send. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null | undefined
  }

  export type Client = {
    setHeaders(headers: Headers): void
    setBody(body: string | Buffer): void
  }

  export type Options = {
    url: string
    connections?: number
    duration?: number
    /** Seconds before a request counts as timed out. */
    timeout?: number
    method?: string
    headers?: Headers
    body?: string | Buffer
    requests?: Request[]
    setupClient?: (client: Client) => void
  }

  export type Histogram = {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p90: number
    p99: number
    p99_9: number
  }

  export type Result = {
    latency: Histogram
    requests: Histogram & { sent: number }
    throughput: Histogram
    errors: number
    timeouts: number
    non2xx: number
    duration: number
    start: Date
    finish: Date
  }

  export interface Instance {
    stop(): void
    on(event: 'response', listener: (client: Client, statusCode: number, resBytes: number, responseTime: number) => void): this
    on(event: 'reqError', listener: (error: Error) => void): this
  }

  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance
  export default autocannon
}
