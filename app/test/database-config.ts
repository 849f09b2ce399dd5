export type TestDatabaseConfig = { kind: 'postgres'; url: string; template: string; prefix: string } | { kind: 'pglite'; dumpPath: string }

export function databaseUrlWithName(url: string, name: string) {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}
