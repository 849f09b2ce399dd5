import net from 'node:net'

// A TCP proxy to put between an app instance and its PostgreSQL server, so a test can take the
// database away and give it back without touching the server itself. Cutting destroys every open
// connection and closes the listening socket (new connections are refused at once, as when the
// server is down); restoring listens again on the same port. A delay holds back the server's
// answers, to make any request slow.

export type TcpProxy = {
  port: number
  /** Connections open now, from the app to the proxy. */
  readonly connections: number
  cut(): Promise<void>
  restore(): Promise<void>
  /** Milliseconds each chunk from the server waits before it is passed on. */
  setDelay(ms: number): void
  close(): Promise<void>
}

export async function startTcpProxy({ target, port = 0 }: { target: { host: string; port: number }; port?: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  const clients = new Set<net.Socket>()
  let delay = 0

  const server = net.createServer((client) => {
    const upstream = net.connect(target)
    sockets.add(client)
    sockets.add(upstream)
    clients.add(client)
    const close = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
      clients.delete(client)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
    client.pipe(upstream)
    upstream.on('data', (chunk: Buffer) => {
      if (delay === 0) client.write(chunk)
      else {
        // Pause so chunks keep their order while they wait.
        upstream.pause()
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk)
          upstream.resume()
        }, delay)
      }
    })
  })

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        port = (server.address() as net.AddressInfo).port
        resolve()
      })
    })
  await listen()

  return {
    get port() {
      return port
    },
    get connections() {
      return clients.size
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      sockets.clear()
      clients.clear()
      await closed
    },
    async restore() {
      if (!server.listening) await listen()
    },
    setDelay(ms) {
      delay = ms
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
