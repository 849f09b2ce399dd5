import { afterEach, describe, expect, it, vi } from 'vitest'
import { forgetTable, heardChangeEvent, readThrough, setListening } from './table-cache.server.ts'

function counter(value = 'v') {
  let reads = 0
  return {
    read: () => {
      reads++
      return Promise.resolve(`${value}${reads}`)
    },
    get reads() {
      return reads
    },
  }
}

afterEach(() => {
  setListening(false)
  vi.useRealTimers()
})

describe('readThrough', () => {
  it('reads every time while no change events are heard', async () => {
    const source = counter()
    expect(await readThrough('k', ['settings'], source.read)).toBe('v1')
    expect(await readThrough('k', ['settings'], source.read)).toBe('v2')
  })

  it('keeps a read while events are heard, and shares it between concurrent callers', async () => {
    setListening(true)
    const source = counter()
    const [a, b] = await Promise.all([readThrough('k', ['settings'], source.read), readThrough('k', ['settings'], source.read)])
    expect([a, b, await readThrough('k', ['settings'], source.read)]).toEqual(['v1', 'v1', 'v1'])
    expect(source.reads).toBe(1)
  })

  it('reads again after a change event for a table it read, and only then', async () => {
    setListening(true)
    const settings = counter('s')
    const chips = counter('c')
    await readThrough('settings', ['settings'], settings.read)
    await readThrough('chips', ['chips'], chips.read)
    heardChangeEvent(JSON.stringify({ type: 'data-changed', table: 'chips' }))
    heardChangeEvent(JSON.stringify({ type: 'comment-created', articleId: 1 }))
    heardChangeEvent('not json')
    expect(await readThrough('settings', ['settings'], settings.read)).toBe('s1')
    expect(await readThrough('chips', ['chips'], chips.read)).toBe('c2')
    forgetTable('settings')
    expect(await readThrough('settings', ['settings'], settings.read)).toBe('s2')
  })

  it('forgets everything when the listener reconnects, and keeps nothing once it is lost', async () => {
    setListening(true)
    const source = counter()
    await readThrough('k', ['settings'], source.read)
    setListening(true)
    expect(await readThrough('k', ['settings'], source.read)).toBe('v2')
    setListening(false)
    expect(await readThrough('k', ['settings'], source.read)).toBe('v3')
    expect(await readThrough('k', ['settings'], source.read)).toBe('v4')
  })

  it('keeps the result of a lazy thenable, such as a query builder, not the thenable', async () => {
    setListening(true)
    let runs = 0
    // Like a Drizzle query: nothing happens until it is awaited, and each await runs it again.
    const query = { then: (resolve: (rows: string[]) => void) => resolve([`run ${++runs}`]) } as PromiseLike<string[]>
    expect(await readThrough('q', ['chips'], () => query)).toEqual(['run 1'])
    expect(await readThrough('q', ['chips'], () => query)).toEqual(['run 1'])
    expect(runs).toBe(1)
  })

  it('does not keep a failed read', async () => {
    setListening(true)
    const failing = () => Promise.reject(new Error('connection lost'))
    await expect(readThrough('k', ['settings'], failing)).rejects.toThrow('connection lost')
    expect(await readThrough('k', ['settings'], () => Promise.resolve('ok'))).toBe('ok')
  })

  it('reads again once a copy is ten seconds old, events or not', async () => {
    vi.useFakeTimers()
    setListening(true)
    const source = counter()
    await readThrough('k', ['settings'], source.read)
    vi.advanceTimersByTime(9_000)
    expect(await readThrough('k', ['settings'], source.read)).toBe('v1')
    vi.advanceTimersByTime(1_001)
    expect(await readThrough('k', ['settings'], source.read)).toBe('v2')
  })
})
