import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { requireAnonymous } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Field, FormErrorSummary, SubmitButton, firstInvalid, useFormValidation, useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm, retryAfterHeaders } from '#app/lib/forms.server.ts'
import { parseSearchParams } from '#app/lib/http.server.ts'
import { requestSignUp } from '#app/models/signups.server.ts'
import { PASSWORD_RULES, RedirectToQuerySchema, SIGNUP_LINK_HOURS, SignupSchema, USERNAME_RULES } from '#app/schemas/auth.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { redirectTo } = parseSearchParams(request, RedirectToQuerySchema)
  await requireAnonymous(request, redirectTo)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const parsed = parseForm(formData, SignupSchema)
  if (!parsed.ok) {
    context.formInvalid = true
    return parsed.response
  }
  try {
    const { email, username, password, redirectTo } = parsed.data
    await requestSignUp({ email, username, password, redirectTo, ip: context.clientIp })
    // The same answer whether or not the address has an account: what happens next is in the mail.
    return { sentTo: email }
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const headers = retryAfterHeaders

export const meta: MetaFunction = () => [{ title: 'Create an account — Threadline' }]

export default function SignupPage() {
  const answer = useActionData<typeof action>()
  const failure = answer && 'errors' in answer ? answer : undefined
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: 'signup-form', schema: SignupSchema, result: failure })
  const [searchParams] = useSearchParams()
  const redirectTo = failure?.values.redirectTo ?? searchParams.get('redirectTo') ?? ''
  const focus = firstInvalid(errors, ['email', 'username', 'password'])
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''
  if (answer && 'sentTo' in answer) {
    return (
      <section className="auth-card" aria-labelledby="signup-title">
        <h1 id="signup-title">Check your inbox</h1>
        <p role="status">
          We sent a link to <strong>{answer.sentTo}</strong>. Follow it within {SIGNUP_LINK_HOURS} hours to finish creating your account.
        </p>
        <p className="muted">
          Nothing there after a few minutes? Look in your spam folder, or <Link to="/signup">try again</Link> with the address spelt differently.
        </p>
      </section>
    )
  }
  return (
    <section className="auth-card" aria-labelledby="signup-title">
      <h1 id="signup-title">Create an account</h1>
      <p className="muted">Members comment, reply and vote. We never show your email to anyone.</p>
      <Form key={submissionKey} {...form} method="post" className="stack" noValidate>
        <FormErrorSummary errors={errors?.form} id="signup-errors" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={failure?.values.email}
          errors={errors?.fields?.email}
          autoFocusOnError={focus === 'email'}
        />
        <Field
          label="Username"
          name="username"
          type="text"
          autoComplete="username"
          required
          hint={USERNAME_RULES}
          defaultValue={failure?.values.username}
          errors={errors?.fields?.username}
          autoFocusOnError={focus === 'username'}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_RULES}
          errors={errors?.fields?.password}
          autoFocusOnError={focus === 'password'}
        />
        <SubmitButton pendingText="Creating your account…">Create account</SubmitButton>
      </Form>
      <p>
        Already a member? <Link to={`/login${query}`}>Log in</Link>.
      </p>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
