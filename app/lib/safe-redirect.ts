/** A same-site path to return to, or the fallback: never another origin (no open redirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) {
    return fallback
  }
  // Control characters and backslashes can be read as another origin by some clients.
  if (/[\u0000-\u001f\\]/.test(to)) return fallback
  return to
}
