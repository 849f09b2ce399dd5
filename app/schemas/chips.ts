import { z } from 'zod'
import { exportStatuses } from '#db/enums.ts'

export const chipSortKeys = ['name', 'vendor', 'process', 'memory', 'bandwidth', 'interconnect', 'bf16', 'tdp', 'year', 'status'] as const
export type ChipSortKey = (typeof chipSortKeys)[number]
export type SortDirection = 'asc' | 'desc'

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)

/**
 * /chips?sort=&dir=&vendor=&status= — every parameter optional. An order the table does not offer
 * falls back to the default one; a status that does not exist is a 400 (a filter that cannot match).
 */
export const ChipListQuerySchema = z.object({
  sort: z.preprocess(blankToUndefined, z.enum(chipSortKeys).default('name').catch('name')),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).optional().catch(undefined)),
  vendor: z.preprocess(blankToUndefined, z.string().trim().max(60).optional()),
  status: z.preprocess(blankToUndefined, z.enum(exportStatuses).optional()),
})
export type ChipListQuery = z.infer<typeof ChipListQuerySchema>

/** Text columns read A→Z first; figures read biggest first. */
export function defaultDirection(sort: ChipSortKey): SortDirection {
  return sort === 'name' || sort === 'vendor' || sort === 'process' || sort === 'status' ? 'asc' : 'desc'
}
