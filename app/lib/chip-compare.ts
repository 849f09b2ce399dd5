import type { ExportStatus } from '#db/enums.ts'
import type { ChipFigures } from './chip-figures.ts'
import { exportStatusLabels, formatBandwidth, formatFigure, formatMemory, formatText, NOT_AVAILABLE } from './format.ts'

// Side-by-side chip comparison, pure so the compare page (React) and the article directive (static
// HTML stored at write time) rank and format figures identically.

export const COMPARE_MIN_CHIPS = 2
export const COMPARE_MAX_CHIPS = 6

export const KEBAB_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export type ComparableChip = ChipFigures

export type CompareRowKey = 'vendor' | 'architecture' | 'process' | 'memory' | 'bandwidth' | 'interconnect' | 'bf16' | 'tdp' | 'year' | 'status'

export type CompareCell = {
  text: string
  /** The best figure in its row (ties are all best); never set on unranked rows. */
  best: boolean
  /** For the export-status row: the status, so renderers can add its badge class. */
  status?: ExportStatus
}

export type CompareRow = {
  key: CompareRowKey
  label: string
  numeric: boolean
  /** Whether the row is ranked at all (text rows and power are not). */
  ranked: boolean
  cells: CompareCell[]
}

export type ChipComparison = {
  chips: { slug: string; name: string }[]
  rows: CompareRow[]
}

type RowSpec = {
  key: CompareRowKey
  label: string
  numeric: boolean
  text: (chip: ComparableChip) => string
  /** Higher is better; omitted for rows that are not ranked. */
  rank?: (chip: ComparableChip) => number | null
}

function interconnectText(chip: ComparableChip) {
  const figure = formatBandwidth(chip.interconnectBandwidthGbs)
  return chip.interconnect ? `${figure} (${chip.interconnect})` : figure
}

const rowSpecs: RowSpec[] = [
  {
    key: 'vendor',
    label: 'Vendor',
    numeric: false,
    text: (c) => formatText(c.vendor),
  },
  {
    key: 'architecture',
    label: 'Architecture',
    numeric: false,
    text: (c) => formatText(c.architecture),
  },
  {
    key: 'process',
    label: 'Process',
    numeric: false,
    text: (c) => formatText(c.processNode),
  },
  {
    key: 'memory',
    label: 'Memory',
    numeric: true,
    text: (c) => formatMemory(c.memoryGb, c.memoryType),
    rank: (c) => c.memoryGb,
  },
  {
    key: 'bandwidth',
    label: 'Memory bandwidth',
    numeric: true,
    text: (c) => formatBandwidth(c.memoryBandwidthGbs),
    rank: (c) => c.memoryBandwidthGbs,
  },
  {
    key: 'interconnect',
    label: 'Chip-to-chip bandwidth',
    numeric: true,
    text: interconnectText,
    rank: (c) => c.interconnectBandwidthGbs,
  },
  {
    key: 'bf16',
    label: 'Dense BF16',
    numeric: true,
    text: (c) => formatFigure(c.bf16Tflops, 'TFLOPS'),
    rank: (c) => c.bf16Tflops,
  },
  // Power is shown but not ranked: a lower draw is not simply better when throughput differs.
  {
    key: 'tdp',
    label: 'Power (TDP)',
    numeric: true,
    text: (c) => formatFigure(c.tdpWatts, 'W'),
  },
  {
    key: 'year',
    label: 'Launch year',
    numeric: true,
    text: (c) => (c.launchYear === null ? NOT_AVAILABLE : String(c.launchYear)),
    rank: (c) => c.launchYear,
  },
  {
    key: 'status',
    label: 'Export status',
    numeric: false,
    text: (c) => exportStatusLabels[c.exportStatus],
  },
]

export const COMPARE_CAPTION_NOTE =
  'The best figure in each row is in bold and marked “★ best”; ties are all marked, and a row needs at least two known figures to be ranked. Power (TDP) is not ranked.'

/** Which cells hold the row's highest figure: none when fewer than two chips have the figure. */
export function bestIndexes(values: (number | null)[]): Set<number> {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (known.length < COMPARE_MIN_CHIPS) return new Set()
  const top = Math.max(...known)
  const best = new Set<number>()
  values.forEach((v, i) => {
    if (v === top) best.add(i)
  })
  return best
}

/** The comparison table for `chips`, one column per chip in the order given. */
export function buildComparison(chips: ComparableChip[]): ChipComparison {
  const rows = rowSpecs.map((spec): CompareRow => {
    const rank = spec.rank
    const best = rank ? bestIndexes(chips.map((c) => rank(c))) : new Set<number>()
    return {
      key: spec.key,
      label: spec.label,
      numeric: spec.numeric,
      ranked: Boolean(rank),
      cells: chips.map((chip, i) => ({
        text: spec.text(chip),
        best: best.has(i),
        ...(spec.key === 'status' ? { status: chip.exportStatus } : {}),
      })),
    }
  })
  return { chips: chips.map((c) => ({ slug: c.slug, name: c.name })), rows }
}

/**
 * Chip slugs from query values or directive text: comma, space or newline separated, lowercased,
 * empty pieces dropped. Order is kept; validation (count, shape, duplicates) is the caller's.
 */
export function splitChipSlugs(values: string | string[]): string[] {
  const list = Array.isArray(values) ? values : [values]
  return list
    .flatMap((v) => v.split(/[\s,]+/))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
}

export const statusClass = (status: ExportStatus) => `status status--${status.replace(/_/g, '-')}`

export const BEST_MARK = '★ best'

// Seen: bold plus a "★ best" mark; heard: "(best)" once. Never colour alone.
const bestMarkHtml = ` <span class="compare-best__mark" aria-hidden="true">${BEST_MARK}</span><span class="visually-hidden"> (best)</span>`

export const statusSymbols: Record<ExportStatus, string> = {
  unrestricted: '○',
  licence_required: '◐',
  restricted: '●',
  approved_for_export: '✓',
  market_specific_variant: '◇',
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/**
 * The comparison as static HTML for stored article bodies: every value escaped, classes only (the
 * CSP forbids inline styles), no scripts. Mirrors the compare page's markup.
 */
export function renderComparisonHtml(comparison: ChipComparison, caption: string): string {
  const head = comparison.chips
    .map((c) => `<th scope="col" class="num"><a href="/chips/${encodeURIComponent(c.slug)}">${escapeHtml(c.name)}</a></th>`)
    .join('')
  const body = comparison.rows
    .map((row) => {
      const cells = row.cells
        .map((cell) => {
          const classes = [row.numeric ? 'num' : '', cell.best ? 'compare-best' : ''].filter(Boolean).join(' ')
          const classAttr = classes ? ` class="${classes}"` : ''
          let content = escapeHtml(cell.text)
          if (cell.status) {
            content = `<span class="${statusClass(cell.status)}"><span aria-hidden="true">${statusSymbols[cell.status]} </span>${content}</span>`
          }
          if (cell.best) {
            content = `<strong>${content}</strong>${bestMarkHtml}`
          }
          return `<td${classAttr}>${content}</td>`
        })
        .join('')
      return `<tr><th scope="row">${escapeHtml(row.label)}</th>${cells}</tr>`
    })
    .join('')
  return (
    `<div class="table-scroll compare" role="region" aria-label="${escapeHtml(caption)}" tabindex="0">` +
    `<table class="data-table data-table--compare">` +
    `<caption>${escapeHtml(caption)} <span class="compare-note">${escapeHtml(COMPARE_CAPTION_NOTE)}</span></caption>` +
    `<thead><tr><th scope="col">Figure</th>${head}</tr></thead>` +
    `<tbody>${body}</tbody>` +
    `</table></div>`
  )
}
