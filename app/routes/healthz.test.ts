import { describe, expect, it } from 'vitest'
import { database } from '#app/db.server.ts'
import { loader } from './healthz.ts'

describe('/healthz', () => {
  it('answers 200 while the database answers, and 503 once it does not', async () => {
    const up = await loader()
    expect(up.status).toBe(200)
    expect(up.headers.get('Cache-Control')).toBe('no-store')

    await database.close()
    const down = await loader()
    expect(down.status).toBe(503)
    expect(await down.text()).toContain('database unavailable')
  })
})
