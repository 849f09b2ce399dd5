const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
// A discussion page asks for hundreds of these, nearly all alike ("3 hours ago"): each distinct
// phrase is formatted once.
const phrases = new Map<string, string>()

function phrase(n: number, unit: Intl.RelativeTimeFormatUnit) {
  const key = `${n}${unit}`
  let text = phrases.get(key)
  if (text === undefined) {
    text = format.format(n, unit)
    if (phrases.size < 1_000) phrases.set(key, text)
  }
  return text
}

/**
 * "3 hours ago", measured from `now`. The server passes its own `now` with the page so the browser's
 * hydration renders the same words.
 */
export function relativeTime(value: Date | string, now: Date | string): string {
  const seconds = (new Date(value).getTime() - new Date(now).getTime()) / 1000
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return phrase(Math.trunc(seconds / size), unit)
  }
  return 'just now'
}

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const twoDigits = (n: number) => String(n).padStart(2, '0')

/**
 * "29 November 2026 at 07:50 UTC", for the hover title. Written out rather than asked of Intl: a
 * page carries one per comment, Intl costs microseconds each, and the server's and the browser's
 * locale data could word it differently, which would break hydration.
 */
export function exactTime(value: Date | string): string {
  const d = new Date(value)
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())} UTC`
}
