import type { ExportStatus } from '#db/enums.ts'

// Pure formatting shared by server and client. Dates are formatted in UTC with a fixed locale so the
// server's HTML and the browser's hydration agree.

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 })

export const NOT_AVAILABLE = 'n/a'

export function formatDate(value: Date | string): string {
  return dateFormat.format(typeof value === 'string' ? new Date(value) : value)
}

export function isoDate(value: Date | string): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString()
}

export function formatNumber(value: number): string {
  // Small whole numbers (scores, counts: hundreds per page) need no grouping; Intl is slow for them.
  return Number.isInteger(value) && Math.abs(value) < 1000 ? String(value) : numberFormat.format(value)
}

/** A figure with its unit, or "n/a" when the figure is unknown. */
export function formatFigure(value: number | null | undefined, unit: string): string {
  return value === null || value === undefined ? NOT_AVAILABLE : `${formatNumber(value)} ${unit}`
}

/** Bandwidth stored in GB/s, shown in TB/s from 1,000 GB/s up. */
export function formatBandwidth(gbs: number | null | undefined): string {
  if (gbs === null || gbs === undefined) return NOT_AVAILABLE
  return gbs >= 1000 ? `${formatNumber(gbs / 1000)} TB/s` : `${formatNumber(gbs)} GB/s`
}

export function formatMemory(gb: number | null | undefined, type: string | null | undefined): string {
  if (gb === null || gb === undefined) return type ?? NOT_AVAILABLE
  return type ? `${formatNumber(gb)} GB ${type}` : `${formatNumber(gb)} GB`
}

export function formatText(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? NOT_AVAILABLE : value
}

export const exportStatusLabels: Record<ExportStatus, string> = {
  unrestricted: 'Unrestricted',
  licence_required: 'Licence required',
  restricted: 'Restricted',
  approved_for_export: 'Approved for export',
  market_specific_variant: 'Market-specific variant',
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`
}
