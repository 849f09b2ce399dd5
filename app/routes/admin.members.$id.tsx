import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { allErrors, FormErrorSummary } from '#app/components/forms.tsx'
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
  PremoderateSchema,
  PurgeSchema,
  reportReasonLabels,
  RoleSchema,
  SuspendSchema,
} from '#app/schemas/moderation.ts'
import { roles } from '#db/enums.ts'

const IdSchema = z.string().min(1).max(100)

function memberId(params: { id?: string }) {
  const id = IdSchema.safeParse(params.id)
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.member.displayName ?? 'Member'} — Threadline admin` },
]

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
      <FormErrorSummary errors={allErrors(failure?.errors)} id="member-errors" />
      <p className="notice">
        {member.bannedAt
          ? `Banned since ${formatDate(member.bannedAt)}: ${member.banReason ?? ''}`
          : suspended
            ? `Suspended until ${formatDate(member.suspendedUntil!)}${member.suspensionReason ? `: ${member.suspensionReason}` : ''}`
            : 'In good standing.'}
        {member.alwaysPremoderate ? ' Every comment waits for a moderator.' : ''}
      </p>

      <div className="chip-page__grid">
        <Form method="post" className="panel stack" aria-labelledby="suspend-heading">
          <h2 id="suspend-heading">Suspend</h2>
          <input type="hidden" name="intent" value="suspend" />
          <div className="field">
            <label htmlFor="suspend-until">Until</label>
            <input id="suspend-until" name="until" type="datetime-local" required />
          </div>
          <div className="field">
            <label htmlFor="suspend-reason">Reason (the member sees it)</label>
            <input id="suspend-reason" name="reason" maxLength={500} />
          </div>
          <button type="submit" className="button">
            Suspend
          </button>
        </Form>
        <Form method="post" className="panel stack" aria-labelledby="ban-heading">
          <h2 id="ban-heading">Ban</h2>
          <input type="hidden" name="intent" value="ban" />
          <div className="field">
            <label htmlFor="ban-reason">Reason (the member sees it)</label>
            <input id="ban-reason" name="reason" maxLength={500} required />
          </div>
          <button type="submit" className="button button--danger">
            Ban and end every session
          </button>
        </Form>
        <Form method="post" className="panel stack" aria-labelledby="lift-heading">
          <h2 id="lift-heading">Lift restrictions</h2>
          <input type="hidden" name="intent" value="lift" />
          <div className="field">
            <label htmlFor="lift-reason">Reason</label>
            <input id="lift-reason" name="reason" maxLength={500} />
          </div>
          <button type="submit" className="button button--secondary">
            Lift ban and suspension
          </button>
        </Form>
        <Form method="post" className="panel stack" aria-labelledby="purge-heading">
          <h2 id="purge-heading">Remove all their comments</h2>
          <input type="hidden" name="intent" value="purge" />
          <div className="field">
            <label htmlFor="purge-reason">Reason (shown in each placeholder)</label>
            <input id="purge-reason" name="reason" maxLength={500} required />
          </div>
          <button type="submit" className="button button--danger">
            Remove every comment
          </button>
        </Form>
        <Form method="post" className="panel stack" aria-labelledby="premod-heading">
          <h2 id="premod-heading">Pre-moderation</h2>
          <input type="hidden" name="intent" value="premoderate" />
          <input type="hidden" name="on" value={member.alwaysPremoderate ? 'false' : 'true'} />
          <button type="submit" className="button button--secondary">
            {member.alwaysPremoderate ? 'Stop holding their comments' : 'Hold every comment for review'}
          </button>
        </Form>
        {isAdmin(viewerRole) ? (
          <Form method="post" className="panel stack" aria-labelledby="role-heading">
            <h2 id="role-heading">Role</h2>
            <input type="hidden" name="intent" value="role" />
            <div className="field">
              <label htmlFor="role-select">Role</label>
              <select id="role-select" name="role" defaultValue={member.role}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button">
              Change role
            </button>
          </Form>
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
