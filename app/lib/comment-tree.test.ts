import { describe, expect, it } from 'vitest'
import { buildCommentTree, compareComments } from './comment-tree.ts'

type Row = { id: number; parentId: number | null; score: number; createdAt: Date }
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute))
const row = (id: number, parentId: number | null, score = 0, minute = id): Row => ({ id, parentId, score, createdAt: at(minute) })

function shape(nodes: ReturnType<typeof buildCommentTree<Row>>): unknown[] {
  return nodes.map((n) => (n.children.length ? [n.id, shape(n.children)] : n.id))
}

describe('buildCommentTree', () => {
  it('nests replies under their parents and keeps the order rows arrive in', () => {
    const tree = buildCommentTree([row(1, null), row(2, null), row(3, 1), row(4, 3), row(5, 1), row(6, 2)])
    expect(shape(tree)).toEqual([
      [1, [[3, [4]], 5]],
      [2, [6]],
    ])
  })

  it('counts every reply below each comment', () => {
    const [first] = buildCommentTree([row(1, null), row(2, 1), row(3, 2), row(4, 3), row(5, 1)])
    expect(first?.descendantCount).toBe(4)
    expect(first?.children[0]?.descendantCount).toBe(2)
    expect(first?.children[1]?.descendantCount).toBe(0)
  })

  it('treats a row whose parent is missing as a root (a permalink page, or a later page)', () => {
    const tree = buildCommentTree([row(7, 3), row(8, 7), row(9, 3)])
    expect(shape(tree)).toEqual([[7, [8]], 9])
  })

  it('does not depend on parents arriving before children', () => {
    const tree = buildCommentTree([row(4, 3), row(3, 1), row(1, null)])
    expect(shape(tree)).toEqual([[1, [[3, [4]]]]])
    expect(tree[0]?.descendantCount).toBe(2)
  })

  it('handles an empty discussion and a 10,000-deep chain without recursion limits', () => {
    expect(buildCommentTree([])).toEqual([])
    const chain = Array.from({ length: 10_000 }, (_, i) => row(i + 1, i === 0 ? null : i))
    const [root] = buildCommentTree(chain)
    expect(root?.descendantCount).toBe(9_999)
  })

  it('builds 200,000 comments without sorting or recursion (speed is measured in bench/, not here)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => row(i + 1, i < 100 ? null : (i % 100) + 1))
    const tree = buildCommentTree(rows)
    expect(tree).toHaveLength(100)
    expect(tree.reduce((sum, root) => sum + 1 + root.descendantCount, 0)).toBe(200_000)
  })
})

describe('compareComments', () => {
  const rows = [row(1, null, 5, 1), row(2, null, 9, 2), row(3, null, 5, 3), { ...row(4, null, 0, 4), pinned: true }]
  const ids = (sort: 'top' | 'new' | 'old') => [...rows].sort(compareComments(sort)).map((r) => r.id)

  it('top: pinned first, then score, then the older of equals', () => {
    expect(ids('top')).toEqual([4, 2, 1, 3])
  })
  it('new and old: by time', () => {
    expect(ids('new')).toEqual([4, 3, 2, 1])
    expect(ids('old')).toEqual([4, 1, 2, 3])
  })
})
