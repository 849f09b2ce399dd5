import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { logout } from '#app/auth.server.ts'

// Logging out changes state, so only a POST (from this site: see server.ts) does it.
export function loader() {
  return redirect('/')
}

export function action({ request }: ActionFunctionArgs) {
  return logout(request)
}
