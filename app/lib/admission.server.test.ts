import { describe, expect, test } from 'vitest'
import {
  AdmissionControl,
  admissionClasses,
  POST_LANES,
  RefusalMemory,
  REFUSALS_BEFORE_REMEMBERED,
  SessionStanding,
  WorkQueue,
} from './admission.server.ts'

const signup = admissionClasses.find((c) => c.limits.name === 'signup')!.limits

describe('admission control (bench/flood.ts)', () => {
  test('only POSTs to the expensive forms are classified', () => {
    const control = new AdmissionControl()
    expect(control.classify('POST', '/signup')?.name).toBe('signup')
    expect(control.classify('POST', '/signup.data')?.name).toBe('signup')
    expect(control.classify('POST', '/login')?.name).toBe('login')
    expect(control.classify('POST', '/forgot-password')?.name).toBe('password-reset')
    expect(control.classify('POST', '/reset-password/abc')?.name).toBe('password-reset')
    expect(control.classify('GET', '/signup')).toBeNull()
    expect(control.classify('POST', '/signup/extra')).toBeNull()
    expect(control.classify('POST', '/articles/x')).toBeNull()
  })

  test('one address gets its own allowance, then is refused, and is admitted again once it refills', () => {
    const control = new AdmissionControl()
    const now = 1_000_000
    for (let i = 0; i < signup.perAddress.capacity; i++) expect(control.admit(signup, '10.0.0.1', now).admitted).toBe(true)
    const refused = control.admit(signup, '10.0.0.1', now)
    expect(refused).toMatchObject({ admitted: false, message: expect.stringContaining('from your network') as string })
    expect(refused.admitted === false && refused.retryAfterSeconds).toBe(Math.ceil(1 / signup.perAddress.perSecond))
    // Another address is not affected.
    expect(control.admit(signup, '10.0.0.2', now).admitted).toBe(true)
    expect(control.admit(signup, '10.0.0.1', now + 1000 / signup.perAddress.perSecond).admitted).toBe(true)
  })

  test('a flood from many addresses, each under its own allowance, spends the site-wide allowance and no more', () => {
    const control = new AdmissionControl()
    const now = 2_000_000
    let admitted = 0
    let refusedSiteWide = 0
    // Ten seconds of 200 attempts a second, each from a new address.
    for (let i = 0; i < 2000; i++) {
      const verdict = control.admit(signup, `172.16.${i >> 8}.${i & 255}`, now + i * 5)
      if (verdict.admitted) admitted++
      else if (verdict.message.includes('on the site')) refusedSiteWide++
    }
    expect(admitted).toBeLessThanOrEqual(signup.global.capacity + Math.ceil(10 * signup.global.perSecond))
    expect(admitted).toBeGreaterThanOrEqual(signup.global.capacity)
    expect(refusedSiteWide).toBe(2000 - admitted)
  })

  test('an attempt refused as invalid gives its token back, to the address and to the site', () => {
    const control = new AdmissionControl()
    const now = 3_000_000
    // Far more invalid forms than either allowance holds, each refunded as a 400 would be.
    for (let i = 0; i < signup.global.capacity * 2; i++) {
      expect(control.admit(signup, '10.0.0.3', now).admitted).toBe(true)
      control.refund(signup, '10.0.0.3')
    }
    for (let i = 0; i < signup.perAddress.capacity; i++) expect(control.admit(signup, '10.0.0.3', now).admitted).toBe(true)
    expect(control.admit(signup, '10.0.0.3', now).admitted).toBe(false)
    // A refund never raises a bucket past its capacity.
    for (let i = 0; i < 100; i++) control.refund(signup, '10.0.0.4')
    const fresh = new AdmissionControl()
    for (let i = 0; i < 100; i++) fresh.refund(signup, '10.0.0.5')
    let admitted = 0
    while (fresh.admit(signup, '10.0.0.5', now).admitted) admitted++
    expect(admitted).toBe(signup.perAddress.capacity)
  })

  test('addresses whose buckets have refilled are forgotten, so memory stays bounded', () => {
    const control = new AdmissionControl()
    for (let i = 0; i < 500; i++) control.admit(signup, `10.1.${i >> 8}.${i & 255}`, 0)
    expect(control.addresses).toBe(500)
    control.admit(signup, '10.9.9.9', 3_600_000)
    expect(control.addresses).toBe(1)
  })
})

describe('which forms are limited', () => {
  const control = new AdmissionControl()
  const name = (path: string) => control.classify('POST', path)?.name ?? null

  test('every spelling the router takes for a limited form is limited as that form', () => {
    for (const path of ['/login', '/login.data', '/LOGIN', '/Login/', '/login//', '//login', '/%6Cogin', '/%6c%6f%67%69%6e.data']) {
      expect(name(path), path).toBe('login')
    }
    for (const path of ['/signup', '/SignUp/', '/sign%75p']) expect(name(path), path).toBe('signup')
    for (const path of ['/signup/confirm/abc', '/SIGNUP/confirm/abc/', '/signup/confirm/abc.data']) expect(name(path), path).toBe('signup-confirm')
    for (const path of ['/forgot-password', '/Forgot-Password/', '/reset-password/tok', '/reset-password/tok/'])
      expect(name(path), path).toBe('password-reset')
  })

  test('other paths and methods are not, and a malformed escape matches nothing', () => {
    for (const path of ['/', '/articles/login', '/login/x', '/signups', '/signup/confirm', '/%E0%A4%A']) expect(name(path), path).toBeNull()
    expect(control.classify('GET', '/login')).toBeNull()
  })
})

describe('refusal memory', () => {
  const refuse = (memory: RefusalMemory, times: number, token = 'token-a', path = '/articles/x', at = 0) => {
    for (let i = 0; i < times; i++) memory.remember(token, path, 30, at)
  }

  test('a person who retries once or twice gets the app’s own answer each time', () => {
    const memory = new RefusalMemory()
    refuse(memory, REFUSALS_BEFORE_REMEMBERED - 1)
    expect(memory.recall('token-a', '/articles/x', 1000)).toBeNull()
  })

  test('a session refused again and again is refused from memory at that address until the Retry-After ends', () => {
    const memory = new RefusalMemory()
    refuse(memory, REFUSALS_BEFORE_REMEMBERED)
    expect(memory.recall('token-a', '/articles/x', 1000)).toEqual({ retryAfterSeconds: 29 })
    expect(memory.recall('token-a', '/articles/x.data', 1000), 'the same form through single fetch').not.toBeNull()
    expect(memory.recall('token-a', '/Articles/X/', 1000), 'the same form spelt another way').not.toBeNull()
    expect(memory.recall('token-b', '/articles/x', 1000), 'another session').toBeNull()
    expect(memory.recall('token-a', '/articles/y', 1000), 'another address').toBeNull()
    expect(memory.recall('token-a', '/articles/x', 30_000), 'once it has ended').toBeNull()
  })

  test('remembers nothing without a Retry-After, and never more than its bound', () => {
    const memory = new RefusalMemory(2)
    refuse(memory, 5, 'a', '/p')
    memory.remember('z', '/p', 0, 0)
    memory.remember('z', '/p', 0, 0)
    memory.remember('z', '/p', 0, 0)
    expect(memory.recall('z', '/p', 1)).toBeNull()
    refuse(memory, 5, 'b', '/p')
    refuse(memory, 5, 'c', '/p')
    expect(memory.recall('a', '/p', 1)).not.toBeNull()
    expect(memory.recall('c', '/p', 1), 'past the bound: not remembered').toBeNull()
  })
})

describe('work queue', () => {
  const gate = () => {
    let open: () => void = () => {}
    const promise = new Promise<void>((resolve) => (open = resolve))
    return { promise, open }
  }

  test('runs at most its concurrency at once; lanes in order (rate-limited forms, others, sessions refused lately); overflow is refused', async () => {
    const queue = new WorkQueue(1, 2, 60_000)
    const order: string[] = []
    const first = gate()
    const running = queue.run(async () => {
      order.push('a')
      await first.promise
    })
    const refusedLately = queue.run(() => Promise.resolve(order.push('refused')), { lane: POST_LANES.refusedLately })
    const others = queue.run(() => Promise.resolve(order.push('b')))
    const logIn = queue.run(() => Promise.resolve(order.push('log-in')), { lane: POST_LANES.limited })
    const more = queue.run(() => Promise.resolve(order.push('c')))
    const refused = await queue.run(() => Promise.resolve(order.push('d')))
    expect(refused, 'past the waiting bound').toBeNull()
    expect(queue.load).toEqual({ running: 1, waiting: 4 })
    first.open()
    await Promise.all([running, refusedLately, others, logIn, more])
    expect(order).toEqual(['a', 'log-in', 'b', 'c', 'refused'])
    expect(queue.load).toEqual({ running: 0, waiting: 0 })
  })

  test('a job that runs past its lease gives up its slot, so one answer that never comes does not stop the queue', async () => {
    let overruns = 0
    const queue = new WorkQueue(1, 10, 60_000, 30, () => overruns++)
    const never = queue.run(() => new Promise<void>(() => {}))
    const next = await queue.run(() => Promise.resolve('ran'))
    expect(next).toEqual({ value: 'ran' })
    expect(overruns).toBe(1)
    expect(queue.load).toEqual({ running: 0, waiting: 0 })
    void never
  })

  test('a job whose client has gone leaves the queue, or does not start', async () => {
    const queue = new WorkQueue(1, 10, 60_000)
    const blocker = gate()
    const ran: string[] = []
    const running = queue.run(() => blocker.promise)
    const gone = new AbortController()
    const waiting = queue.run(() => Promise.resolve(ran.push('gone')), { signal: gone.signal })
    expect(queue.load.waiting).toBe(1)
    gone.abort()
    expect(await waiting).toBeNull()
    expect(queue.load.waiting).toBe(0)
    expect(await queue.run(() => Promise.resolve(ran.push('late')), { signal: gone.signal })).toBeNull()
    blocker.open()
    await running
    expect(ran).toEqual([])
    expect(queue.load).toEqual({ running: 0, waiting: 0 })
  })

  test('a job that waits too long is refused without running', async () => {
    const queue = new WorkQueue(1, 10, 20)
    const blocker = gate()
    const running = queue.run(() => blocker.promise)
    let ran = false
    expect(await queue.run(() => Promise.resolve((ran = true)))).toBeNull()
    expect(ran).toBe(false)
    blocker.open()
    await running
    expect(await queue.run(() => Promise.resolve('now'))).toEqual({ value: 'now' })
  })
})

describe('session standing', () => {
  test('accepted and not refused is good standing; a refusal takes it away while it holds', () => {
    const standing = new SessionStanding()
    expect(standing.inGoodStanding('a', 0), 'unknown').toBe(false)
    standing.accepted('a', 0)
    expect(standing.inGoodStanding('a', 1)).toBe(true)
    standing.refused('a', 60, 2)
    expect(standing.inGoodStanding('a', 1000)).toBe(false)
    standing.accepted('a', 61_000)
    expect(standing.inGoodStanding('a', 62_003)).toBe(true)
    standing.refused('b', 60, 0)
    expect(standing.inGoodStanding('b', 1)).toBe(false)
  })

  test('a refusal puts the session last in the queue until it ends; an unknown session is not refused', () => {
    const standing = new SessionStanding()
    expect(standing.refusedLately('a', 0)).toBe(false)
    standing.refused('a', 90, 0)
    expect(standing.refusedLately('a', 89_999)).toBe(true)
    expect(standing.refusedLately('a', 90_000)).toBe(false)
    standing.accepted('c', 0)
    expect(standing.refusedLately('c', 1)).toBe(false)
  })
})
