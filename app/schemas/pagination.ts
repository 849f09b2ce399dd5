import { z } from 'zod'

export const MAX_PAGE = 10_000

export const PageQuerySchema = z.object({
  page: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z.coerce
      .number({ error: 'page must be a whole number' })
      .int('page must be a whole number')
      .min(1, 'page must be 1 or more')
      .max(MAX_PAGE, `page must be at most ${MAX_PAGE}`)
      .default(1),
  ),
})
