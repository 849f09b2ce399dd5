import { useEffect, useState } from 'react'
import { exportStatusLabels, formatBandwidth, formatFigure, formatMemory } from '#app/lib/format.ts'
import type { ChipCard } from '#app/models/chips.server.ts'

type Shown = { card: ChipCard; top: number; left: number; id: string }

/**
 * A card of key figures for the chip mention a reader points at or tabs to. The mention stays a
 * plain link (and works as one without JavaScript); the card floats above the page, so nothing moves.
 */
export function ChipMentionCards({ cards }: { cards: ChipCard[] }) {
  const [shown, setShown] = useState<Shown | null>(null)
  useEffect(() => {
    const bySlug = new Map(cards.map((c) => [c.slug, c]))
    const show = (event: Event) => {
      const link = (event.target as Element | null)?.closest?.('a.chip-mention')
      if (!(link instanceof HTMLAnchorElement)) return
      const card = bySlug.get(link.dataset.chip ?? '')
      if (!card) return
      const rect = link.getBoundingClientRect()
      const id = `chip-card-${card.slug}`
      link.setAttribute('aria-describedby', id)
      setShown({ card, id, top: rect.bottom + window.scrollY + 6, left: Math.max(8, Math.min(rect.left + window.scrollX, window.innerWidth - 296)) })
    }
    const hide = (event: Event) => {
      const link = (event.target as Element | null)?.closest?.('a.chip-mention')
      if (link) setShown(null)
    }
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setShown(null)
    }
    document.addEventListener('mouseover', show)
    document.addEventListener('focusin', show)
    document.addEventListener('mouseout', hide)
    document.addEventListener('focusout', hide)
    document.addEventListener('keydown', escape)
    return () => {
      document.removeEventListener('mouseover', show)
      document.removeEventListener('focusin', show)
      document.removeEventListener('mouseout', hide)
      document.removeEventListener('focusout', hide)
      document.removeEventListener('keydown', escape)
    }
  }, [cards])
  if (!shown) return null
  const { card } = shown
  return (
    <div
      role="tooltip"
      id={shown.id}
      className="chip-card"
      ref={(el) => {
        // Positioned through the CSSOM, which the CSP allows (inline style attributes it does not).
        if (el) {
          el.style.top = `${shown.top}px`
          el.style.left = `${shown.left}px`
        }
      }}
    >
      <p className="chip-card__name">
        {card.vendor} {card.name}
      </p>
      <dl>
        <div>
          <dt>Memory</dt>
          <dd>{formatMemory(card.memoryGb, card.memoryType)}</dd>
        </div>
        <div>
          <dt>Bandwidth</dt>
          <dd>{formatBandwidth(card.memoryBandwidthGbs)}</dd>
        </div>
        <div>
          <dt>Dense BF16</dt>
          <dd>{formatFigure(card.bf16Tflops, 'TFLOPS')}</dd>
        </div>
        <div>
          <dt>Export status</dt>
          <dd>{exportStatusLabels[card.exportStatus]}</dd>
        </div>
      </dl>
    </div>
  )
}
