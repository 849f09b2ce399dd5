import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { OVERLAY_DATA_ID } from '#app/lib/dom-ids.ts'
import type { ViewerOverlay } from '#app/lib/viewer-overlay.ts'

// A member's copy of a shared page (docs/decisions/007-one-rendering-for-everyone.md) arrives with
// small pieces spliced in by the server: their account menu, their notices, their comment form, and
// the overlay as a JSON block. Hydration must see what the shared render produced, so it runs with
// no member at all; right after, the overlay is applied and React renders the member's page.

type Phase = 'hydrating' | 'live'
type ViewerState = { phase: Phase; overlay: ViewerOverlay | null; spliced: boolean }
const ViewerContext = createContext<ViewerState>({ phase: 'hydrating', overlay: null, spliced: false })

function readSplicedOverlay(): ViewerOverlay | null {
  const text = document.getElementById(OVERLAY_DATA_ID)?.textContent
  if (!text) return null
  try {
    return JSON.parse(text) as ViewerOverlay
  } catch {
    return null
  }
}

/** What a member typed into the spliced forms before the app took them over, by field id. */
type Typed = { values: [string, string][]; focused: string | null }

function typedInSlots(): Typed {
  const values = [...document.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>('tl-slot textarea, tl-slot input:not([type=hidden])')]
    .filter((field) => field.id && field.value !== field.defaultValue)
    .map((field): [string, string] => [field.id, field.value])
  const active = document.activeElement
  return { values, focused: active?.closest('tl-slot') && active.id ? active.id : null }
}

function restoreTyped({ values, focused }: Typed) {
  for (const [id, value] of values) {
    const field = document.getElementById(id)
    if (field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) field.value = value
  }
  if (focused) document.getElementById(focused)?.focus()
}

// Layout effects do nothing on the server, where React warns about them.
const useLayoutEffectInBrowser = typeof document === 'undefined' ? useEffect : useLayoutEffect

export function ViewerProvider({ children }: { children: ReactNode }) {
  // Read before anything re-renders the account slot that carries it.
  const spliced = useRef<ViewerOverlay | null | undefined>(undefined)
  if (spliced.current === undefined && typeof document !== 'undefined') spliced.current = readSplicedOverlay()
  const [phase, setPhase] = useState<Phase>('hydrating')
  const typed = useRef<Typed | null>(null)
  useEffect(() => {
    if (spliced.current) typed.current = typedInSlots()
    setPhase('live')
  }, [])
  // The slots now hold the app's own markup: what was typed into the server's goes back in.
  useLayoutEffectInBrowser(() => {
    if (phase === 'live' && typed.current) restoreTyped(typed.current)
    typed.current = null
  }, [phase])
  const value = useMemo(() => ({ phase, overlay: phase === 'live' ? (spliced.current ?? null) : null, spliced: Boolean(spliced.current) }), [phase])
  return <ViewerContext.Provider value={value}>{children}</ViewerContext.Provider>
}

/**
 * The member's overlay, while the route data is the shared render's (`shared`); null once the
 * routes' own data speaks for the member (after any navigation or revalidation), or for a reader.
 */
export function useViewerOverlay(shared: boolean | undefined): ViewerOverlay | null {
  const { overlay } = useContext(ViewerContext)
  return shared ? overlay : null
}

/**
 * A place in a shared page that differs between readers. The server renders `children` for nobody
 * and splices a member's own markup into their copy (app/member-page.server.tsx). Hydrating such a
 * copy keeps whatever the document holds; React takes the place over once the overlay is applied.
 * Everywhere else (a reader's page, a page rendered for one member) it is its children.
 */
export function ViewerSlot({ id, className, children }: { id: string; className?: string; children: ReactNode }) {
  const { phase, spliced } = useContext(ViewerContext)
  const [html] = useState(() => (phase === 'hydrating' && spliced ? (document.getElementById(id)?.innerHTML ?? null) : null))
  if (phase === 'hydrating' && html !== null) return <tl-slot id={id} class={className} dangerouslySetInnerHTML={{ __html: html }} />
  return (
    <tl-slot id={id} class={className}>
      {children}
    </tl-slot>
  )
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's own declaration of intrinsic elements
  namespace JSX {
    interface IntrinsicElements {
      /** A splice point (ViewerSlot): laid out as its children unless it has a class of its own. */
      'tl-slot': { id: string; class?: string; children?: ReactNode; dangerouslySetInnerHTML?: { __html: string } }
      /** Where the server cuts apart markup it rendered in one pass (app/member-page.server.tsx). */
      'tl-cut': Record<string, never>
    }
  }
}
