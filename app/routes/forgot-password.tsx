import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Field, FormErrorSummary, SubmitButton, useFormValidation, useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm, retryAfterHeaders } from '#app/lib/forms.server.ts'
import { parseSearchParams } from '#app/lib/http.server.ts'
import { requestPasswordReset } from '#app/models/password-resets.server.ts'
import { ForgotPasswordQuerySchema, ForgotPasswordSchema } from '#app/schemas/auth.ts'

export function loader({ request }: LoaderFunctionArgs) {
  return { sent: parseSearchParams(request, ForgotPasswordQuerySchema).sent === '1' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const parsed = parseForm(formData, ForgotPasswordSchema)
  if (!parsed.ok) {
    context.formInvalid = true
    return parsed.response
  }
  try {
    await requestPasswordReset({ email: parsed.data.email, ip: context.clientIp })
  } catch (error) {
    return domainFailure(error, formData)
  }
  // The same answer whether or not the address has an account.
  return redirect('/forgot-password?sent=1')
}

export const headers = retryAfterHeaders

export const meta: MetaFunction = () => [{ title: 'Reset your password — Threadline' }]

export default function ForgotPasswordPage() {
  const { sent } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: 'forgot-form', schema: ForgotPasswordSchema, result: failure })
  return (
    <section className="auth-card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      {sent ? (
        <div className="notice" role="status">
          <p>If an account uses that address, we have sent it a link to choose a new password. The link works once, for an hour.</p>
          <p className="muted">On a local install without a mail server, the link is in the server log.</p>
        </div>
      ) : (
        <p className="muted">Enter the email address of your account and we will send you a link.</p>
      )}
      <Form key={submissionKey} {...form} method="post" className="stack" noValidate>
        <FormErrorSummary errors={errors?.form} id="forgot-errors" />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={failure?.values.email}
          errors={errors?.fields?.email}
          autoFocusOnError
        />
        <SubmitButton pendingText="Sending…">{sent ? 'Send another link' : 'Send reset link'}</SubmitButton>
      </Form>
      <p>
        Remembered it? <Link to="/login">Log in</Link>.
      </p>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
