/**
 * `record[key]` for a key that came from a request, own properties only: `?saved=__proto__` or
 * `constructor` must find nothing, not the prototype's object (React refuses to render one: a 500).
 */
export function own<T>(record: Record<string, T>, key: string | null | undefined): T | undefined {
  return key != null && Object.hasOwn(record, key) ? record[key] : undefined
}
