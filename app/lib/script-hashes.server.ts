import crypto from 'node:crypto'

// Executable inline scripts: a <script> with no src, of no type or a JavaScript one (JSON-LD and
// other data blocks never run, so need no permit).
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi
const RUNS = /^(?:|module|text\/javascript|application\/javascript)$/i

/**
 * The sha256 sources ('sha256-…') of the inline scripts the render itself wrote, each once, in order:
 * those carrying `nonce`, a secret of this render that markup stored beforehand (a comment that
 * slipped a script past the sanitiser) cannot know. Only they may run; the caller then removes the
 * nonce from the page (stripNonce), since no response ever offers it.
 */
export function inlineScriptHashes(html: string, nonce: string): string[] {
  const hashes = new Set<string>()
  const marked = ` nonce="${nonce}"`
  for (const [, attributes, text] of html.matchAll(INLINE_SCRIPT)) {
    if (!nonce || !attributes!.includes(marked) || /\ssrc\s*=/i.test(attributes!)) continue
    const type = /\stype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes!)?.[1] ?? ''
    if (!RUNS.test(type)) continue
    hashes.add(`sha256-${crypto.createHash('sha256').update(text!, 'utf8').digest('base64')}`)
  }
  return [...hashes]
}

/** The page without the render's nonce attributes: its scripts run by their hashes. */
export function stripNonce(html: string, nonce: string) {
  return html.replaceAll(` nonce="${nonce}"`, '')
}
