import crypto from 'node:crypto'

// Executable inline scripts: a <script> with no src, of no type or a JavaScript one (JSON-LD and
// other data blocks never run, so need no permit).
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi
const RUNS = /^(?:|module|text\/javascript|application\/javascript)$/i

/** The sha256 sources ('sha256-…') of every inline script in a document, each once, in order. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const [, attributes, text] of html.matchAll(INLINE_SCRIPT)) {
    if (/\ssrc\s*=/i.test(attributes!)) continue
    const type = /\stype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes!)?.[1] ?? ''
    if (!RUNS.test(type)) continue
    hashes.add(`sha256-${crypto.createHash('sha256').update(text!, 'utf8').digest('base64')}`)
  }
  return [...hashes]
}
