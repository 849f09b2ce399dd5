import { describe, expect, it } from 'vitest'
import { commentSchemas } from './comments.ts'

describe('commentSchemas', () => {
  it('holds a comment to the limit it is given, and says by how much it is over', () => {
    const { CreateCommentSchema, EditCommentSchema } = commentSchemas({ maxLength: 40 })
    expect(CreateCommentSchema.safeParse({ body: 'x'.repeat(40) }).success).toBe(true)
    for (const schema of [CreateCommentSchema, EditCommentSchema]) {
      const result = schema.safeParse({ body: 'x'.repeat(41) })
      expect(result.error?.issues.map((i) => i.message)).toEqual(['Comments can be up to 40 characters; this one has 41.'])
    }
    // The same text under a larger limit (an admin raised the setting) is a comment.
    expect(commentSchemas({ maxLength: 20_000 }).CreateCommentSchema.safeParse({ body: 'x'.repeat(10_001) }).success).toBe(true)
  })

  it('previews up to twice the limit', () => {
    const { PreviewSchema } = commentSchemas({ maxLength: 40 })
    expect(PreviewSchema.safeParse({ body: 'x'.repeat(80) }).success).toBe(true)
    expect(PreviewSchema.safeParse({ body: 'x'.repeat(81) }).error?.issues[0]?.message).toBe('That is far too long to preview.')
  })
})
