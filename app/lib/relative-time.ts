const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/**
 * "3 hours ago", measured from `now`. The server passes its own `now` with the page so the browser's
 * hydration renders the same words.
 */
export function relativeTime(value: Date | string, now: Date | string): string {
  const seconds = (new Date(value).getTime() - new Date(now).getTime()) / 1000
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit)
  }
  return 'just now'
}

const exact = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
})

/** "29 November 2026 at 07:50 UTC", for the hover title. */
export function exactTime(value: Date | string): string {
  return `${exact.format(new Date(value))} UTC`
}
