import * as htmlparser2 from 'htmlparser2'

// What a reader sees of stored HTML, and what they should see of a comment typed as plain text.
// Shared by the renderer's tests and the hostile-input test, which checks the stored rows.

/** The text a browser shows for `html`: tags gone, character references decoded once. */
export function shownText(html: string): string {
  return htmlparser2.DomUtils.textContent(htmlparser2.parseDocument(html, { decodeEntities: true }).children)
}

/**
 * Can no construct of the comment profile's Markdown start anywhere in `text`? Then it is plain
 * text, and must be shown as typed. (Conservative: it refuses some text Markdown would leave alone.)
 */
export function isPlainText(text: string): boolean {
  // Backslash escapes, code, emphasis, links; a fence of tildes.
  if (/[\\`*_[\]~]/.test(text)) return false
  // Autolinks: <scheme:...> and <address@host>.
  if (/<[^\s<>]*[:@][^\s<>]*>/.test(text)) return false
  // Quotes, list items, indented code.
  return !/^ {0,3}(?:>|[+*-](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))|^ {0,3}\t|^ {4}/m.test(text)
}

/**
 * What a reader must see of plain text: every line as typed, less the spaces and tabs at its ends
 * (Markdown's layout, like the blank lines between paragraphs).
 */
export function plainTextShown(text: string): string {
  return text
    .split(/\r\n?|\n/)
    .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter((line) => line !== '')
    .join('\n')
}
