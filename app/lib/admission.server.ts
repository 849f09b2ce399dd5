// Admission control for the forms that do expensive work for anyone who asks: sign-up, log-in and the
// password-reset forms each hash or check a password (argon2), write rows and, for sign-up, make a
// session. Their limits in the database are per address and per account, so a flood from thousands
// of addresses passes them all, and each attempt costs far more than a reader's page: in
// bench/flood.ts 38 sign-ups a second took readers from about 3,000 answers a second to 130.
//
// So, before any of that work (before the body is parsed, before the database is asked), each
// process keeps token buckets in memory: one per form for everyone, and one per form and address.
// An attempt that finds its bucket empty is refused at once with 429 and Retry-After, for the cost
// of a cached page. The database's own limits (stricter per address, over longer windows) still
// apply to what gets through and give the precise answer; these only shed a flood, so their
// allowances are well above what people or the test suites send.

export type Bucket = { capacity: number; perSecond: number }

export type AdmissionClass = { name: string; action: string; global: Bucket; perAddress: Bucket }

/** The forms limited here, by the path they post to (with or without the `.data` of single fetch). */
export const admissionClasses: { match: RegExp; limits: AdmissionClass }[] = [
  {
    match: /^\/signup(?:\.data)?$/,
    limits: { name: 'signup', action: 'sign-ups', global: { capacity: 120, perSecond: 2 }, perAddress: { capacity: 10, perSecond: 0.05 } },
  },
  {
    // A link from a sign-up mail: there are no more of them than sign-ups, so the same rate.
    match: /^\/signup\/confirm\/[^/]+(?:\.data)?$/,
    limits: {
      name: 'signup-confirm',
      action: 'sign-up confirmations',
      global: { capacity: 120, perSecond: 2 },
      perAddress: { capacity: 10, perSecond: 0.05 },
    },
  },
  {
    match: /^\/login(?:\.data)?$/,
    limits: { name: 'login', action: 'log-in attempts', global: { capacity: 100, perSecond: 20 }, perAddress: { capacity: 30, perSecond: 1 } },
  },
  {
    match: /^\/(?:forgot-password|reset-password\/[^/]+)(?:\.data)?$/,
    limits: {
      name: 'password-reset',
      action: 'password-reset requests',
      global: { capacity: 30, perSecond: 3 },
      perAddress: { capacity: 10, perSecond: 0.05 },
    },
  },
]

type State = { tokens: number; at: number }

/** Refills `state` to `now`; true (and one token spent) when there was a token to take. */
function take(state: State, bucket: Bucket, now: number) {
  state.tokens = Math.min(bucket.capacity, state.tokens + ((now - state.at) / 1000) * bucket.perSecond)
  state.at = now
  if (state.tokens < 1) return false
  state.tokens -= 1
  return true
}

function waitSeconds(state: State, bucket: Bucket) {
  return Math.max(1, Math.ceil((1 - state.tokens) / bucket.perSecond))
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number; message: string }

/**
 * A path as the router matches it: percent-escapes decoded, case folded, trailing slashes and
 * repeated slashes dropped. `/LOGIN/`, `/%6Cogin` and `//login` reach the log-in action as `/login`
 * does, so they are limited as it is.
 */
export function asRouted(path: string): string {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // A malformed escape never reaches a route (server.ts refuses it); as it is, it matches nothing.
  }
  return decoded
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/+$/, '$1')
}

/** Per-process buckets. Addresses are forgotten once their bucket is full again, so memory stays bounded by the flood's width over a few seconds. */
export class AdmissionControl {
  private readonly global = new Map<string, State>()
  private readonly perAddress = new Map<string, State>()
  private lastSweep = 0

  constructor(
    private readonly classes = admissionClasses,
    private readonly maxAddresses = 100_000,
  ) {}

  classify(method: string, path: string): AdmissionClass | null {
    if (method !== 'POST') return null
    const routed = asRouted(path)
    return this.classes.find((c) => c.match.test(routed))?.limits ?? null
  }

  admit(limits: AdmissionClass, address: string, now = Date.now()): Admission {
    this.sweep(now)
    const key = `${limits.name} ${address}`
    const mine = this.perAddress.get(key) ?? { tokens: limits.perAddress.capacity, at: now }
    const everyone = this.global.get(limits.name) ?? { tokens: limits.global.capacity, at: now }
    this.global.set(limits.name, everyone)
    // The address's own allowance first: one noisy address does not spend everyone's.
    if (!take(mine, limits.perAddress, now)) {
      this.perAddress.set(key, mine)
      return {
        admitted: false,
        retryAfterSeconds: waitSeconds(mine, limits.perAddress),
        message: `Too many ${limits.action} from your network. Please try again in ${waitSeconds(mine, limits.perAddress)} seconds.`,
      }
    }
    if (this.perAddress.size < this.maxAddresses || this.perAddress.has(key)) this.perAddress.set(key, mine)
    if (!take(everyone, limits.global, now)) {
      return {
        admitted: false,
        retryAfterSeconds: waitSeconds(everyone, limits.global),
        message: `Too many ${limits.action} on the site right now. Please try again in ${waitSeconds(everyone, limits.global)} seconds.`,
      }
    }
    return { admitted: true }
  }

  /**
   * Gives back the token an attempt took, when the app refused the form as invalid (400) before doing
   * the work the buckets guard: a person correcting a typo, or a test sending every hostile username
   * to the form, does not spend the allowance that sign-ups and log-ins that do the work share.
   */
  refund(limits: AdmissionClass, address: string) {
    const mine = this.perAddress.get(`${limits.name} ${address}`)
    if (mine) mine.tokens = Math.min(limits.perAddress.capacity, mine.tokens + 1)
    const everyone = this.global.get(limits.name)
    if (everyone) everyone.tokens = Math.min(limits.global.capacity, everyone.tokens + 1)
  }

  /** Addresses tracked, for tests. */
  get addresses() {
    return this.perAddress.size
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 10_000) return
    this.lastSweep = now
    for (const [key, state] of this.perAddress) {
      const limits = this.classes.find((c) => key.startsWith(`${c.limits.name} `))?.limits
      if (!limits || state.tokens + ((now - state.at) / 1000) * limits.perAddress.perSecond >= limits.perAddress.capacity) this.perAddress.delete(key)
    }
  }
}

/**
 * What the app keeps refusing a session, remembered until its Retry-After ends. A session told "too
 * many comments in a minute" three times over at one address is told again from memory, instead of
 * the app re-rendering the whole page around the refusal each time (a refused form without
 * JavaScript is answered with its page, the text kept: for a story with its discussion, tens of
 * milliseconds). A person who retries once or twice still gets the page with their text; a flood's
 * account hammering the form gets a line of text. The app decides every refusal; this only repeats it.
 */
export const REFUSALS_BEFORE_REMEMBERED = 3

export class RefusalMemory {
  private readonly refused = new Map<string, { until: number; count: number }>()

  constructor(private readonly maxEntries = 100_000) {}

  private key(session: string, path: string) {
    return `${asRouted(path).replace(/\.data$/, '')} ${session}`
  }

  remember(session: string, path: string, retryAfterSeconds: number, now = Date.now()) {
    if (!(retryAfterSeconds > 0)) return
    const key = this.key(session, path)
    const entry = this.refused.get(key)
    const until = now + Math.min(retryAfterSeconds, 3600) * 1000
    if (entry && entry.until > now) {
      entry.count++
      entry.until = Math.max(entry.until, until)
      return
    }
    if (!entry && this.refused.size >= this.maxEntries) this.sweep(now)
    if (!entry && this.refused.size >= this.maxEntries) return
    this.refused.set(key, { until, count: 1 })
  }

  /** Seconds the refusal still holds, when the app has refused this session at this address often enough. */
  recall(session: string, path: string, now = Date.now()): { retryAfterSeconds: number } | null {
    const key = this.key(session, path)
    const entry = this.refused.get(key)
    if (!entry) return null
    if (entry.until <= now) {
      this.refused.delete(key)
      return null
    }
    if (entry.count < REFUSALS_BEFORE_REMEMBERED) return null
    return { retryAfterSeconds: Math.ceil((entry.until - now) / 1000) }
  }

  private sweep(now: number) {
    for (const [key, entry] of this.refused) if (entry.until <= now) this.refused.delete(key)
  }
}

/**
 * The order in which waiting posts run. Forms that passed a bucket above come first: however many
 * addresses a flood has, they arrive no faster than the bucket lets them, so a person logging in is
 * not queued behind an unbounded number of anything. Then every other post (a first comment, a
 * session the site does not know); last, sessions the app has lately refused (see SessionStanding).
 */
export const POST_LANES = { limited: 0, other: 1, refusedLately: 2 } as const
export type PostLane = (typeof POST_LANES)[keyof typeof POST_LANES]

/**
 * Runs at most `concurrency` jobs at once, the rest in arrival order within their lane, lanes in
 * order (POST_LANES); beyond `maxWaiting` waiting in a lane, or once a job has waited `maxWaitMs`,
 * it is refused (`null`) without running. For the form posts that pass the limits above: a reader's
 * cached page is one quick turn of the event loop, a post's answer many, and with every post of a
 * flood in progress at once a reader waited behind all of them; in turn, a reader waits behind at
 * most a post's turn or two. A job still running after `maxRunMs` gives its slot up (and goes on):
 * one answer that never comes must not stop every post after it.
 */
export class WorkQueue {
  private running = 0
  private readonly lanes: { start: () => void; timer: NodeJS.Timeout }[][] = Object.values(POST_LANES).map(() => [])

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly maxWaitMs: number,
    private readonly maxRunMs = 30_000,
    private readonly onOverrun: () => void = () => {},
  ) {}

  get load() {
    return { running: this.running, waiting: this.lanes.reduce((sum, lane) => sum + lane.length, 0) }
  }

  /**
   * `signal`: the client has gone (it closed the connection). Its job leaves the queue, or does not
   * start: a request whose body can no longer be read would wait for it for ever.
   */
  async run<T>(
    job: () => Promise<T>,
    { lane: laneIndex = POST_LANES.other, signal }: { lane?: PostLane; signal?: AbortSignal } = {},
  ): Promise<{ value: T } | null> {
    if (signal?.aborted) return null
    if (this.running >= this.concurrency) {
      const lane = this.lanes[laneIndex]!
      if (lane.length >= this.maxWaiting) return null
      const admitted = await new Promise<boolean>((resolve) => {
        const leave = () => {
          clearTimeout(entry.timer)
          const at = lane.indexOf(entry)
          if (at !== -1) lane.splice(at, 1)
          resolve(false)
        }
        const entry = {
          start: () => {
            clearTimeout(entry.timer)
            signal?.removeEventListener('abort', leave)
            resolve(true)
          },
          timer: setTimeout(leave, this.maxWaitMs),
        }
        signal?.addEventListener('abort', leave, { once: true })
        lane.push(entry)
      })
      if (!admitted) return null
    } else {
      this.running++
    }
    let released = false
    const release = () => {
      if (released) return
      released = true
      // The slot passes to the next job waiting, or is freed.
      const next = this.lanes.find((lane) => lane.length > 0)?.shift()
      if (next) next.start()
      else this.running--
    }
    const lease = setTimeout(() => {
      this.onOverrun()
      release()
    }, this.maxRunMs)
    try {
      return { value: await job() }
    } finally {
      clearTimeout(lease)
      release()
    }
  }
}

/**
 * Sessions whose form posts the app has lately accepted and not refused: members in good standing,
 * whose posts skip the WorkQueue. A flood's fresh accounts are refused by the app within a post or
 * two (new accounts' limits) and lose their place again for as long as the refusal holds; their
 * posts then wait behind everyone else's (`refusedLately`).
 */
export class SessionStanding {
  private readonly sessions = new Map<string, { acceptedAt: number | null; refusedUntil: number }>()

  constructor(
    private readonly maxEntries = 100_000,
    private readonly forgetAfterMs = 3_600_000,
  ) {}

  accepted(session: string, now = Date.now()) {
    const entry = this.sessions.get(session)
    if (entry) entry.acceptedAt = now
    else if (this.room(now)) this.sessions.set(session, { acceptedAt: now, refusedUntil: 0 })
  }

  refused(session: string, retryAfterSeconds: number, now = Date.now()) {
    const until = now + Math.min(Math.max(retryAfterSeconds, 60), 3600) * 1000
    const entry = this.sessions.get(session)
    if (entry) entry.refusedUntil = Math.max(entry.refusedUntil, until)
    else if (this.room(now)) this.sessions.set(session, { acceptedAt: null, refusedUntil: until })
  }

  /** Whether the app refused this session (429) and the refusal still holds. */
  refusedLately(session: string, now = Date.now()) {
    return (this.sessions.get(session)?.refusedUntil ?? 0) > now
  }

  inGoodStanding(session: string, now = Date.now()) {
    const entry = this.sessions.get(session)
    return !!entry && entry.acceptedAt !== null && now - entry.acceptedAt < this.forgetAfterMs && entry.refusedUntil <= now
  }

  private room(now: number) {
    if (this.sessions.size < this.maxEntries) return true
    for (const [key, entry] of this.sessions) {
      if ((entry.acceptedAt === null || now - entry.acceptedAt >= this.forgetAfterMs) && entry.refusedUntil <= now) this.sessions.delete(key)
    }
    return this.sessions.size < this.maxEntries
  }
}
