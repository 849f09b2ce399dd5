import { z } from 'zod'

export const MAX_PAGE = 10_000

/**
 * A list's page number. Reading pages fall back to the first page for anything that is not one
 * (`abc`, `-1`, `1e309`, a number past MAX_PAGE): a mistyped or mangled address still shows the
 * list. A page past the end of the list is for the route to refuse (404).
 */
export const PageNumberSchema = z.preprocess(
  (v) => (v === '' || v === undefined ? undefined : v),
  z.coerce.number().int().min(1).max(MAX_PAGE).default(1).catch(1),
)

export const PageQuerySchema = z.object({ page: PageNumberSchema })
