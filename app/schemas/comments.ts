import { z } from 'zod'
import { commentSorts } from '#app/lib/comment-tree.ts'
import { normaliseNewlines } from './authoring.ts'
import { PageNumberSchema } from './pagination.ts'

/**
 * What comments are held to. The longest comment is a setting (maxCommentLength, in the settings
 * model): the action reads it, and the page passes it to the browser, so the textarea's maxLength,
 * the browser's check and the server's are one number.
 */
export type CommentLimits = { maxLength: number }

/**
 * A comment is stored as written, with one normalisation: line ends are LF. Browsers send a
 * textarea's line ends as CRLF, which would count twice against the length limit (a comment of
 * 9,800 characters over 290 lines arrived as 10,090). Everything else is kept: leading and
 * trailing spaces, invisible and direction characters, markup, which Markdown rendering escapes.
 * (A U+0000 is refused by parseForm; a lone surrogate arrives as U+FFFD.)
 */
export function commentBodySchema({ maxLength }: CommentLimits) {
  return z
    .string({ error: 'Write something before posting.' })
    .transform(normaliseNewlines)
    .refine((body) => body.trim().length > 0, 'Write something before posting.')
    .check((ctx) => {
      if (ctx.value.length > maxLength) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `Comments can be up to ${maxLength.toLocaleString('en-GB')} characters; this one has ${ctx.value.length.toLocaleString('en-GB')}.`,
        })
      }
    })
}

const id = z.coerce
  .number({ error: 'That comment reference is not a number.' })
  .int('That comment reference is not a number.')
  .positive('That comment reference is not a number.')
  .max(2_147_483_647, 'That comment reference is too large.')

/** The comment forms' schemas under the current limits: built alike by the actions and the browser. */
export function commentSchemas(limits: CommentLimits) {
  const body = commentBodySchema(limits)
  return {
    CreateCommentSchema: z.object({
      body,
      parentId: z.preprocess((v) => (v === '' ? undefined : v), id.optional()),
      returnTo: z.string().max(2000).optional(),
    }),
    EditCommentSchema: z.object({ body }),
    PreviewSchema: z.object({ body: z.string().max(limits.maxLength * 2, 'That is far too long to preview.') }),
  }
}

export const VoteSchema = z.object({ vote: z.enum(['up', 'undo'], { error: 'A vote is “up” or “undo”.' }) })

export const CommentIdParamSchema = id

export const DiscussionQuerySchema = z.object({
  // An order the page does not offer falls back to the reader's own (or the default).
  sort: z.preprocess((v) => (v === '' ? undefined : v), z.enum(commentSorts).optional().catch(undefined)),
  page: PageNumberSchema,
  /**
   * Set by the sort links only: the reader chose this order, so it becomes their own. A `?sort=` on
   * its own (the address a posted comment lands on, a link someone shared) shows that order once.
   */
  remember: z.preprocess((v) => v === '1', z.boolean()).catch(false),
})
