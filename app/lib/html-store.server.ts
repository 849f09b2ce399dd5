import type { AppLoadContext } from '@remix-run/node'
import { commentBodyId } from './dom-ids.ts'
import { mapCommentTree, type CommentNode, type FlatComment } from './comment-tree.ts'

/**
 * The HTML to put in route data: on a data request, `html` itself; on a document request, null, with
 * `html` kept in the request's store for the server render (see components/stored-html.tsx).
 */
export function shipHtmlOnce(context: AppLoadContext, id: string, html: string | null): string | null {
  if (html === null || context.isDataRequest) return html
  context.htmlStore.set(id, html)
  return null
}

/** A discussion's comment bodies, shipped once (see shipHtmlOnce). */
export function shipCommentBodies<T extends FlatComment & { bodyHtml: string | null }>(context: AppLoadContext, tree: CommentNode<T>[]): CommentNode<T>[] {
  return mapCommentTree(tree, (comment) => ({ ...comment, bodyHtml: shipHtmlOnce(context, commentBodyId(comment.id), comment.bodyHtml) }))
}
