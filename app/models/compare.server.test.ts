import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#app/db.server.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { getChipsForComparison } from './compare.server.ts'

beforeAll(() => seedDatabase(db))

describe('getChipsForComparison', () => {
  it('returns the chips in the order asked for, with the interconnect name', async () => {
    const chips = await getChipsForComparison({
      slugs: ['ascend-910b', 'h200', 'h100'],
    })
    expect(chips.map((c) => c.slug)).toEqual(['ascend-910b', 'h200', 'h100'])
    expect(chips[1]).toMatchObject({
      name: 'H200',
      memoryGb: 141,
      interconnect: 'NVLink',
      interconnectBandwidthGbs: 900,
    })
    expect(chips[0]?.memoryBandwidthGbs).toBeNull()
  })

  it('leaves out slugs with no chip', async () => {
    const chips = await getChipsForComparison({ slugs: ['h200', 'nope'] })
    expect(chips.map((c) => c.slug)).toEqual(['h200'])
  })
})
