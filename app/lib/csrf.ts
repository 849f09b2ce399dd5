const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Whether a request may change state: safe methods always may; anything else only when its Origin
 * (or, when a browser sends none, its Referer) is this site. A request with neither is refused:
 * every browser sends one of them on a form post.
 */
export function isAllowedOrigin({
  method,
  origin,
  referer,
  siteOrigins,
}: {
  method: string
  origin: string | null | undefined
  referer: string | null | undefined
  siteOrigins: string[]
}): boolean {
  if (safeMethods.has(method.toUpperCase())) return true
  let claimed = origin && origin !== 'null' ? origin : null
  if (!claimed && referer) {
    try {
      claimed = new URL(referer).origin
    } catch {
      return false
    }
  }
  return claimed !== null && siteOrigins.includes(claimed.toLowerCase())
}
