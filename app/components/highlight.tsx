import { MARK_END as END, MARK_START as START } from '#app/lib/search-markers.ts'

/** A search snippet with its matches marked: built as elements, never as HTML. */
export function Highlighted({ text }: { text: string }) {
  const parts: { text: string; marked: boolean }[] = []
  let marked = false
  let current = ''
  for (const ch of text) {
    if (ch === START || ch === END) {
      if (current) parts.push({ text: current, marked })
      current = ''
      marked = ch === START
    } else current += ch
  }
  if (current) parts.push({ text: current, marked })
  return <>{parts.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>
}
