import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { login } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { FormErrorSummary, SubmitButton } from '#app/components/forms.tsx'
import { domainFailure, readForm } from '#app/lib/forms.server.ts'
import { confirmSignUp, getPendingSignUp } from '#app/models/signups.server.ts'

function tokenOf(params: { token?: string }) {
  const token = params.token ?? ''
  return token.length > 0 && token.length <= 100 ? token : null
}

// Following the link only shows a button: mail scanners and link previews open links too, and must
// not use up the sign-up (or sign anyone in). The account is made by the button's POST.
export async function loader({ params }: LoaderFunctionArgs) {
  const token = tokenOf(params)
  const pending = token === null ? null : await getPendingSignUp({ token })
  return data({ pending: pending && { username: pending.username } }, { status: pending ? 200 : 400, headers: { 'Referrer-Policy': 'same-origin' } })
}

// The token is in the address: see reset-password.$token.tsx.
export const headers: HeadersFunction = () => ({ 'Referrer-Policy': 'same-origin' })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  try {
    const { user, redirectTo } = await confirmSignUp({ token: tokenOf(params) ?? '' })
    return await login(request, user.id, redirectTo ?? '/', context.clientIp)
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction = () => [{ title: 'Finish creating your account — Threadline' }]

export default function ConfirmSignupPage() {
  const { pending } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  if (!pending) {
    return (
      <section className="auth-card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">This link no longer works</h1>
        <p>Sign-up links work once, and only for a limited time. This one has expired or has been used.</p>
        <p>
          <Link to="/signup">Sign up again</Link> or <Link to="/login">log in</Link>.
        </p>
      </section>
    )
  }
  return (
    <section className="auth-card" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Finish creating your account</h1>
      <p>
        Your address is confirmed. Create the account <strong>{pending.username}</strong> and log in?
      </p>
      <Form method="post" className="stack">
        <FormErrorSummary errors={failure?.errors.form} id="confirm-errors" />
        <SubmitButton pendingText="Creating your account…">Create my account</SubmitButton>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
