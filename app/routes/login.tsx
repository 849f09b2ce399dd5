import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { login, requireAnonymous } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Field, FormErrorSummary, SubmitButton, firstInvalid, useFormValidation, useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm, retryAfterHeaders } from '#app/lib/forms.server.ts'
import { parseSearchParams } from '#app/lib/http.server.ts'
import { verifyLogin } from '#app/models/users.server.ts'
import { LoginSchema, RedirectToQuerySchema } from '#app/schemas/auth.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { redirectTo } = parseSearchParams(request, RedirectToQuerySchema)
  await requireAnonymous(request, redirectTo)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const parsed = parseForm(formData, LoginSchema)
  if (!parsed.ok) {
    context.formInvalid = true
    return parsed.response
  }
  try {
    const user = await verifyLogin({ login: parsed.data.login, password: parsed.data.password, ip: context.clientIp })
    return await login(request, user.id, parsed.data.redirectTo, context.clientIp)
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const headers = retryAfterHeaders

export const meta: MetaFunction = () => [{ title: 'Log in — Threadline' }]

export default function LoginPage() {
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: 'login-form', schema: LoginSchema, result: failure })
  const [searchParams] = useSearchParams()
  const redirectTo = failure?.values.redirectTo ?? searchParams.get('redirectTo') ?? ''
  const focus = firstInvalid(errors, ['login', 'password'])
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''
  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <p className="muted">Welcome back. Log in to join the discussion.</p>
      <Form key={submissionKey} {...form} method="post" className="stack" noValidate aria-describedby={errors?.form ? 'login-errors' : undefined}>
        <FormErrorSummary errors={errors?.form} id="login-errors" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="Email or username"
          name="login"
          type="text"
          autoComplete="username"
          required
          defaultValue={failure?.values.login}
          errors={errors?.fields?.login}
          autoFocusOnError={focus === 'login'}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errors?.fields?.password}
          autoFocusOnError={focus === 'password'}
        />
        <SubmitButton pendingText="Logging in…">Log in</SubmitButton>
      </Form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to={`/signup${query}`}>Create an account</Link>.
      </p>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
