import { getSettings } from './settings.server.ts'
import type { CommentLimits } from '#app/schemas/comments.ts'

/** The limits comments are held to now. The settings are their one source; see CommentLimits. */
export async function readCommentLimits(): Promise<CommentLimits> {
  const { maxCommentLength } = await getSettings(['maxCommentLength'])
  return { maxLength: maxCommentLength }
}
