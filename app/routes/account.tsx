import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { logout, requireUser } from '#app/auth.server.ts'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { allErrors, Field, FormErrorSummary, SubmitButton, firstInvalid, useFormValidation, useSubmissionKey } from '#app/components/forms.tsx'
import { formatDate, isoDate } from '#app/lib/format.ts'
import { exactTime, relativeTime } from '#app/lib/relative-time.ts'
import { describeAgent } from '#app/lib/user-agent.ts'
import { dispatchIntent, parseForm, readForm } from '#app/lib/forms.server.ts'
import { changeDisplayName, changePassword, deleteAccount, endSession, getUser, listSessions } from '#app/models/users.server.ts'
import { ChangePasswordSchema, DeleteAccountSchema, DisplayNameFormSchema, EndSessionSchema, PASSWORD_RULES } from '#app/schemas/auth.ts'
import { own } from '#app/lib/own.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireUser(request)
  const [account, sessions] = await Promise.all([getUser({ userId: user.id }), listSessions({ actorId: user.id, currentSessionId: session.id })])
  return { account, sessions, now: new Date() }
}

type Auth = Awaited<ReturnType<typeof requireUser>>

const intents = {
  async 'display-name'(formData: FormData, request: Request, { user }: Auth) {
    const parsed = parseForm(formData, DisplayNameFormSchema)
    if (!parsed.ok) return parsed.response
    await changeDisplayName({ actorId: user.id, displayName: parsed.data.displayName })
    return redirect('/account?saved=display-name')
  },
  async password(formData: FormData, request: Request, { user, session }: Auth) {
    const parsed = parseForm(formData, ChangePasswordSchema)
    if (!parsed.ok) return parsed.response
    await changePassword({
      actorId: user.id,
      currentPassword: parsed.data.currentPassword,
      newPassword: parsed.data.password,
      keepSessionId: session.id,
    })
    return redirect('/account?saved=password')
  },
  async 'end-session'(formData: FormData, request: Request, { user, session }: Auth) {
    const parsed = parseForm(formData, EndSessionSchema)
    if (!parsed.ok) return parsed.response
    const { wasCurrent } = await endSession({ actorId: user.id, publicId: parsed.data.sessionId, currentSessionId: session.id })
    if (wasCurrent) return logout(request)
    return redirect('/account?saved=session-ended#sessions')
  },
  async 'delete-account'(formData: FormData, request: Request, { user }: Auth) {
    const parsed = parseForm(formData, DeleteAccountSchema)
    if (!parsed.ok) return parsed.response
    await deleteAccount({ actorId: user.id, password: parsed.data.password })
    return logout(request, '/?account=deleted')
  },
}

export async function action({ request }: ActionFunctionArgs) {
  const auth = await requireUser(request)
  return dispatchIntent(await readForm(request), intents, request, auth)
}

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: 'Your account — Threadline' }])

const savedMessages: Record<string, string> = {
  'display-name': 'Your display name is saved.',
  password: 'Your password is changed. Every other session has been logged out.',
  'password-reset': 'Your new password is saved and you are logged in. Every other session has been logged out.',
  'session-ended': 'That session has been logged out.',
}

export default function AccountPage() {
  const { account, sessions, now } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const [searchParams] = useSearchParams()
  const saved = own(savedMessages, searchParams.get('saved'))
  const failedIntent = failure?.values.intent
  const resultFor = (intent: string) => (failedIntent === intent ? failure : undefined)
  const nameForm = useFormValidation({ id: 'display-name-form', schema: DisplayNameFormSchema, result: resultFor('display-name') })
  const passwordForm = useFormValidation({ id: 'password-form', schema: ChangePasswordSchema, result: resultFor('password') })
  const deleteForm = useFormValidation({ id: 'delete-account-form', schema: DeleteAccountSchema, result: resultFor('delete-account') })
  const nameErrors = nameForm.errors
  const passwordErrors = passwordForm.errors
  const passwordFocus = firstInvalid(passwordErrors, ['currentPassword', 'password', 'confirm'])
  const deleteErrors = deleteForm.errors

  return (
    <div className="account">
      <header className="page-header">
        <h1>Your account</h1>
        <p className="page-header__lede">
          Signed in as <strong>{account.username}</strong> ({account.email}). Member since{' '}
          <time dateTime={isoDate(account.createdAt)}>{formatDate(account.createdAt)}</time>.
        </p>
      </header>
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
      {failure && !failedIntent ? <FormErrorSummary errors={failure.errors.form} id="account-errors" /> : null}

      <section className="panel" aria-labelledby="name-heading">
        <h2 id="name-heading">Display name</h2>
        <Form key={`name-${submissionKey}`} {...nameForm.form} method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="display-name" />
          <FormErrorSummary errors={nameErrors?.form} id="name-errors" />
          <Field
            label="Display name"
            name="displayName"
            hint="Shown beside your comments. Your username stays the same."
            defaultValue={failedIntent === 'display-name' ? failure?.values.displayName : account.displayName}
            errors={nameErrors?.fields?.displayName}
            autoFocusOnError
            maxLength={50}
          />
          <SubmitButton pendingText="Saving…" name="intent" value="display-name">
            Save display name
          </SubmitButton>
        </Form>
      </section>

      <section className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <p className="muted">Changing it logs you out of every other session.</p>
        <Form key={`password-${submissionKey}`} {...passwordForm.form} method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="password" />
          <FormErrorSummary errors={passwordErrors?.form} id="password-errors" />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            errors={passwordErrors?.fields?.currentPassword}
            autoFocusOnError={passwordFocus === 'currentPassword'}
          />
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            hint={PASSWORD_RULES}
            errors={passwordErrors?.fields?.password}
            autoFocusOnError={passwordFocus === 'password'}
          />
          <Field
            label="Repeat the new password"
            name="confirm"
            type="password"
            autoComplete="new-password"
            errors={passwordErrors?.fields?.confirm}
            autoFocusOnError={passwordFocus === 'confirm'}
          />
          <SubmitButton pendingText="Changing…" name="intent" value="password">
            Change password
          </SubmitButton>
        </Form>
      </section>

      <section className="panel" id="sessions" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are logged in</h2>
        <FormErrorSummary errors={allErrors(resultFor('end-session')?.errors)} id="session-errors" />
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.publicId}>
              <div>
                <strong>{s.userAgent ? describeAgent(s.userAgent) : 'Unknown browser'}</strong>
                {s.current ? <span className="pill">This browser</span> : null}
                <p className="muted">
                  Last active{' '}
                  <time dateTime={isoDate(s.lastSeenAt)} title={exactTime(s.lastSeenAt)}>
                    {relativeTime(s.lastSeenAt, now)}
                  </time>
                  {s.ipArea ? <> from the network {s.ipArea}</> : null}. Logged in <time dateTime={isoDate(s.createdAt)}>{formatDate(s.createdAt)}</time>;
                  expires <time dateTime={isoDate(s.expiresAt)}>{formatDate(s.expiresAt)}</time> unless you come back.
                </p>
              </div>
              <Form method="post">
                <input type="hidden" name="intent" value="end-session" />
                <input type="hidden" name="sessionId" value={s.publicId} />
                <button type="submit" className="button button--secondary">
                  {s.current ? 'Log out here' : 'Log out this session'}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>

      <section className="panel panel--danger" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>
          Your email, names and password are erased and you are logged out everywhere. Your comments stay in their threads so replies still make sense,
          shown as from a deleted user. This cannot be undone.
        </p>
        <Form key={`delete-${submissionKey}`} {...deleteForm.form} method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="delete-account" />
          <FormErrorSummary errors={deleteErrors?.form} id="delete-errors" />
          <Field
            id="delete-password"
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            errors={deleteErrors?.fields?.password}
            autoFocusOnError
          />
          <Field
            id="delete-confirm"
            label="Type “delete” to confirm"
            name="confirm"
            type="text"
            autoComplete="off"
            errors={deleteErrors?.fields?.confirm}
          />
          <SubmitButton pendingText="Deleting…" name="intent" value="delete-account" className="button button--danger">
            Delete my account
          </SubmitButton>
        </Form>
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
