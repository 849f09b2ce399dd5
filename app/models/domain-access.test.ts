import fs from 'node:fs'
import { inspect } from 'node:util'
import { sql } from 'drizzle-orm'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { ArticleFormSchema, ChipFormSchema } from '#app/schemas/authoring.ts'
import { database, db } from '#app/db.server.ts'
import { articles, chipCorrections, chips, comments, roles, sessions, users, type Role } from '#db/schema.ts'
import { adminRoles, authoringRoles, newsroomRoles, staffRoles } from '#app/lib/roles.ts'
import { isDomainError, type DomainErrorCode } from '#app/lib/domain-errors.ts'
import { hashPassword } from './passwords.server.ts'
import { putSetting } from './settings.server.ts'

// The domain's own role checks, function by function. Routes check roles too, so a domain function
// that forgets its check passes every route test; here each exported model function that names an
// acting user is called as every role against a real database, and must refuse the roles it does
// not admit before it changes anything, and serve the roles it does. The functions are found by
// reading app/models: a new one without an entry in `access` below fails the first test, so none
// ships without someone deciding who may call it.

const modelsDir = new URL('./', import.meta.url)

/** `file#name` of every exported function in app/models whose parameters name `actor` or `actorId`. */
function functionsTakingAnActor(): string[] {
  const found: string[] = []
  for (const file of fs
    .readdirSync(modelsDir)
    .filter((f) => f.endsWith('.server.ts'))
    .sort()) {
    const source = ts.createSourceFile(file, fs.readFileSync(new URL(file, modelsDir), 'utf8'), ts.ScriptTarget.Latest, true)
    for (const statement of source.statements) {
      if (!ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue
      const functions: [string, ts.NodeArray<ts.ParameterDeclaration>][] = []
      if (ts.isFunctionDeclaration(statement) && statement.name) functions.push([statement.name.text, statement.parameters])
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          const init = d.initializer
          if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) functions.push([d.name.getText(source), init.parameters])
        }
      }
      for (const [name, parameters] of functions) {
        if (parameters.some((p) => /\bactor(Id)?\b/.test(p.getText(source)))) found.push(`${file}#${name}`)
      }
    }
  }
  return found
}

const modules = import.meta.glob<Record<string, unknown>>('./*.server.ts', { eager: true })

type Actor = { id: string; role: Role }
type Fixture = Awaited<ReturnType<typeof buildFixture>>

type Scenario = {
  /** Which case of the function this is (another's article, one's own comment…). */
  what?: string
  /** The roles that may do it: each must succeed. Every other role must be refused. */
  allowed: readonly Role[]
  /** How the others are refused; a role refusal unless the case says otherwise. */
  refusedWith?: readonly DomainErrorCode[]
  /** Also call it with no actor at all (where the type allows it): refused as unauthenticated. */
  anonymous?: boolean
  call: (actor: Actor | null, fx: Fixture) => unknown
}

const everyone = roles
const nobody: readonly Role[] = []
const fn = (key: string) => {
  const [file, name] = key.split('#') as [string, string]
  const f = modules[`./${file}`]?.[name]
  if (typeof f !== 'function') throw new Error(`${key} is not an exported function`)
  return f as (...args: unknown[]) => Promise<unknown>
}
/** Calls `key` with its parameter object, the actor under `actor`. */
const withActor =
  (key: string, args: (fx: Fixture, actor: Actor) => Record<string, unknown> = () => ({})) =>
  (actor: Actor | null, fx: Fixture) =>
    fn(key)({ actor, ...args(fx, actor!) })
/** Calls `key` with its parameter object, the actor's id under `actorId`. */
const withActorId =
  (key: string, args: (fx: Fixture, actor: Actor) => Record<string, unknown> = () => ({})) =>
  (actor: Actor | null, fx: Fixture) =>
    fn(key)({ actorId: actor!.id, ...args(fx, actor!) })

const articleInput = (fields: Record<string, string> = {}) =>
  ArticleFormSchema.parse({ title: 'A headline', standfirst: 'A standfirst.', body: 'A body.', status: 'draft', ...fields })
const chipInput = (slug: string) => ChipFormSchema.parse({ slug, name: slug.toUpperCase(), vendor: 'Acme', exportStatus: 'unrestricted' })

const access: Record<string, Scenario[]> = {
  'admin.server.ts#assertRole': [{ allowed: adminRoles, anonymous: true, call: (actor) => fn('admin.server.ts#assertRole')(actor, adminRoles, 'test') }],
  'admin.server.ts#assertStaff': [{ allowed: staffRoles, call: (actor) => fn('admin.server.ts#assertStaff')(actor) }],
  'admin.server.ts#getSiteOverview': [{ allowed: staffRoles, call: withActor('admin.server.ts#getSiteOverview') }],

  'authoring.server.ts#listArticlesForAuthoring': [{ allowed: authoringRoles, call: withActor('authoring.server.ts#listArticlesForAuthoring') }],
  'authoring.server.ts#getArticleEditorChoices': [{ allowed: authoringRoles, call: withActor('authoring.server.ts#getArticleEditorChoices') }],
  'authoring.server.ts#getArticleForEditing': [
    {
      what: 'one’s own',
      allowed: authoringRoles,
      call: withActor('authoring.server.ts#getArticleForEditing', (fx, a) => ({ id: fx.own[a.role].article })),
    },
    { what: 'another author’s', allowed: adminRoles, call: withActor('authoring.server.ts#getArticleForEditing', (fx) => ({ id: fx.othersArticle })) },
  ],
  'authoring.server.ts#previewArticle': [{ allowed: authoringRoles, call: withActor('authoring.server.ts#previewArticle', () => ({ body: '*x*' })) }],
  'authoring.server.ts#saveArticle': [
    {
      what: 'a new article',
      allowed: authoringRoles,
      call: withActor('authoring.server.ts#saveArticle', () => ({ input: articleInput({ title: 'New' }) })),
    },
    {
      what: 'publishing one’s own',
      allowed: authoringRoles,
      call: withActor('authoring.server.ts#saveArticle', (fx, a) => ({ id: fx.own[a.role].article, input: articleInput({ status: 'published' }) })),
    },
    {
      what: 'editing another author’s',
      allowed: adminRoles,
      call: withActor('authoring.server.ts#saveArticle', (fx) => ({ id: fx.othersArticle, input: articleInput({ title: 'Taken over' }) })),
    },
    {
      what: 'publishing another author’s',
      allowed: adminRoles,
      call: withActor('authoring.server.ts#saveArticle', (fx) => ({ id: fx.othersArticle, input: articleInput({ status: 'published' }) })),
    },
  ],
  'authoring.server.ts#importArticle': [
    { allowed: authoringRoles, call: withActor('authoring.server.ts#importArticle', () => ({ text: 'Headline\nStandfirst\nThe body.' })) },
  ],
  'chips.server.ts#listChipsForEditing': [{ allowed: authoringRoles, call: withActor('chips.server.ts#listChipsForEditing') }],
  'chips.server.ts#getChipForEditing': [
    { allowed: authoringRoles, call: withActor('chips.server.ts#getChipForEditing', (fx) => ({ slug: fx.chipSlug })) },
  ],
  'chips.server.ts#saveChip': [
    { what: 'a new chip', allowed: authoringRoles, call: withActor('chips.server.ts#saveChip', () => ({ input: chipInput('new-chip') })) },
    {
      what: 'an existing chip',
      allowed: authoringRoles,
      call: withActor('chips.server.ts#saveChip', (fx) => ({ slug: fx.chipSlug, input: chipInput(fx.chipSlug) })),
    },
  ],

  'comments.server.ts#previewComment': [{ allowed: everyone, call: withActorId('comments.server.ts#previewComment', () => ({ body: '*Words*' })) }],
  'comments.server.ts#createComment': [
    { allowed: everyone, call: withActorId('comments.server.ts#createComment', (fx) => ({ articleSlug: fx.articleSlug, body: 'Words' })) },
  ],
  'comments.server.ts#notifyReply': [
    {
      allowed: everyone,
      call: (actor, fx) =>
        db.transaction((tx) =>
          fn('comments.server.ts#notifyReply')(tx, { parentAuthorId: fx.writer, actorId: actor!.id, articleId: fx.articleId, commentId: fx.comment }),
        ),
    },
  ],
  'comments.server.ts#editComment': [
    {
      what: 'one’s own',
      allowed: everyone,
      call: withActorId('comments.server.ts#editComment', (fx, a) => ({ commentId: fx.own[a.role].comment, body: 'Edited' })),
    },
    { what: 'another’s', allowed: nobody, call: withActorId('comments.server.ts#editComment', (fx) => ({ commentId: fx.comment, body: 'Edited' })) },
  ],
  'comments.server.ts#deleteComment': [
    { what: 'one’s own', allowed: everyone, call: withActorId('comments.server.ts#deleteComment', (fx, a) => ({ commentId: fx.own[a.role].comment })) },
    { what: 'another’s', allowed: nobody, call: withActorId('comments.server.ts#deleteComment', (fx) => ({ commentId: fx.comment })) },
  ],

  'corrections.server.ts#suggestCorrection': [
    {
      allowed: everyone,
      call: withActorId('corrections.server.ts#suggestCorrection', (fx) => ({
        chipSlug: fx.chipSlug,
        field: 'memoryGb',
        proposedValue: '96',
        sourceUrl: 'https://example.com/datasheet',
      })),
    },
  ],
  'corrections.server.ts#listPendingCorrections': [{ allowed: authoringRoles, call: withActor('corrections.server.ts#listPendingCorrections') }],
  'corrections.server.ts#acceptCorrection': [
    { allowed: authoringRoles, call: withActor('corrections.server.ts#acceptCorrection', (fx) => ({ correctionId: fx.correction })) },
  ],
  'corrections.server.ts#declineCorrection': [
    {
      allowed: authoringRoles,
      call: withActor('corrections.server.ts#declineCorrection', (fx) => ({ correctionId: fx.correction, reason: 'No source' })),
    },
  ],

  'moderation.server.ts#reportComment': [
    { allowed: everyone, call: withActorId('moderation.server.ts#reportComment', (fx) => ({ commentId: fx.comment, reason: 'spam', note: '' })) },
  ],
  'moderation.server.ts#moderateComments': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#moderateComments', (fx) => ({ commentIds: [fx.comment], action: 'hide', reason: '' })) },
  ],
  'moderation.server.ts#setCommentPinned': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#setCommentPinned', (fx) => ({ commentId: fx.comment, pinned: true })) },
  ],
  'moderation.server.ts#setDiscussionLocked': [
    {
      allowed: staffRoles,
      call: withActor('moderation.server.ts#setDiscussionLocked', (fx) => ({ articleId: fx.articleId, locked: true, reason: 'Heated' })),
    },
  ],
  'moderation.server.ts#setSlowMode': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#setSlowMode', (fx) => ({ articleId: fx.articleId, seconds: 60 })) },
  ],
  'moderation.server.ts#getModerationQueue': [{ allowed: staffRoles, call: withActor('moderation.server.ts#getModerationQueue') }],
  'moderation.server.ts#listDiscussions': [{ allowed: staffRoles, call: withActor('moderation.server.ts#listDiscussions') }],
  'moderation.server.ts#searchMembers': [{ allowed: staffRoles, call: withActor('moderation.server.ts#searchMembers', () => ({ query: '' })) }],
  'moderation.server.ts#getMemberDetail': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#getMemberDetail', (fx) => ({ userId: fx.target })) },
  ],
  'moderation.server.ts#suspendMember': [
    {
      allowed: staffRoles,
      call: withActor('moderation.server.ts#suspendMember', (fx) => ({ userId: fx.target, until: new Date(Date.now() + 86_400_000), reason: 'Cool off' })),
    },
  ],
  'moderation.server.ts#banMember': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#banMember', (fx) => ({ userId: fx.target, reason: 'Spam' })) },
  ],
  'moderation.server.ts#liftRestrictions': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#liftRestrictions', (fx) => ({ userId: fx.target, reason: 'Appeal' })) },
  ],
  'moderation.server.ts#setPremoderation': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#setPremoderation', (fx) => ({ userId: fx.target, on: true })) },
  ],
  'moderation.server.ts#purgeMemberComments': [
    { allowed: staffRoles, call: withActor('moderation.server.ts#purgeMemberComments', (fx) => ({ userId: fx.target, reason: 'Spam' })) },
  ],
  'moderation.server.ts#changeRole': [
    { allowed: adminRoles, call: withActor('moderation.server.ts#changeRole', (fx) => ({ userId: fx.target, role: 'author' })) },
  ],
  'moderation.server.ts#listModerationLog': [{ allowed: staffRoles, call: withActor('moderation.server.ts#listModerationLog', () => ({ page: 1 })) }],

  'notifications.server.ts#openNotifications': [{ allowed: everyone, call: withActorId('notifications.server.ts#openNotifications') }],

  'settings.server.ts#listSettings': [{ allowed: adminRoles, call: withActor('settings.server.ts#listSettings') }],
  'settings.server.ts#updateSettings': [
    { allowed: adminRoles, call: withActor('settings.server.ts#updateSettings', () => ({ values: { maxLinks: 5 } })) },
  ],

  'users.server.ts#changeDisplayName': [
    { allowed: everyone, call: withActorId('users.server.ts#changeDisplayName', () => ({ displayName: 'New name' })) },
  ],
  'users.server.ts#changePassword': [
    {
      allowed: everyone,
      call: withActorId('users.server.ts#changePassword', (fx, a) => ({
        currentPassword: fx.password,
        newPassword: 'another long password',
        keepSessionId: fx.own[a.role].session,
      })),
    },
  ],
  'users.server.ts#listSessions': [
    { allowed: everyone, call: withActorId('users.server.ts#listSessions', (fx, a) => ({ currentSessionId: fx.own[a.role].session })) },
  ],
  'users.server.ts#endSession': [
    {
      what: 'one’s own',
      allowed: everyone,
      call: withActorId('users.server.ts#endSession', (fx, a) => ({ publicId: fx.own[a.role].sessionPublicId, currentSessionId: fx.own[a.role].session })),
    },
    // Another member's session is not found among one's own.
    {
      what: 'another’s',
      allowed: nobody,
      refusedWith: ['not-found'],
      call: withActorId('users.server.ts#endSession', (fx, a) => ({ publicId: fx.writerSessionPublicId, currentSessionId: fx.own[a.role].session })),
    },
  ],
  'users.server.ts#deleteAccount': [{ allowed: everyone, call: withActorId('users.server.ts#deleteAccount', (fx) => ({ password: fx.password })) }],
  'users.server.ts#assertNameAllowed': [
    {
      what: 'a plain name',
      allowed: everyone,
      call: (actor) => fn('users.server.ts#assertNameAllowed')({ names: { displayName: 'Plain Reader' }, role: actor!.role, actorId: actor!.id }),
    },
    // Only the newsroom may carry a name that claims a role (its badge says which).
    {
      what: 'a name that claims a role',
      allowed: newsroomRoles,
      refusedWith: ['invalid-input'],
      call: (actor) => fn('users.server.ts#assertNameAllowed')({ names: { displayName: 'Moe Moderator' }, role: actor!.role, actorId: actor!.id }),
    },
  ],
  'users.server.ts#lockActiveMember': [
    { allowed: everyone, call: (actor) => db.transaction((tx) => fn('users.server.ts#lockActiveMember')(tx, actor!.id)) },
  ],
  'users.server.ts#requireActiveMember': [{ allowed: everyone, call: (actor) => fn('users.server.ts#requireActiveMember')(actor!.id) }],

  'votes.server.ts#voteOnComment': [
    { allowed: everyone, call: withActorId('votes.server.ts#voteOnComment', (fx) => ({ commentId: fx.comment, up: true })) },
  ],
}

let passwordHash = ''
const PASSWORD = 'a long test password'

/**
 * A small newsroom: one account per role (the actors), each with a draft, a comment and a session
 * of their own; another author's draft; a member whose comment everyone acts on; a member to
 * moderate; a chip with a suggestion waiting. Written straight to the tables: it is the setting,
 * not what is tested.
 */
async function buildFixture() {
  await truncateAll()
  await putSetting('holdFirstComment', false)
  await putSetting('newAccountHours', 0)
  const person = (id: string, role: Role) => ({ id, email: `${id}@example.com`, username: id, displayName: `The ${id}`, passwordHash, role })
  await db
    .insert(users)
    .values([...roles.map((role) => person(role, role)), person('other-author', 'author'), person('writer', 'member'), person('target', 'member')])
  const story = (slug: string, authorId: string, status: 'published' | 'draft') => ({
    slug,
    title: `Story ${slug}`,
    standfirst: 'S',
    body: 'B',
    bodyHtml: '<p>B</p>',
    status,
    publishedAt: status === 'published' ? new Date(Date.now() - 60_000) : null,
    authorId,
  })
  const rows = await db
    .insert(articles)
    .values([
      story('public-story', 'other-author', 'published'),
      story('others-draft', 'other-author', 'draft'),
      ...roles.map((r) => story(`draft-of-${r}`, r, 'draft')),
    ])
    .returning({ id: articles.id, slug: articles.slug })
  const articleId = rows[0]!.id
  const remark = (authorId: string) => ({ articleId, authorId, body: `By ${authorId}`, bodyHtml: `<p>By ${authorId}</p>` })
  const remarks = await db
    .insert(comments)
    .values([remark('writer'), remark('target'), ...roles.map(remark)])
    .returning({ id: comments.id, authorId: comments.authorId })
  await db
    .update(articles)
    .set({ commentCount: remarks.length })
    .where(sql`${articles.id} = ${articleId}`)
  const expiresAt = new Date(Date.now() + 86_400_000)
  // Sessions are named to their members by public ids (uuids), stored by the hash of their token.
  const publicId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  await db
    .insert(sessions)
    .values([
      { id: 'session-writer', publicId: publicId(0), userId: 'writer', expiresAt },
      ...roles.map((r, i) => ({ id: `session-${r}`, publicId: publicId(i + 1), userId: r, expiresAt })),
    ])
  const [chip] = await db.insert(chips).values({ slug: 'x1', name: 'X1', vendor: 'Acme' }).returning({ id: chips.id })
  const [correction] = await db
    .insert(chipCorrections)
    .values({ chipId: chip!.id, field: 'memoryGb', currentValue: null, proposedValue: '80', sourceUrl: 'https://example.com/x1', suggesterId: 'writer' })
    .returning({ id: chipCorrections.id })
  const own = Object.fromEntries(
    roles.map((r) => [
      r,
      {
        article: rows.find((a) => a.slug === `draft-of-${r}`)!.id,
        comment: remarks.find((c) => c.authorId === r)!.id,
        session: `session-${r}`,
        sessionPublicId: publicId(roles.indexOf(r) + 1),
      },
    ]),
  ) as Record<Role, { article: number; comment: number; session: string; sessionPublicId: string }>
  return {
    password: PASSWORD,
    articleId,
    articleSlug: 'public-story',
    othersArticle: rows[1]!.id,
    comment: remarks[0]!.id,
    writer: 'writer',
    writerSession: 'session-writer',
    writerSessionPublicId: publicId(0),
    target: 'target',
    chipSlug: 'x1',
    correction: correction!.id,
    own,
  }
}

let tableNames: string[] = []

/** Every row of every table, as one digest per table: what a refusal must leave as it was. */
async function fingerprint() {
  const columns = tableNames.map((t) => sql.raw(`(select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from "${t}" r) as "${t}"`))
  const [row] = await database.rows<Record<string, string>>(sql`select ${sql.join(columns, sql`, `)}`)
  return row!
}

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD)
  tableNames = (await database.rows<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).map(
    (t) => t.name,
  )
})

it('has an entry for every exported model function that takes an actor, and a function for every entry', () => {
  const found = functionsTakingAnActor()
  expect(found.length).toBeGreaterThan(30)
  expect(
    found.filter((key) => !(key in access)),
    'functions without an entry in `access`',
  ).toEqual([])
  expect(
    Object.keys(access).filter((key) => !found.includes(key)),
    'entries for functions that are gone',
  ).toEqual([])
  for (const key of Object.keys(access)) expect(typeof fn(key), key).toBe('function')
})

function shown(error: unknown): string {
  if (isDomainError(error)) return `${error.code}: ${error.message}`
  return error instanceof Error ? String(error) : inspect(error)
}

/** What happened when `actor` tried `scenario`: null when it is what the table says. */
async function attempt(scenario: Scenario, actor: Actor | null): Promise<string | null> {
  const fx = await buildFixture()
  const allowed = actor !== null && scenario.allowed.includes(actor.role)
  const before = allowed ? null : await fingerprint()
  let error: unknown = null
  try {
    await scenario.call(actor, fx)
  } catch (e) {
    error = e
  }
  const who = actor?.role ?? 'anonymous'
  if (allowed) return error === null ? null : `${who} may, but got ${shown(error)}`
  const codes = actor === null ? ['unauthenticated'] : (scenario.refusedWith ?? ['forbidden', 'unauthenticated'])
  if (!isDomainError(error) || !codes.includes(error.code)) {
    return `${who} may not, but got ${error === null ? 'no refusal' : shown(error)}`
  }
  const after = await fingerprint()
  const changed = Object.keys(after).filter((t) => after[t] !== before![t])
  return changed.length ? `${who} was refused, but only after changing ${changed.join(', ')}` : null
}

describe('each function, as each role', () => {
  for (const [key, scenarios] of Object.entries(access)) {
    it(key, async () => {
      const problems: string[] = []
      for (const scenario of scenarios) {
        const actors: (Actor | null)[] = roles.map((role) => ({ id: role, role }))
        if (scenario.anonymous) actors.push(null)
        for (const actor of actors) {
          const problem = await attempt(scenario, actor)
          if (problem) problems.push(`${scenario.what ? `${scenario.what}: ` : ''}${problem}`)
        }
      }
      expect(problems).toEqual([])
    })
  }
})
