import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'

// Back-ups of either database, in the format its own tools read back: pg_dump's custom format
// (`pg_dump -Fc`, restored with pg_restore) for the server, and a gzipped tarball of the data
// directory (PGlite's dumpDataDir, restored with its loadDataDir option) for the embedded database.
// A back-up file says which it is by its first bytes, so a restore cannot mix them up.

export type BackupKind = 'server' | 'embedded'

/** Raised for anything an operator can fix; the scripts print it as one line. */
export class BackupError extends Error {
  override name = 'BackupError'
}

/** pg_dump's custom format starts with "PGDMP"; gzip with 1f 8b. */
export function backupKindOf(file: string): BackupKind {
  if (!fs.existsSync(file)) throw new BackupError(`there is no file ${file}`)
  const head = Buffer.alloc(5)
  const fd = fs.openSync(file, 'r')
  try {
    fs.readSync(fd, head, 0, 5, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (head.toString('latin1') === 'PGDMP') return 'server'
  if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded'
  throw new BackupError(`${file} is not a Threadline back-up (neither a pg_dump custom-format file nor an embedded data directory)`)
}

/** libpq's environment for a URL: the password never appears on a command line (or in `ps`). */
function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: decodeURIComponent(u.hostname),
    PGPORT: u.port || '5432',
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
  }
  if (u.username) env.PGUSER = decodeURIComponent(u.username)
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password)
  const sslmode = u.searchParams.get('sslmode')
  if (sslmode) env.PGSSLMODE = sslmode
  return env
}

export function describeServer(url: string) {
  const u = new URL(url)
  return `${u.hostname}:${u.port || 5432}${u.pathname}`
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === 'ENOENT' ? `${command} is not installed (install the PostgreSQL client tools, e.g. Debian's postgresql-client)` : error.message,
        ),
      ),
    )
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new BackupError(`${command} failed (exit ${code}):\n${output.trim()}`))))
  })
}

/** The client tools must be at least as new as the server: older ones refuse, or write what the server cannot read. */
async function checkToolVersion(tool: 'pg_dump' | 'pg_restore', sql: postgres.Sql) {
  const version = await runTool(tool, ['--version'], process.env)
  const toolMajor = Number(version.match(/(\d+)(?:\.\d+)?/)?.[1])
  const [row] = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`
  const serverMajor = Math.floor(Number(row!.v) / 10_000)
  if (!(toolMajor >= serverMajor)) {
    throw new BackupError(
      `${tool} ${toolMajor} is older than the server (PostgreSQL ${serverMajor}); install the client tools for ${serverMajor} or newer`,
    )
  }
  return { toolMajor, serverMajor }
}

function adminConnection(url: string) {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 })
}

/** What a database holds, for the scripts to say what they did. */
export type Contents = { tables: number; articles: number; comments: number; users: number }

async function serverContents(sql: postgres.Sql): Promise<Contents> {
  const [tables] = await sql<{ n: number }[]>`
    select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`
  const count = async (table: string) => {
    const [exists] = await sql<{ r: string | null }[]>`select to_regclass(${`public.${table}`})::text as r`
    if (!exists?.r) return 0
    const [row] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from public."${table}"`)
    return row?.n ?? 0
  }
  return { tables: tables?.n ?? 0, articles: await count('articles'), comments: await count('comments'), users: await count('users') }
}

async function pgliteContents(client: PGlite): Promise<Contents> {
  const one = async (query: string) => (await client.query<{ n: number }>(query)).rows[0]?.n ?? 0
  return {
    tables: await one(`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`),
    articles: await one('select count(*)::int as n from articles'),
    comments: await one('select count(*)::int as n from comments'),
    users: await one('select count(*)::int as n from users'),
  }
}

export function describeContents(c: Contents) {
  return `${c.articles} articles, ${c.comments} comments, ${c.users} accounts`
}

// ---------------------------------------------------------------------------------------------
// The server

export async function backupServer(url: string, file: string) {
  const sql = adminConnection(url)
  try {
    const versions = await checkToolVersion('pg_dump', sql)
    const contents = await serverContents(sql)
    // A consistent snapshot of a live database: the site can keep serving while it runs.
    await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`], libpqEnv(url))
    return { contents, versions }
  } finally {
    await sql.end({ timeout: 5 })
  }
}

export async function restoreServer(url: string, file: string, { force }: { force: boolean }) {
  const sql = adminConnection(url)
  try {
    const versions = await checkToolVersion('pg_restore', sql)
    const before = await serverContents(sql)
    if (before.tables > 0 && !force) {
      throw new BackupError(
        `the database ${describeServer(url)} is not empty (${before.tables} tables: ${describeContents(before)}); ` +
          'restore into a new, empty database, or add --force to replace everything in it',
      )
    }
    if (before.tables > 0) {
      // Everything the app keeps lives in these two schemas; the back-up recreates both.
      await sql.unsafe('drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public')
    }
    await runTool(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${libpqEnv(url).PGDATABASE}`, file],
      libpqEnv(url),
    )
    const after = await serverContents(sql)
    return { replaced: before.tables > 0 ? before : null, contents: after, versions }
  } finally {
    await sql.end({ timeout: 5 })
  }
}

// ---------------------------------------------------------------------------------------------
// The embedded database

function lockHolder(dir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'threadline.pid'), 'utf8').trim())
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
    process.kill(pid, 0)
    return pid
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? -1 : null
  }
}

function assertNotInUse(dir: string) {
  const holder = lockHolder(dir)
  // One process at a time may open an embedded database: the copy must not be taken under a writer.
  if (holder !== null) throw new BackupError(`the embedded database in ${dir} is in use by process ${holder}; stop the app first`)
}

export async function backupEmbedded(dir: string, file: string) {
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw new BackupError(`there is no embedded database in ${dir}`)
  assertNotInUse(dir)
  fs.writeFileSync(path.join(dir, 'threadline.pid'), String(process.pid))
  try {
    const client = new PGlite(dir)
    await client.waitReady
    try {
      const contents = await pgliteContents(client)
      const tarball = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer())
      fs.writeFileSync(file, zlib.gzipSync(tarball))
      return { contents }
    } finally {
      await client.close()
    }
  } finally {
    fs.rmSync(path.join(dir, 'threadline.pid'), { force: true })
  }
}

export async function restoreEmbedded(dir: string, file: string, { force }: { force: boolean }) {
  let setAside: string | null = null
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!force) {
      throw new BackupError(`${dir} is not empty (it holds a database or other files); restore into a new directory, or add --force to replace it`)
    }
    assertNotInUse(dir)
    // Replaced, not deleted: the old directory stays next to the new one until the operator removes it.
    setAside = `${dir.replace(/\/+$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(dir, setAside)
  }
  fs.mkdirSync(dir, { recursive: true })
  const tarball = zlib.gunzipSync(fs.readFileSync(file))
  fs.writeFileSync(path.join(dir, 'threadline.pid'), String(process.pid))
  try {
    const client = new PGlite(dir, { loadDataDir: new Blob([tarball]) })
    await client.waitReady
    try {
      return { setAside, contents: await pgliteContents(client) }
    } finally {
      await client.close()
    }
  } finally {
    fs.rmSync(path.join(dir, 'threadline.pid'), { force: true })
  }
}
