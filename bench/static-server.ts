import fs from 'node:fs'
import http from 'node:http'
import { parseArgs } from 'node:util'

// "The static limit": the saved article page served from memory by bare node:http, in a process of
// its own like the app. Nothing can serve that page faster on this machine with this client, so the
// app's figures are read as a fraction of it.
//   node --import tsx bench/static-server.ts --file bench/.out/article-200.html --port 3211

const { values } = parseArgs({
  options: { file: { type: 'string' }, port: { type: 'string', default: '3211' }, host: { type: 'string', default: '127.0.0.1' } },
})
if (!values.file) {
  console.error('usage: bench/static-server.ts --file PAGE.html [--port P] [--host H]')
  process.exit(1)
}

const body = fs.readFileSync(values.file)
const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length) }

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end()
    return
  }
  res.writeHead(200, headers)
  res.end(req.method === 'HEAD' ? undefined : body)
})

server.listen(Number(values.port), values.host, () => {
  console.log(`static: ${body.length} bytes on http://${values.host}:${values.port}`)
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  })
}
