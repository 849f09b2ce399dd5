import { relations, sql, type SQL } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { articleStatuses, commentStatuses, exportStatuses, moderationActionKinds, notificationKinds, reportReasons, roles } from './enums.ts'

export * from './enums.ts'

const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
})

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

export const roleEnum = pgEnum('role', roles)

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    // Stored normalised (trimmed, lower-cased); NULL once the account is deleted.
    email: text('email'),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    role: roleEnum('role').notNull().default('member'),
    createdAt: createdAt(),
    suspendedUntil: timestamp('suspended_until', { withTimezone: true }),
    bannedAt: timestamp('banned_at', { withTimezone: true }),
    banReason: text('ban_reason'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    suspensionReason: text('suspension_reason'),
    // Every comment of this member waits for a moderator.
    alwaysPremoderate: boolean('always_premoderate').notNull().default(false),
    // The discussion order a member last chose; NULL means the site's default.
    commentSort: text('comment_sort'),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    // Usernames are unique whatever their case.
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
  ],
)

// Lucia v3's session table, in the shape its Drizzle adapter expects. The id is the SHA-256 (hex) of
// the token the browser holds: a read of this table, a backup or a log hands out no live session.
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    // What the account page names a session by, to list it and to log it out: not a secret.
    publicId: uuid('public_id').notNull().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    // A short description of the browser, so a member can tell their sessions apart.
    userAgent: text('user_agent').notNull().default(''),
    // The network the session was started from (an IPv4 /24 or IPv6 /48), never the address itself.
    ipArea: text('ip_area').notNull().default(''),
    // Moved forward at most every few minutes while the session is used.
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId), uniqueIndex('sessions_public_id_key').on(t.publicId)],
)

// Only a SHA-256 of each token is stored: a leaked table cannot be used to reset a password.
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('password_reset_tokens_user_id_idx').on(t.userId)],
)

// A sign-up waiting for its address to be confirmed: the account is made only when the link mailed
// to the address is followed, so the sign-up form answers the same whether or not the address
// already has an account. Only the SHA-256 of the mailed token is kept.
export const pendingSignups = pgTable(
  'pending_signups',
  {
    tokenHash: text('token_hash').primaryKey(),
    email: text('email').notNull(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    redirectTo: text('redirect_to'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('pending_signups_email_idx').on(t.email), index('pending_signups_expires_at_idx').on(t.expiresAt)],
)

// ---------------------------------------------------------------------------------------------
// Publishing
// ---------------------------------------------------------------------------------------------

export const articleStatusEnum = pgEnum('article_status', articleStatuses)

export const articles = pgTable(
  'articles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    standfirst: text('standfirst').notNull(),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    readingMinutes: integer('reading_minutes').notNull().default(1),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    status: articleStatusEnum('status').notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    discussionLocked: boolean('discussion_locked').notNull().default(false),
    // Kept in the same transaction as the comment writes.
    commentCount: integer('comment_count').notNull().default(0),
    // Slow mode: the least time between one member's comments in this discussion (0 = off).
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('english', coalesce(${articles.title}, '')), 'A') || setweight(to_tsvector('english', coalesce(${articles.standfirst}, '')), 'B') || setweight(to_tsvector('english', coalesce(${articles.body}, '')), 'C')`,
    ),
  },
  (t) => [
    uniqueIndex('articles_slug_key').on(t.slug),
    index('articles_status_published_at_idx').on(t.status, t.publishedAt.desc(), t.id.desc()),
    index('articles_author_id_idx').on(t.authorId),
    index('articles_search_vector_idx').using('gin', t.searchVector),
  ],
)

export const tags = pgTable(
  'tags',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
  },
  (t) => [uniqueIndex('tags_slug_key').on(t.slug)],
)

export const articleTags = pgTable(
  'article_tags',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.tagId] }), index('article_tags_tag_id_idx').on(t.tagId)],
)

// ---------------------------------------------------------------------------------------------
// Chips
// ---------------------------------------------------------------------------------------------

export const exportStatusEnum = pgEnum('export_status', exportStatuses)

export type ChipSource = { label: string; url: string }

// Unknown figures are NULL (shown as "n/a"), never guessed.
export const chips = pgTable(
  'chips',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    vendor: text('vendor').notNull(),
    architecture: text('architecture'),
    processNode: text('process_node'),
    memoryGb: integer('memory_gb'),
    memoryType: text('memory_type'),
    memoryBandwidthGbs: integer('memory_bandwidth_gbs'),
    interconnect: text('interconnect'),
    interconnectBandwidthGbs: integer('interconnect_bandwidth_gbs'),
    bf16Tflops: real('bf16_tflops'),
    tdpWatts: integer('tdp_watts'),
    launchYear: smallint('launch_year'),
    // Names the chip also goes by in text ("H-200", "Ascend910B"), for mention links.
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // Export status is not stored here: it is the latest effective event in chip_export_events.
    exportNote: text('export_note').notNull().default(''),
    summary: text('summary').notNull().default(''),
    sources: jsonb('sources').$type<ChipSource[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('english', coalesce(${chips.name}, '') || ' ' || coalesce(${chips.vendor}, '')), 'A') || setweight(to_tsvector('english', coalesce(${chips.architecture}, '') || ' ' || coalesce(${chips.summary}, '')), 'B') || setweight(to_tsvector('english', coalesce(${chips.exportNote}, '')), 'C')`,
    ),
  },
  (t) => [
    uniqueIndex('chips_slug_key').on(t.slug),
    index('chips_search_vector_idx').using('gin', t.searchVector),
    index('chips_vendor_idx').on(t.vendor),
    check('chips_memory_gb_positive', sql`${t.memoryGb} is null or ${t.memoryGb} > 0`),
  ],
)

// Dated, sourced export-control decisions about a chip. A chip's status on any day is the latest
// event effective by then (per jurisdiction); it is derived, never stored twice.
export const chipExportEvents = pgTable(
  'chip_export_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    chipId: integer('chip_id')
      .notNull()
      .references(() => chips.id, { onDelete: 'cascade' }),
    jurisdiction: text('jurisdiction').notNull().default('US'),
    rule: text('rule').notNull(),
    effectiveDate: date('effective_date').notNull(),
    status: exportStatusEnum('status').notNull(),
    note: text('note').notNull().default(''),
    sourceLabel: text('source_label').notNull().default(''),
    sourceUrl: text('source_url'),
    createdAt: createdAt(),
  },
  (t) => [index('chip_export_events_chip_date_idx').on(t.chipId, t.effectiveDate.desc(), t.id.desc())],
)

// Where a chip is named in a comment or an article, found when the text is written.
export const chipMentions = pgTable(
  'chip_mentions',
  {
    chipId: integer('chip_id')
      .notNull()
      .references(() => chips.id, { onDelete: 'cascade' }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('chip_mentions_chip_idx').on(t.chipId, t.createdAt.desc()), uniqueIndex('chip_mentions_comment_key').on(t.chipId, t.commentId)],
)

export const correctionStatuses = ['pending', 'accepted', 'declined'] as const
export const correctionStatusEnum = pgEnum('correction_status', correctionStatuses)

// A reader's suggested fix to one chip field; once decided it stays as the record of the change.
export const chipCorrections = pgTable(
  'chip_corrections',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    chipId: integer('chip_id')
      .notNull()
      .references(() => chips.id, { onDelete: 'cascade' }),
    field: text('field').notNull(),
    currentValue: text('current_value'),
    proposedValue: text('proposed_value').notNull(),
    sourceUrl: text('source_url').notNull(),
    note: text('note').notNull().default(''),
    suggesterId: text('suggester_id').references(() => users.id, { onDelete: 'set null' }),
    status: correctionStatusEnum('status').notNull().default('pending'),
    decidedById: text('decided_by_id').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('chip_corrections_status_idx').on(t.status, t.createdAt)],
)

export const articleChips = pgTable(
  'article_chips',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    chipId: integer('chip_id')
      .notNull()
      .references(() => chips.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.chipId] }), index('article_chips_chip_id_idx').on(t.chipId)],
)

// ---------------------------------------------------------------------------------------------
// Discussion
// ---------------------------------------------------------------------------------------------

export const commentStatusEnum = pgEnum('comment_status', commentStatuses)

export const comments = pgTable(
  'comments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    // NULL for a top-level comment; rootId is then the comment's own id.
    parentId: integer('parent_id').references((): AnyPgColumn => comments.id, {
      onDelete: 'cascade',
    }),
    rootId: integer('root_id'),
    depth: integer('depth').notNull().default(0),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    status: commentStatusEnum('status').notNull().default('published'),
    score: integer('score').notNull().default(0),
    // Direct replies, kept in the same transaction as the reply: tells a capped thread it continues.
    replyCount: integer('reply_count').notNull().default(0),
    pinned: boolean('pinned').notNull().default(false),
    // Why auto-moderation held it: the rule, and what matched (a watched word, a link count).
    heldRule: text('held_rule'),
    heldDetail: text('held_detail'),
    // Shown in the placeholder of a removed comment.
    moderationReason: text('moderation_reason'),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
  },
  (t) => [
    // One page of top-level comments, by each sort order.
    index('comments_article_top_level_idx')
      .on(t.articleId, t.score.desc(), t.createdAt.desc())
      .where(sql`${t.parentId} is null`),
    index('comments_article_created_idx').on(t.articleId, t.createdAt),
    // All descendants of a page of roots in one query.
    index('comments_root_id_idx').on(t.rootId, t.createdAt),
    index('comments_parent_id_idx').on(t.parentId),
    index('comments_author_id_idx').on(t.authorId, t.createdAt.desc()),
    index('comments_status_idx')
      .on(t.status)
      .where(sql`${t.status} in ('pending', 'hidden')`),
  ],
)

export const commentVotes = pgTable(
  'comment_votes',
  {
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    value: smallint('value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.commentId, t.userId] }),
    index('comment_votes_user_id_idx').on(t.userId),
    check('comment_votes_value_check', sql`${t.value} in (-1, 1)`),
  ],
)

export const reportReasonEnum = pgEnum('report_reason', reportReasons)

export const reports = pgTable(
  'reports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reason: reportReasonEnum('reason').notNull(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedById: text('resolved_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('reports_comment_reporter_key').on(t.commentId, t.reporterId),
    index('reports_open_idx')
      .on(t.createdAt)
      .where(sql`${t.resolvedAt} is null`),
  ],
)

export const moderationActionEnum = pgEnum('moderation_action', moderationActionKinds)

export const moderationActions = pgTable(
  'moderation_actions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: moderationActionEnum('action').notNull(),
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'set null' }),
    articleId: integer('article_id').references(() => articles.id, { onDelete: 'set null' }),
    targetUserId: text('target_user_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason').notNull().default(''),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('moderation_actions_created_idx').on(t.createdAt.desc()), index('moderation_actions_target_user_idx').on(t.targetUserId)],
)

export const notificationKindEnum = pgEnum('notification_kind', notificationKinds)

export const notifications = pgTable(
  'notifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationKindEnum('kind').notNull(),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    articleId: integer('article_id').references(() => articles.id, { onDelete: 'cascade' }),
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'cascade' }),
    message: text('message').notNull().default(''),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt.desc())],
)

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

// Typed key/value; each key's value is validated by its zod schema in the settings model.
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedById: text('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
})

// Fixed windows, shared by every app instance.
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull().default(0),
    resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_reset_at_idx').on(t.resetAt)],
)

// ---------------------------------------------------------------------------------------------
// Relations (for the relational query API)
// ---------------------------------------------------------------------------------------------

export const articlesRelations = relations(articles, ({ one, many }) => ({
  author: one(users, { fields: [articles.authorId], references: [users.id] }),
  articleTags: many(articleTags),
  articleChips: many(articleChips),
}))

export const articleTagsRelations = relations(articleTags, ({ one }) => ({
  article: one(articles, { fields: [articleTags.articleId], references: [articles.id] }),
  tag: one(tags, { fields: [articleTags.tagId], references: [tags.id] }),
}))

export const articleChipsRelations = relations(articleChips, ({ one }) => ({
  article: one(articles, { fields: [articleChips.articleId], references: [articles.id] }),
  chip: one(chips, { fields: [articleChips.chipId], references: [chips.id] }),
}))

export const tagsRelations = relations(tags, ({ many }) => ({ articleTags: many(articleTags) }))
export const chipsRelations = relations(chips, ({ many }) => ({ articleChips: many(articleChips) }))

export type User = typeof users.$inferSelect
export type Article = typeof articles.$inferSelect
export type Chip = typeof chips.$inferSelect
export type Tag = typeof tags.$inferSelect
export type Comment = typeof comments.$inferSelect
