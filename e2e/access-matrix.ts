import fs from 'node:fs'

// The access matrix: for every route module in app/routes, the addresses to request and, for each
// kind of visitor, the answer each request should get. access-matrix.spec.ts reads the route
// directory and fails when a module has no entry here (or an entry names a module that is gone), so
// a new route cannot ship without someone deciding who may use it.

export const visitors = ['anonymous', 'member', 'suspended', 'banned', 'author', 'moderator', 'admin'] as const
export type Visitor = (typeof visitors)[number]

/**
 * What a visitor should get: a status; 'login' (302 to /login with this very address to come back
 * to); or '→/path' (302 to exactly that path, or to any path starting with it when it ends in *).
 */
export type Outcome = 200 | 400 | 403 | 404 | 405 | 'login' | `→${string}`

export type Expectations = Record<Visitor, Outcome>

/** Ids and slugs the spec creates through the app before the matrix runs. */
export type Fixture = {
  /** A story published for this run, which every comment below belongs to. */
  article: { id: number; slug: string; title: string }
  /** A draft written by the author visitor. */
  draftId: number
  /** The form that saves the story above as it is (a save that changes nothing a reader sees). */
  articleSave: Record<string, string>
  /** A seeded story by another author (the demo "editor"), which the author visitor did not write. */
  othersArticleId: number
  /** Comments by the owner, a member who is none of the visitors: every visitor is "someone else". */
  ownerComment: number
  /** Another of the owner's comments, the one visitors report (enough reports hide it). */
  reportedComment: number
  ownerId: string
  /** The public id of the owner's live session, as their account page names it. */
  ownerSessionId: string
  /** A seeded story the comments above do not belong to. */
  otherArticleSlug: string
}

export type Check = {
  method: 'GET' | 'POST'
  path: string
  form?: Record<string, string>
  multipart?: Record<string, string>
  expect: Expectations
  /** The Content-Type a 200 must have (its start). */
  contentType?: string
  /** A response that never ends (Server-Sent Events): only its status and type are read. */
  stream?: boolean
  /** Text a visitor's response must contain (a refusal that says why). */
  says?: Partial<Record<Visitor, string>>
  /** Changes the visitor's own session (logging out): runs after every other check. */
  last?: boolean
}

const writers: Visitor[] = ['author', 'moderator', 'admin']
// Authors (and moderators, who may write) edit and publish their own articles; admins any.
const ownerAndAdmins = (owner: Visitor): Visitor[] => [owner, 'admin']
const staff: Visitor[] = ['moderator', 'admin']
const admins: Visitor[] = ['admin']

/** The same answer for everyone. */
function all(outcome: Outcome): Expectations {
  return Object.fromEntries(visitors.map((v) => [v, outcome])) as Expectations
}

/**
 * Signed-in visitors get `outcome`; the rest are sent to log in. A banned member's sessions ended
 * with the ban, so their old cookie makes them anonymous.
 */
function signedIn(outcome: Outcome, overrides: Partial<Expectations> = {}): Expectations {
  return { ...all(outcome), anonymous: 'login', banned: 'login', ...overrides }
}

/** Only `allowed` get `outcome`; other signed-in visitors are refused with 403. */
function onlyFor(allowed: Visitor[], outcome: Outcome, overrides: Partial<Expectations> = {}): Expectations {
  const expectations = signedIn(403)
  for (const v of allowed) expectations[v] = outcome
  return { ...expectations, ...overrides }
}

/**
 * A POST to a route without an action is a 405, for members too (nothing is shown: the layout's own
 * refusal stands in its place). Under the guarded /admin layout its loader still runs, and its
 * redirect to the log-in page wins for anonymous visitors.
 */
const noActionUnderAdmin = signedIn(405)

/** A public read-only page or resource: 200 for everyone, 405 for a POST. */
function readOnly(path: string, contentType?: string): Check[] {
  return [
    { method: 'GET', path, expect: all(200), contentType },
    { method: 'POST', path, form: { intent: 'anything' }, expect: all(405) },
  ]
}

export const accessMatrix: Record<string, (f: Fixture) => Check[]> = {
  '$.tsx': (): Check[] => [
    { method: 'GET', path: '/no-such-page', expect: all(404) },
    { method: 'POST', path: '/no-such-page', form: { intent: 'anything' }, expect: all(404) },
    // Notifications have no address of their own: nobody can open or mark one by its id.
    { method: 'GET', path: '/notifications/1', expect: all(404) },
    { method: 'POST', path: '/notifications/1', form: { intent: 'read' }, expect: all(404) },
  ],
  '_index.tsx': (): Check[] => [
    { method: 'GET', path: '/', expect: all(200), contentType: 'text/html' },
    { method: 'GET', path: '/?page=9999', expect: all(404) },
    { method: 'POST', path: '/?index', form: { intent: 'anything' }, expect: all(405) },
  ],
  'account.tsx': (f): Check[] => [
    { method: 'GET', path: '/account', expect: signedIn(200) },
    { method: 'POST', path: '/account', form: { intent: 'anything' }, expect: signedIn(400) },
    { method: 'POST', path: '/account', form: { intent: 'display-name', displayName: '' }, expect: signedIn(400) },
    // Someone else's session is not found among one's own: the owner stays logged in.
    {
      method: 'POST',
      path: '/account',
      form: { intent: 'end-session', sessionId: f.ownerSessionId },
      expect: signedIn(404),
    },
  ],
  'admin.tsx': (): Check[] => [
    // The layout has no action of its own (POST /admin without ?index is addressed to it).
    { method: 'POST', path: '/admin', form: { intent: 'anything' }, expect: all(405) },
    { method: 'GET', path: '/admin', expect: onlyFor(staff, 200, { author: '→/admin/articles' }) },
  ],
  'admin._index.tsx': (): Check[] => [
    // Authors have no overview: they are sent to their articles.
    { method: 'GET', path: '/admin', expect: onlyFor(staff, 200, { author: '→/admin/articles' }) },
    { method: 'POST', path: '/admin?index', form: { intent: 'anything' }, expect: noActionUnderAdmin },
  ],
  'admin.articles.$id.tsx': (f): Check[] => [
    // The editor opens for the article's author and admins; other writers are refused, saying why.
    {
      method: 'GET',
      path: `/admin/articles/${f.draftId}`,
      expect: onlyFor(ownerAndAdmins('author'), 200),
      says: { moderator: 'Only its author or an admin can edit or publish this article.' },
    },
    {
      method: 'GET',
      path: `/admin/articles/${f.othersArticleId}`,
      expect: onlyFor(admins, 200),
      says: { author: 'Only its author or an admin can edit or publish this article.' },
    },
    { method: 'GET', path: '/admin/articles/2147483647', expect: onlyFor(writers, 404) },
    // A complete save of the author's published story, as it is: the author and admins may.
    {
      method: 'POST',
      path: `/admin/articles/${f.article.id}`,
      form: f.articleSave,
      expect: onlyFor(ownerAndAdmins('author'), `→/admin/articles/${f.article.id}?saved=published`),
      says: { moderator: 'Only its author or an admin can edit or publish this article.' },
    },
    { method: 'POST', path: `/admin/articles/${f.draftId}`, form: { intent: 'anything' }, expect: onlyFor(writers, 400) },
    // An incomplete form is refused before whose article it is matters.
    { method: 'POST', path: `/admin/articles/${f.othersArticleId}`, form: { intent: 'save' }, expect: onlyFor(writers, 400) },
    {
      method: 'POST',
      path: `/admin/articles/${f.draftId}`,
      form: { intent: 'preview', body: '**bold**' },
      expect: onlyFor(writers, 200),
    },
  ],
  'admin.articles._index.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/articles', expect: onlyFor(writers, 200) },
    { method: 'POST', path: '/admin/articles', form: { intent: 'anything' }, expect: noActionUnderAdmin },
  ],
  'admin.articles.import.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/articles/import', expect: onlyFor(writers, 200) },
    { method: 'POST', path: '/admin/articles/import', multipart: { text: '' }, expect: onlyFor(writers, 400) },
  ],
  'admin.articles.new.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/articles/new', expect: onlyFor(writers, 200) },
    { method: 'POST', path: '/admin/articles/new', form: { intent: 'anything' }, expect: onlyFor(writers, 400) },
    { method: 'POST', path: '/admin/articles/new', form: { intent: 'save', title: '' }, expect: onlyFor(writers, 400) },
    { method: 'POST', path: '/admin/articles/new', form: { intent: 'preview', body: '*x*' }, expect: onlyFor(writers, 200) },
  ],
  'admin.chips.$slug.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/chips/h200', expect: onlyFor(writers, 200) },
    { method: 'GET', path: '/admin/chips/no-such-chip', expect: onlyFor(writers, 404) },
    { method: 'POST', path: '/admin/chips/h200', form: { slug: 'h200', name: '' }, expect: onlyFor(writers, 400) },
  ],
  'admin.chips._index.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/chips', expect: onlyFor(writers, 200) },
    { method: 'POST', path: '/admin/chips', form: { intent: 'anything' }, expect: noActionUnderAdmin },
  ],
  'admin.chips.new.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/chips/new', expect: onlyFor(writers, 200) },
    { method: 'POST', path: '/admin/chips/new', form: { slug: '' }, expect: onlyFor(writers, 400) },
  ],
  'admin.corrections.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/corrections', expect: onlyFor(writers, 200) },
    { method: 'POST', path: '/admin/corrections', form: { intent: 'anything' }, expect: onlyFor(writers, 400) },
    {
      method: 'POST',
      path: '/admin/corrections',
      form: { intent: 'accept', correctionId: '2147483647' },
      expect: onlyFor(writers, 404),
    },
  ],
  'admin.discussions.tsx': (f): Check[] => [
    { method: 'GET', path: '/admin/discussions', expect: onlyFor(staff, 200) },
    { method: 'POST', path: '/admin/discussions', form: { intent: 'anything' }, expect: onlyFor(staff, 400) },
    {
      method: 'POST',
      path: '/admin/discussions',
      form: { intent: 'slow-mode', articleId: String(f.article.id), seconds: '-1' },
      expect: onlyFor(staff, 400),
    },
  ],
  'admin.log.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/log', expect: onlyFor(staff, 200) },
    { method: 'POST', path: '/admin/log', form: { intent: 'anything' }, expect: noActionUnderAdmin },
  ],
  'admin.members.$id.tsx': (f): Check[] => [
    { method: 'GET', path: `/admin/members/${encodeURIComponent(f.ownerId)}`, expect: onlyFor(staff, 200) },
    { method: 'GET', path: '/admin/members/no-such-member', expect: onlyFor(staff, 404) },
    {
      method: 'POST',
      path: `/admin/members/${encodeURIComponent(f.ownerId)}`,
      form: { intent: 'anything' },
      expect: onlyFor(staff, 400),
    },
    {
      method: 'POST',
      path: `/admin/members/${encodeURIComponent(f.ownerId)}`,
      form: { intent: 'ban', reason: '' },
      expect: onlyFor(staff, 400),
    },
  ],
  'admin.members._index.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/members', expect: onlyFor(staff, 200) },
    { method: 'POST', path: '/admin/members', form: { intent: 'anything' }, expect: noActionUnderAdmin },
  ],
  'admin.queue.tsx': (f): Check[] => [
    { method: 'GET', path: '/admin/queue', expect: onlyFor(staff, 200) },
    { method: 'POST', path: '/admin/queue', form: { intent: 'anything' }, expect: onlyFor(staff, 400) },
    {
      method: 'POST',
      path: '/admin/queue',
      form: { intent: 'moderate', action: 'obliterate', 'ids[]': String(f.ownerComment) },
      expect: onlyFor(staff, 400),
    },
  ],
  'admin.settings.tsx': (): Check[] => [
    { method: 'GET', path: '/admin/settings', expect: onlyFor(admins, 200) },
    // A value its schema refuses stops the whole save: nothing changes, even for an admin.
    { method: 'POST', path: '/admin/settings', form: { loginAttemptsPerIp: '0' }, expect: onlyFor(admins, 400) },
  ],
  'articles.$slug.tsx': (f): Check[] => [
    { method: 'GET', path: `/articles/${f.article.slug}`, expect: all(200), contentType: 'text/html' },
    { method: 'GET', path: '/articles/no-such-story', expect: all(404) },
    { method: 'GET', path: `/articles/${f.article.slug}?page=999`, expect: all(404) },
    // A preview saves nothing, but rendering costs: members only (and throttled).
    { method: 'POST', path: `/articles/${f.article.slug}`, form: { intent: 'preview', body: '*x*' }, expect: signedIn(200) },
    { method: 'POST', path: `/articles/${f.article.slug}`, form: { intent: 'anything' }, expect: all(400) },
    {
      method: 'POST',
      path: `/articles/${f.article.slug}`,
      form: { intent: 'comment', body: '' },
      expect: signedIn(400),
    },
    // A reply to the owner's comment (each reply notifies the owner).
    {
      method: 'POST',
      path: `/articles/${f.article.slug}`,
      form: { intent: 'comment', body: 'A reply from the access matrix.', parentId: String(f.ownerComment) },
      expect: signedIn(`→/articles/${f.article.slug}*`, { suspended: 403 }),
      says: { suspended: 'Your account is suspended until' },
    },
  ],
  'articles.$slug_.comments.$id.tsx': (f): Check[] => {
    const here = `/articles/${f.article.slug}/comments/${f.ownerComment}`
    const back: Outcome = `→/articles/${f.article.slug}*`
    return [
      { method: 'GET', path: here, expect: all(200) },
      // The comment belongs to another story: not found at this address, whatever the method.
      { method: 'GET', path: `/articles/${f.otherArticleSlug}/comments/${f.ownerComment}`, expect: all(404) },
      { method: 'GET', path: `/articles/${f.article.slug}/comments/2147483647`, expect: all(404) },
      // Someone else's comment: nobody but its author may edit or delete it, staff included.
      { method: 'POST', path: here, form: { intent: 'edit', body: 'Edited by someone else.' }, expect: signedIn(403) },
      { method: 'POST', path: here, form: { intent: 'delete' }, expect: signedIn(403) },
      // A vote is always the voter's own: forged ids naming the comment's author are ignored (were
      // they used, every vote would be refused as the author voting on their own comment).
      {
        method: 'POST',
        path: here,
        form: { intent: 'vote', vote: 'up', userId: f.ownerId, actorId: f.ownerId },
        expect: signedIn(back, { suspended: 403 }),
        says: { suspended: 'Your account is suspended until' },
      },
      {
        method: 'POST',
        path: `/articles/${f.article.slug}/comments/${f.reportedComment}`,
        form: { intent: 'report', reason: 'spam', reporterId: f.ownerId },
        expect: signedIn(back, { suspended: 403 }),
        says: { suspended: 'Your account is suspended until' },
      },
      { method: 'POST', path: here, form: { intent: 'vote', vote: 'sideways' }, expect: signedIn(400) },
      { method: 'POST', path: here, form: { intent: 'anything' }, expect: signedIn(400) },
      {
        method: 'POST',
        path: `/articles/${f.otherArticleSlug}/comments/${f.ownerComment}`,
        form: { intent: 'vote', vote: 'up' },
        expect: signedIn(404),
      },
      {
        method: 'POST',
        path: `/articles/${f.article.slug}/comments/2147483647`,
        form: { intent: 'vote', vote: 'up' },
        expect: signedIn(404),
      },
    ]
  },
  'articles.$slug_.comments[.]xml.ts': (f): Check[] => [
    ...readOnly(`/articles/${f.article.slug}/comments.xml`, 'application/rss+xml'),
    { method: 'GET', path: '/articles/no-such-story/comments.xml', expect: all(404) },
  ],
  'articles.$slug_.events.ts': (f): Check[] => [
    {
      method: 'GET',
      path: `/articles/${f.article.slug}/events`,
      expect: all(200),
      stream: true,
      contentType: 'text/event-stream',
    },
    { method: 'GET', path: '/articles/no-such-story/events', expect: all(404) },
    { method: 'POST', path: `/articles/${f.article.slug}/events`, form: { intent: 'anything' }, expect: all(405) },
  ],
  'chips.$slug.tsx': (): Check[] => [...readOnly('/chips/h200', 'text/html'), { method: 'GET', path: '/chips/no-such-chip', expect: all(404) }],
  'chips.$slug_.correct.tsx': (): Check[] => [
    { method: 'GET', path: '/chips/h200/correct', expect: signedIn(200) },
    { method: 'GET', path: '/chips/no-such-chip/correct', expect: signedIn(404) },
    { method: 'POST', path: '/chips/h200/correct', form: { field: 'memoryGb', proposedValue: '1' }, expect: signedIn(400) },
  ],
  'chips.$slug_.feed[.]atom.ts': (): Check[] => [
    ...readOnly('/chips/h200/feed.atom', 'application/atom+xml'),
    { method: 'GET', path: '/chips/no-such-chip/feed.atom', expect: all(404) },
  ],
  'chips.$slug_.feed[.]json.ts': (): Check[] => [
    ...readOnly('/chips/h200/feed.json', 'application/feed+json'),
    { method: 'GET', path: '/chips/no-such-chip/feed.json', expect: all(404) },
  ],
  'chips.$slug_.feed[.]xml.ts': (): Check[] => [
    ...readOnly('/chips/h200/feed.xml', 'application/rss+xml'),
    { method: 'GET', path: '/chips/no-such-chip/feed.xml', expect: all(404) },
  ],
  'chips.$slug_.record[.]json.ts': (): Check[] => [
    ...readOnly('/chips/h200/record.json', 'application/json'),
    // The public address of the record (server.ts maps it onto this route).
    { method: 'GET', path: '/chips/h200.json', expect: all(200), contentType: 'application/json' },
    { method: 'GET', path: '/chips/no-such-chip.json', expect: all(404) },
  ],
  'chips._index.tsx': () => readOnly('/chips', 'text/html'),
  'chips.compare.tsx': (): Check[] => [
    ...readOnly('/chips/compare?c=h100,h200', 'text/html'),
    { method: 'GET', path: '/chips/compare?c=h100', expect: all(400) },
    { method: 'GET', path: '/chips/compare?c=h100,no-such-chip', expect: all(404) },
  ],
  'chips[.]json.ts': () => readOnly('/chips.json', 'application/json'),
  'feed[.]atom.ts': () => readOnly('/feed.atom', 'application/atom+xml'),
  'feed[.]json.ts': () => readOnly('/feed.json', 'application/feed+json'),
  'feed[.]xml.ts': () => readOnly('/feed.xml', 'application/rss+xml'),
  'forgot-password.tsx': (): Check[] => [
    { method: 'GET', path: '/forgot-password', expect: all(200) },
    { method: 'POST', path: '/forgot-password', form: { email: 'not an address' }, expect: all(400) },
  ],
  'healthz.ts': () => readOnly('/healthz', 'text/plain'),
  'login.tsx': (): Check[] => [
    // Signed-in visitors are sent on to where they were going.
    { method: 'GET', path: '/login', expect: signedIn('→/', { anonymous: 200, banned: 200 }) },
    { method: 'GET', path: '/login?redirectTo=/account', expect: signedIn('→/account', { anonymous: 200, banned: 200 }) },
    // After the action, the page's loader sends a signed-in visitor on before the form could show.
    {
      method: 'POST',
      path: '/login',
      form: { login: '', password: '' },
      expect: signedIn('→/', { anonymous: 400, banned: 400 }),
    },
  ],
  'logout.tsx': (): Check[] => [
    // Logging out changes state, so a GET only goes home.
    { method: 'GET', path: '/logout', expect: all('→/') },
    { method: 'POST', path: '/logout', expect: all('→/'), last: true },
  ],
  'moderation.tsx': (): Check[] => [...readOnly('/moderation', 'text/html'), { method: 'GET', path: '/moderation?page=9999', expect: all(404) }],
  'moderation_.feed[.]xml.ts': () => readOnly('/moderation/feed.xml', 'application/rss+xml'),
  'notifications.tsx': (): Check[] => [
    { method: 'GET', path: '/notifications', expect: signedIn(200) },
    // Nothing to mark or delete by id: the list only opens one's own.
    { method: 'POST', path: '/notifications', form: { intent: 'read', id: '1' }, expect: all(405) },
  ],
  'reset-password.$token.tsx': (): Check[] => [
    { method: 'GET', path: '/reset-password/not-a-real-token', expect: all(400) },
    {
      method: 'POST',
      path: '/reset-password/not-a-real-token',
      form: { password: 'a long new password', confirm: 'a long new password' },
      expect: all(400),
    },
  ],
  'robots[.]txt.ts': () => readOnly('/robots.txt', 'text/plain'),
  'search.tsx': () => readOnly('/search?q=h200', 'text/html'),
  'signup.tsx': (): Check[] => [
    { method: 'GET', path: '/signup', expect: signedIn('→/', { anonymous: 200, banned: 200 }) },
    {
      method: 'POST',
      path: '/signup',
      form: { email: '', username: '', password: '' },
      expect: signedIn('→/', { anonymous: 400, banned: 400 }),
    },
  ],
  'signup_.confirm.$token.tsx': (): Check[] => [
    { method: 'GET', path: '/signup/confirm/not-a-real-token', expect: all(400) },
    { method: 'POST', path: '/signup/confirm/not-a-real-token', form: { confirm: '1' }, expect: all(400) },
  ],
  'sitemap[.]xml.ts': () => readOnly('/sitemap.xml', 'application/xml'),
  'tags.$slug.tsx': (): Check[] => [...readOnly('/tags/export-controls', 'text/html'), { method: 'GET', path: '/tags/no-such-topic', expect: all(404) }],
  'tags.$slug_.feed[.]atom.ts': (): Check[] => [
    ...readOnly('/tags/export-controls/feed.atom', 'application/atom+xml'),
    { method: 'GET', path: '/tags/no-such-topic/feed.atom', expect: all(404) },
  ],
  'tags.$slug_.feed[.]json.ts': (): Check[] => [
    ...readOnly('/tags/export-controls/feed.json', 'application/feed+json'),
    { method: 'GET', path: '/tags/no-such-topic/feed.json', expect: all(404) },
  ],
  'tags.$slug_.feed[.]xml.ts': (): Check[] => [
    ...readOnly('/tags/export-controls/feed.xml', 'application/rss+xml'),
    { method: 'GET', path: '/tags/no-such-topic/feed.xml', expect: all(404) },
  ],
}

/** Every route module in app/routes (tests beside them are not routes). */
export function listRouteFiles(dir = new URL('../app/routes/', import.meta.url)): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .filter((name) => !/\.test\.tsx?$/.test(name))
    .sort()
}
