import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server.ts'
import { seedDatabase } from '#db/seed/index.ts'
import { getChip, listChips } from './chips.server.ts'

beforeAll(() => seedDatabase(db))

describe('listChips', () => {
  it('sorts by a figure, biggest first, unknowns last', async () => {
    const { chips } = await listChips({ sort: 'bandwidth', dir: 'desc' })
    const values = chips.map((c) => c.memoryBandwidthGbs)
    const known = values.filter((v): v is number => v !== null)
    expect(known).toEqual([...known].sort((a, b) => b - a))
    expect(values.slice(known.length).every((v) => v === null)).toBe(true)
  })

  it('keeps unknowns last when sorted the other way too', async () => {
    const { chips } = await listChips({ sort: 'bandwidth', dir: 'asc' })
    expect(chips[0]?.memoryBandwidthGbs).not.toBeNull()
    expect(chips.at(-1)?.memoryBandwidthGbs).toBeNull()
  })

  it('filters by vendor (any case) and by export status', async () => {
    const nvidia = await listChips({ sort: 'name', dir: 'asc', vendor: 'nvidia' })
    expect(nvidia.chips.length).toBeGreaterThan(3)
    expect(nvidia.chips.every((c) => c.vendor === 'Nvidia')).toBe(true)
    expect(nvidia.vendors).toContain('Huawei')

    const restricted = await listChips({ sort: 'name', dir: 'asc', status: 'restricted' })
    expect(restricted.chips.length).toBeGreaterThan(0)
    expect(restricted.chips.every((c) => c.exportStatus === 'restricted')).toBe(true)
  })
})

describe('getChip', () => {
  it('returns the record and the public articles that mention it', async () => {
    const result = await getChip({ slug: 'h200' })
    expect(result?.chip.name).toBe('H200')
    expect(result?.chip.memoryGb).toBe(141)
    expect(result?.articles.length).toBeGreaterThan(0)
  })

  it('returns null for an unknown chip', async () => {
    expect(await getChip({ slug: 'h9000' })).toBeNull()
  })
})
