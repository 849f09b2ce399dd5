// The request target (the path and query of the request line), checked once before any route sees
// it. Routes decode their parameters, Remix decodes the path, URLSearchParams decodes the query:
// each of them either throws on a broken escape (a 500) or quietly turns it into U+FFFD (a different
// address than the one asked for). A target that cannot be read as UTF-8 text is refused here, with
// a plain answer that says what was wrong.

/** Far longer than any path the site's own links make (slugs are at most 200 characters). */
export const MAX_PATH_LENGTH = 2048

export type TargetProblem = { status: 400 | 414; message: string }

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The bytes `part` stands for, with its %-escapes decoded; null when an escape is broken. Node reads
 * the request line as Latin-1, so a raw byte above 0x7F arrives as one character of that code.
 */
function bytesOf(part: string): Uint8Array | null {
  const bytes: number[] = []
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i)
    if (code === 0x25 /* % */) {
      const hex = part.slice(i + 1, i + 3)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null
      bytes.push(parseInt(hex, 16))
      i += 2
    } else if (code > 0xff) {
      // Not from a request line (Node gives Latin-1); encode it as the UTF-8 it would have been.
      bytes.push(...new TextEncoder().encode(part[i]))
    } else bytes.push(code)
  }
  return Uint8Array.from(bytes)
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    fatalUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

/** What is wrong with a request target (as in `req.originalUrl`), or null when it can be read. */
export function requestTargetProblem(target: string): TargetProblem | null {
  const queryAt = target.indexOf('?')
  const path = queryAt === -1 ? target : target.slice(0, queryAt)
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1)
  if (path.length > MAX_PATH_LENGTH) {
    return {
      status: 414,
      message: `This address is too long: its path has ${path.length.toLocaleString('en-GB')} characters, and we read at most ${MAX_PATH_LENGTH.toLocaleString('en-GB')}.`,
    }
  }
  for (const [part, name] of [
    [path, 'path'],
    [query, 'query string'],
  ] as const) {
    const bytes = bytesOf(part)
    if (!bytes) {
      return {
        status: 400,
        message: `This address cannot be read: its ${name} has a broken %-escape (a % must be followed by two hexadecimal digits).`,
      }
    }
    if (!isUtf8(bytes)) {
      return { status: 400, message: `This address cannot be read: its ${name} is not valid UTF-8 text once its %-escapes are decoded.` }
    }
    if (name === 'path' && bytes.includes(0)) {
      return { status: 400, message: 'This address cannot be read: its path holds a null character (%00).' }
    }
  }
  return null
}
