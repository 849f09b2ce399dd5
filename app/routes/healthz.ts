import { database } from '#app/db.server.ts'
import { pingDatabase } from '#db/connection.server.ts'

// For load balancers and the container's HEALTHCHECK: 200 when the database answers, 503 when not.
export async function loader() {
  const ok = await pingDatabase(database)
  return new Response(ok ? 'ok\n' : 'database unavailable\n', {
    status: ok ? 200 : 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

// Only read: any other method is told so (405).
export { readOnlyAction as action } from '#app/lib/http.server.ts'
