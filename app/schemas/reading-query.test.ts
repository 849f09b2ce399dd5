import { describe, expect, it } from 'vitest'
import { ChipListQuerySchema } from './chips.ts'
import { DiscussionQuerySchema } from './comments.ts'
import { PageQuerySchema } from './pagination.ts'

// Reading pages fall back to their defaults for a page or an order they cannot use (issue 14, item 4).
describe('reading-page queries', () => {
  it.each(['', '-1', '0', '1.5', 'abc', '1e309', '99999999999999999999', '10001', ' '])('page %j is the first page', (page) => {
    expect(PageQuerySchema.parse({ page }).page).toBe(1)
  })

  it.each([
    ['2', 2],
    ['10000', 10_000],
  ])('page %j is kept', (page, expected) => {
    expect(PageQuerySchema.parse({ page }).page).toBe(expected)
  })

  it('an unknown comment order is no order (the reader’s own, else Top); a known one is kept', () => {
    expect(DiscussionQuerySchema.parse({ sort: 'nonsense' }).sort).toBeUndefined()
    expect(DiscussionQuerySchema.parse({ sort: 'new', page: 'x' })).toEqual({ sort: 'new', page: 1, remember: false })
  })

  it('only remember=1 remembers', () => {
    expect(DiscussionQuerySchema.parse({ remember: '1' }).remember).toBe(true)
    for (const remember of ['', '0', 'true', 'yes']) expect(DiscussionQuerySchema.parse({ remember }).remember).toBe(false)
    expect(DiscussionQuerySchema.parse({}).remember).toBe(false)
  })

  it('the chip table falls back to its default order, and still refuses a status that does not exist', () => {
    expect(ChipListQuerySchema.parse({ sort: 'nonsense', dir: 'sideways' })).toMatchObject({ sort: 'name', dir: undefined })
    expect(ChipListQuerySchema.safeParse({ status: 'banned' }).success).toBe(false)
  })
})
