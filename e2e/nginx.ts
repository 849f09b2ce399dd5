import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Debian's nginx, started without the system service: its own configuration, pid file, logs and
// temporary directories in a directory of its own, listening on loopback only. The e2e spec of the
// micro-cache and the bench put it in front of an app instance with the directives of
// deploy/nginx.conf itself (see `localSiteConfig`), so what they test is what an operator deploys.

export const NGINX_BINARY = '/usr/sbin/nginx'
export const DEPLOY_CONFIG = fileURLToPath(new URL('../deploy/nginx.conf', import.meta.url))

export function nginxInstalled() {
  try {
    fs.accessSync(NGINX_BINARY, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** A port nobody listens on at the moment, on loopback (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

type Block = { start: number; open: number; end: number }

/**
 * The blocks at the top level of an nginx configuration: where each begins (the first character of
 * its directive), where its `{` is, and just after its `}`. Braces in comments and quoted strings do
 * not count.
 */
function topLevelBlocks(text: string): Block[] {
  const blocks: Block[] = []
  let depth = 0
  let statementStart = 0
  let open = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++
      if (depth === 0) statementStart = i + 1
      continue
    }
    if (c === "'" || c === '"') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++
      continue
    }
    if (depth === 0 && /\s/.test(c) && statementStart === i) statementStart = i + 1
    if (c === '{') {
      if (depth === 0) open = i
      depth++
    } else if (c === '}') {
      depth--
      if (depth < 0) throw new Error('deploy/nginx.conf: a } without its {')
      if (depth === 0) {
        blocks.push({ start: statementStart, open, end: i + 1 })
        statementStart = i + 1
      }
    } else if (c === ';' && depth === 0) {
      statementStart = i + 1
    }
  }
  if (depth !== 0) throw new Error('deploy/nginx.conf: a { without its }')
  return blocks
}

const directiveLine = (name: string) => new RegExp(`^[ \\t]*${name}\\b[^;{}]*;[ \\t]*\\n`, 'gm')

/**
 * deploy/nginx.conf, made to run on this machine: the upstream's servers become `upstream` alone,
 * the cache lives in `cacheDir`, the site listens on `listen` over plain HTTP (the port-80 redirect
 * and the TLS lines go), and every other line stays as written, the cache directives included.
 * Throws when the file no longer has the shape this relies on, rather than test something else.
 */
export function localSiteConfig(text: string, { upstream, listen, cacheDir }: { upstream: string; listen: string; cacheDir: string }) {
  const parts: string[] = []
  let last = 0
  let upstreams = 0
  let sites = 0
  for (const block of topLevelBlocks(text)) {
    const head = text.slice(block.start, block.open).trim()
    let body = text.slice(block.open, block.end)
    if (/^upstream\s+threadline$/.test(head)) {
      upstreams++
      // Every `server` line of the upstream goes; one pointing at the local instance takes the first one's place.
      let replaced = false
      body = body.replace(directiveLine('server'), (line) => {
        if (replaced) return ''
        replaced = true
        return `${/^[ \t]*/.exec(line)![0]}server ${upstream};\n`
      })
      if (!replaced) throw new Error('deploy/nginx.conf: the upstream has no server line')
    } else if (head === 'server') {
      if (/^\s*return\s+301\b/m.test(body)) {
        // The redirect from port 80 to HTTPS: there is no HTTPS here.
        parts.push(text.slice(last, block.start))
        last = block.end
        continue
      }
      sites++
      const indent = /\n([ \t]+)\S/.exec(body)?.[1] ?? '  '
      body = body.replace(directiveLine('listen'), '').replace(directiveLine('ssl_[a-z_]+'), '').replace(directiveLine('server_name'), '')
      body = `{\n${indent}listen ${listen};${body.slice(1)}`
    }
    parts.push(text.slice(last, block.open), body)
    last = block.end
  }
  parts.push(text.slice(last))
  if (upstreams !== 1 || sites !== 1) {
    throw new Error(`deploy/nginx.conf: expected one "upstream threadline" and one site server block, found ${upstreams} and ${sites}`)
  }
  const paths = /^([ \t]*proxy_cache_path[ \t]+)(\S+)/m
  if (!paths.test(text)) throw new Error('deploy/nginx.conf: no proxy_cache_path')
  return parts.join('').replace(paths, (_, directive: string) => `${directive}${cacheDir}`)
}

export type LocalNginx = {
  dir: string
  pid: number
  /** The master and its workers, for memory readings. */
  pids(): number[]
  stop(): Promise<void>
}

/**
 * Starts nginx with `http` as the body of its http { } block, in a new directory under `parent`
 * (the system's temporary directory by default), and waits until `readyUrl` answers. Run as root,
 * nginx's workers drop to nobody, so the directory is left readable to them.
 */
export async function startNginx({
  http,
  readyUrl,
  parent = os.tmpdir(),
  workers = 1,
}: {
  http: string | ((dir: string) => string)
  readyUrl: string
  parent?: string
  workers?: number
}): Promise<LocalNginx> {
  fs.mkdirSync(parent, { recursive: true })
  const dir = fs.mkdtempSync(path.join(parent, 'nginx-'))
  fs.chmodSync(dir, 0o755)
  const asRoot = process.getuid?.() === 0
  const temp = (name: string) => path.join(dir, 'temp', name)
  const config = [
    `worker_processes ${workers};`,
    'daemon off;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    ...(asRoot ? ['user nobody nogroup;'] : []),
    'events {',
    '  worker_connections 4096;',
    '}',
    'http {',
    // As in Debian's stock nginx.conf, which deploy/nginx.conf is meant to be included from.
    '  sendfile on;',
    '  tcp_nopush on;',
    '  access_log off;',
    `  client_body_temp_path ${temp('body')};`,
    `  proxy_temp_path ${temp('proxy')};`,
    `  fastcgi_temp_path ${temp('fastcgi')};`,
    `  uwsgi_temp_path ${temp('uwsgi')};`,
    `  scgi_temp_path ${temp('scgi')};`,
    typeof http === 'function' ? http(dir) : http,
    '}',
    '',
  ].join('\n')
  const configFile = path.join(dir, 'nginx.conf')
  fs.writeFileSync(configFile, config)
  fs.mkdirSync(path.join(dir, 'temp'), { recursive: true })
  fs.chmodSync(path.join(dir, 'temp'), 0o755)

  const output: string[] = []
  // -e: the log for what nginx says before it has read the configuration (1.19.5+).
  const child: ChildProcess = spawn(NGINX_BINARY, ['-p', dir, '-c', configFile, '-e', path.join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const log = () => [output.join(''), fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''].join('')

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  const deadline = Date.now() + 20_000
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}):\n${log()}`)
    const ready = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) }).then(
      async (r) => (await r.arrayBuffer(), r.ok),
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`nginx did not answer ${readyUrl} within 20 s:\n${log()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const pid = child.pid!
  return {
    dir,
    pid,
    pids: () => [pid, ...childrenOf(pid)],
    stop,
  }
}

function childrenOf(pid: number): number[] {
  const found: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The parent's pid is the fourth field, after the command name in parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry))
    } catch {
      // Gone meanwhile.
    }
  }
  return found
}
