import { describe, expect, it } from 'vitest'
import { jsonDataResponse, newestDateIn } from './feed-response.server.ts'

describe('jsonDataResponse', () => {
  const body = {
    chips: [{ updatedAt: new Date('2026-03-04T05:06:07.890Z'), timeline: [{ effectiveDate: '2025-01-15' }, { effectiveDate: '2999-01-01' }] }],
  }

  it('takes the newest date that is not in the future', () => {
    expect(newestDateIn(body)?.toISOString()).toBe('2026-03-04T05:06:07.890Z')
    expect(newestDateIn({ a: 'not a date', b: 3 })).toBeNull()
  })

  it('carries an ETag and Last-Modified, and answers 304 to either validator', async () => {
    const first = jsonDataResponse(new Request('http://x/chips.json'), body, { 'Cache-Control': 'public' })
    expect(first.status).toBe(200)
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^W\/"[\w-]+"$/)
    expect(first.headers.get('Last-Modified')).toBe('Wed, 04 Mar 2026 05:06:07 GMT')
    expect((JSON.parse(await first.text()) as { chips: unknown[] }).chips).toHaveLength(1)
    const byTag = jsonDataResponse(new Request('http://x/chips.json', { headers: { 'If-None-Match': etag } }), body, {})
    expect(byTag.status).toBe(304)
    const byDate = jsonDataResponse(new Request('http://x/chips.json', { headers: { 'If-Modified-Since': 'Wed, 04 Mar 2026 05:06:07 GMT' } }), body, {})
    expect(byDate.status).toBe(304)
    const older = jsonDataResponse(new Request('http://x/chips.json', { headers: { 'If-Modified-Since': 'Wed, 04 Mar 2026 05:06:06 GMT' } }), body, {})
    expect(older.status).toBe(200)
    const changed = jsonDataResponse(new Request('http://x/chips.json', { headers: { 'If-None-Match': etag } }), { ...body, more: 1 }, {})
    expect(changed.status).toBe(200)
  })
})
