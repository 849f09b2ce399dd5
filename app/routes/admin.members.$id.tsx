import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import {
  allErrors,
  errorsBesides,
  Field,
  FormErrorSummary,
  SelectField,
  useFormValidation,
  useSubmissionKey,
  type FormErrors,
} from '#app/components/forms.tsx'
import { formatDate } from '#app/lib/format.ts'
import { dispatchIntent, parseForm, readForm } from '#app/lib/forms.server.ts'
import { httpError } from '#app/lib/http.server.ts'
import { isAdmin } from '#app/lib/roles.ts'
import { staffRoles, type Actor } from '#app/models/admin.server.ts'
import {
  banMember,
  changeRole,
  getMemberDetail,
  liftRestrictions,
  purgeMemberComments,
  setPremoderation,
  suspendMember,
} from '#app/models/moderation.server.ts'
import {
  BanSchema,
  LiftSchema,
  MemberIdParamSchema,
  PremoderateSchema,
  PurgeSchema,
  REASON_MAX,
  reportReasonLabels,
  RoleSchema,
  SuspendSchema,
} from '#app/schemas/moderation.ts'
import { roles } from '#db/enums.ts'

function memberId(params: { id?: string }) {
  const id = MemberIdParamSchema.safeParse(params.id)
  if (!id.success) httpError(404, 'There is no member at this address.')
  return id.data
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  const detail = await getMemberDetail({ actor: user, userId: memberId(params) })
  if (!detail) httpError(404, 'There is no member at this address.')
  return { ...detail, viewerRole: user.role }
}

// Each returns what was saved (for the notice), or its form's failure.
const intents = {
  async suspend(formData: FormData, actor: Actor, userId: string) {
    const parsed = parseForm(formData, SuspendSchema)
    if (!parsed.ok) return parsed.response
    await suspendMember({ actor, userId, until: parsed.data.until, reason: parsed.data.reason })
    return 'suspended'
  },
  async ban(formData: FormData, actor: Actor, userId: string) {
    const parsed = parseForm(formData, BanSchema)
    if (!parsed.ok) return parsed.response
    await banMember({ actor, userId, reason: parsed.data.reason })
    return 'banned'
  },
  async lift(formData: FormData, actor: Actor, userId: string) {
    const parsed = parseForm(formData, LiftSchema)
    if (!parsed.ok) return parsed.response
    await liftRestrictions({ actor, userId, reason: parsed.data.reason })
    return 'lifted'
  },
  async purge(formData: FormData, actor: Actor, userId: string) {
    const parsed = parseForm(formData, PurgeSchema)
    if (!parsed.ok) return parsed.response
    await purgeMemberComments({ actor, userId, reason: parsed.data.reason })
    return 'purged'
  },
  async role(formData: FormData, actor: Actor, userId: string) {
    const parsed = parseForm(formData, RoleSchema)
    if (!parsed.ok) return parsed.response
    await changeRole({ actor, userId, role: parsed.data.role })
    return 'role'
  },
  async premoderate(formData: FormData, actor: Actor, userId: string) {
    const parsed = parseForm(formData, PremoderateSchema)
    if (!parsed.ok) return parsed.response
    await setPremoderation({ actor, userId, on: parsed.data.on })
    return 'premoderation'
  },
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  const userId = memberId(params)
  const result = await dispatchIntent(await readForm(request), intents, user, userId)
  if (typeof result !== 'string') return result
  return redirect(`/admin/members/${encodeURIComponent(userId)}?saved=${result}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.displayName ?? 'Member'} — Threadline admin` }]

export default function MemberPage() {
  const { member, recentComments, reportsMade, reportsAgainst, viewerRole } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [params] = useSearchParams()
  const suspended = member.suspendedUntil && new Date(member.suspendedUntil) > new Date()
  return (
    <section aria-labelledby="member-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/admin/members">Members</Link>
        </p>
        <h1 id="member-title">{member.displayName}</h1>
        <p className="page-header__lede">
          @{member.username} · {member.email} · {member.role} · joined {formatDate(member.createdAt)}
        </p>
      </header>
      {params.get('saved') ? (
        <p className="notice" role="status">
          Saved: {params.get('saved')}.
        </p>
      ) : null}
      {/* A failure no form below owns (an unknown intent). */}
      {failure && !Object.hasOwn(memberForms, failure.values.intent ?? '') ? (
        <FormErrorSummary errors={allErrors(failure.errors)} id="member-errors" />
      ) : null}
      <p className="notice">
        {member.bannedAt
          ? `Banned since ${formatDate(member.bannedAt)}: ${member.banReason ?? ''}`
          : suspended
            ? `Suspended until ${formatDate(member.suspendedUntil!)}${member.suspensionReason ? `: ${member.suspensionReason}` : ''}`
            : 'In good standing.'}
        {member.alwaysPremoderate ? ' Every comment waits for a moderator.' : ''}
      </p>

      <div className="chip-page__grid">
        <MemberForm intent="suspend" heading="Suspend" failure={failure}>
          {(field) => (
            <>
              <Field id="suspend-until" label="Until" type="datetime-local" required {...field('until')} />
              <Field id="suspend-reason" label="Reason (the member sees it)" maxLength={REASON_MAX} {...field('reason')} />
              <button type="submit" className="button">
                Suspend
              </button>
            </>
          )}
        </MemberForm>
        <MemberForm intent="ban" heading="Ban" failure={failure}>
          {(field) => (
            <>
              <Field id="ban-reason" label="Reason (the member sees it)" maxLength={REASON_MAX} required {...field('reason')} />
              <button type="submit" className="button button--danger">
                Ban and end every session
              </button>
            </>
          )}
        </MemberForm>
        <MemberForm intent="lift" heading="Lift restrictions" failure={failure}>
          {(field) => (
            <>
              <Field id="lift-reason" label="Reason" maxLength={REASON_MAX} {...field('reason')} />
              <button type="submit" className="button button--secondary">
                Lift ban and suspension
              </button>
            </>
          )}
        </MemberForm>
        <MemberForm intent="purge" heading="Remove all their comments" failure={failure}>
          {(field) => (
            <>
              <Field id="purge-reason" label="Reason (shown in each placeholder)" maxLength={REASON_MAX} required {...field('reason')} />
              <button type="submit" className="button button--danger">
                Remove every comment
              </button>
            </>
          )}
        </MemberForm>
        <MemberForm intent="premoderate" heading="Pre-moderation" failure={failure}>
          {() => (
            <>
              <input type="hidden" name="on" value={member.alwaysPremoderate ? 'false' : 'true'} />
              <button type="submit" className="button button--secondary">
                {member.alwaysPremoderate ? 'Stop holding their comments' : 'Hold every comment for review'}
              </button>
            </>
          )}
        </MemberForm>
        {isAdmin(viewerRole) ? (
          <MemberForm intent="role" heading="Role" failure={failure}>
            {(field) => (
              <>
                <SelectField
                  id="role-select"
                  label="Role"
                  options={roles.map((r) => ({ value: r, label: r }))}
                  {...field('role')}
                  defaultValue={field('role').defaultValue ?? member.role}
                />
                <button type="submit" className="button">
                  Change role
                </button>
              </>
            )}
          </MemberForm>
        ) : null}
      </div>

      <section className="panel" aria-labelledby="comments-heading">
        <h2 id="comments-heading">Their comments</h2>
        {recentComments.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="mention-list">
            {recentComments.map((c) => (
              <li key={c.id}>
                <Link to={`/articles/${c.articleSlug}/comments/${c.id}#c${c.id}`}>
                  [{c.status}] {c.excerpt || '(no text)'}
                </Link>
                <p className="muted">
                  {c.articleTitle} · {formatDate(c.createdAt)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="reports-heading">
        <h2 id="reports-heading">Reports</h2>
        <p>
          Against their comments: {reportsAgainst.length}. Made by them: {reportsMade.length}.
        </p>
        <ul className="mention-list">
          {reportsAgainst.map((r) => (
            <li key={r.id}>
              Against comment {r.commentId}: {reportReasonLabels[r.reason]}
              {r.note ? ` — “${r.note}”` : ''}
            </li>
          ))}
          {reportsMade.map((r) => (
            <li key={r.id}>
              By them, on comment {r.commentId}: {reportReasonLabels[r.reason]}
              {r.note ? ` — “${r.note}”` : ''}
            </li>
          ))}
        </ul>
      </section>
    </section>
  )
}

// What each form on the page sends, and the schema its action parses it with.
const memberForms = {
  suspend: SuspendSchema,
  ban: BanSchema,
  lift: LiftSchema,
  purge: PurgeSchema,
  premoderate: PremoderateSchema,
  role: RoleSchema,
}

type MemberFailure = { errors: FormErrors; values: Record<string, string> }

/** One of the page's forms: checked in the browser, and showing its own failures, beside its fields. */
function MemberForm({
  intent,
  heading,
  failure,
  children,
}: {
  intent: keyof typeof memberForms
  heading: string
  failure: MemberFailure | undefined
  children: (field: (name: string) => { name: string; errors?: string[]; defaultValue?: string }) => ReactNode
}) {
  const mine = failure?.values.intent === intent ? failure : undefined
  const submissionKey = useSubmissionKey(mine)
  const { form, errors } = useFormValidation({ id: `${intent}-form`, schema: memberForms[intent], result: mine })
  // What was sent comes back into the form that sent it, with its errors.
  const field = (name: string) => ({ name, errors: errors?.fields?.[name], defaultValue: mine?.values[name] })
  return (
    <Form key={submissionKey} {...form} method="post" className="panel stack" aria-labelledby={`${intent}-heading`} noValidate>
      <h2 id={`${intent}-heading`}>{heading}</h2>
      <input type="hidden" name="intent" value={intent} />
      <FormErrorSummary errors={errorsBesides(errors, 'until', 'reason', 'role')} id={`${intent}-errors`} />
      {children(field)}
    </Form>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
