// Builds the nested discussion from flat rows in O(n). Rows arrive already in display order (the
// query sorts them), so linking each row under its parent keeps that order without sorting again.

export type FlatComment = { id: number; parentId: number | null }

export type CommentNode<T extends FlatComment> = T & {
  children: CommentNode<T>[]
  /** Every reply below this comment that is in the tree, at any depth. */
  descendantCount: number
}

/**
 * Nests `rows` under their parents. A row whose parent is not among the rows is a root of the
 * result (a page's top-level comments, or the focused comment of a permalink page).
 */
export function buildCommentTree<T extends FlatComment>(rows: readonly T[]): CommentNode<T>[] {
  const nodes = new Map<number, CommentNode<T>>()
  for (const row of rows) nodes.set(row.id, { ...row, children: [], descendantCount: 0 })
  const roots: CommentNode<T>[] = []
  for (const row of rows) {
    const node = nodes.get(row.id)!
    const parent = row.parentId === null ? undefined : nodes.get(row.parentId)
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  // Children appear after their parents in any order the queries produce (a reply is newer than what
  // it answers), but counting bottom-up must not rely on that: walk an explicit post-order.
  const stack: { node: CommentNode<T>; visited: boolean }[] = roots.map((node) => ({ node, visited: false }))
  while (stack.length > 0) {
    const top = stack.pop()!
    if (top.visited) {
      top.node.descendantCount = top.node.children.reduce((sum, c) => sum + 1 + c.descendantCount, 0)
      continue
    }
    stack.push({ node: top.node, visited: true })
    for (const child of top.node.children) stack.push({ node: child, visited: false })
  }
  return roots
}

/** Replies deeper than this below a page's top comment continue on a permalink page. */
export const MAX_SHOWN_DEPTH = 8

export const commentSorts = ['top', 'new', 'old'] as const
export type CommentSort = (typeof commentSorts)[number]

type Sortable = { id: number; score: number; createdAt: Date | string; pinned?: boolean }

/** The order of the given sort, for rows sorted on the client (an optimistic reply, a live arrival). */
export function compareComments(sort: CommentSort) {
  const time = (c: Sortable) => new Date(c.createdAt).getTime()
  return (a: Sortable, b: Sortable): number => {
    const pinned = Number(b.pinned ?? false) - Number(a.pinned ?? false)
    if (pinned !== 0) return pinned
    if (sort === 'top') return b.score - a.score || time(a) - time(b) || a.id - b.id
    if (sort === 'new') return time(b) - time(a) || b.id - a.id
    return time(a) - time(b) || a.id - b.id
  }
}

/** The same tree with `fn` applied to every comment (children are mapped too). */
export function mapCommentTree<T extends FlatComment, U extends FlatComment>(
  nodes: readonly CommentNode<T>[],
  fn: (comment: CommentNode<T>) => U,
): CommentNode<U>[] {
  return nodes.map((node) => ({
    ...fn(node),
    children: mapCommentTree(node.children, fn),
    descendantCount: node.descendantCount,
  }))
}
