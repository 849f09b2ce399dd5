import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { login } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Field, FormErrorSummary, SubmitButton, firstInvalid, useFormValidation, useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm } from '#app/lib/forms.server.ts'
import { checkResetToken, resetPassword } from '#app/models/password-resets.server.ts'
import { PASSWORD_RULES, ResetPasswordSchema } from '#app/schemas/auth.ts'

function tokenOf(params: { token?: string }) {
  const token = params.token ?? ''
  return token.length > 0 && token.length <= 100 ? token : null
}

export async function loader({ params }: LoaderFunctionArgs) {
  const token = tokenOf(params)
  const check = token === null ? ({ valid: false, reason: null } as const) : await checkResetToken({ token })
  return data(
    { valid: check.valid, reason: check.valid ? null : check.reason },
    { status: check.valid ? 200 : 400, headers: { 'Referrer-Policy': 'same-origin' } },
  )
}

// The token is in the address: no request from this page to another site may carry it as a
// referrer. (Not "no-referrer": a browser then sends the page's own form with "Origin: null", which
// the cross-site check must refuse.)
export const headers: HeadersFunction = () => ({ 'Referrer-Policy': 'same-origin' })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const parsed = parseForm(formData, ResetPasswordSchema)
  if (!parsed.ok) {
    context.formInvalid = true
    return parsed.response
  }
  try {
    const { userId } = await resetPassword({ token: tokenOf(params) ?? '', password: parsed.data.password })
    // Every other session ended with the reset; this one starts fresh.
    return await login(request, userId, '/account?saved=password-reset', context.clientIp)
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction = () => [{ title: 'Choose a new password — Threadline' }]

export default function ResetPasswordPage() {
  const { valid, reason } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: 'reset-form', schema: ResetPasswordSchema, result: failure })
  const focus = firstInvalid(errors, ['password', 'confirm'])
  if (!valid) {
    return (
      <section className="auth-card" aria-labelledby="reset-title">
        <h1 id="reset-title">This link no longer works</h1>
        <p>{reason ?? 'Reset links work once, and only for a limited time. This one has expired or has been used.'}</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>.
        </p>
      </section>
    )
  }
  return (
    <section className="auth-card" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <p className="muted">Saving it logs you out everywhere else.</p>
      <Form key={submissionKey} {...form} method="post" className="stack" noValidate>
        <FormErrorSummary errors={errors?.form} id="reset-errors" />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_RULES}
          errors={errors?.fields?.password}
          autoFocusOnError={focus === 'password'}
        />
        <Field
          label="Repeat the new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          errors={errors?.fields?.confirm}
          autoFocusOnError={focus === 'confirm'}
        />
        <SubmitButton pendingText="Saving…">Save new password</SubmitButton>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
