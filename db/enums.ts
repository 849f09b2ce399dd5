// The closed lists behind the database's enum types. Plain data with no imports, so client code can
// use them without pulling the ORM into the browser bundle.

export const roles = ['member', 'author', 'moderator', 'admin'] as const
export type Role = (typeof roles)[number]

export const articleStatuses = ['draft', 'scheduled', 'published', 'archived'] as const
export type ArticleStatus = (typeof articleStatuses)[number]

export const exportStatuses = ['unrestricted', 'licence_required', 'restricted', 'approved_for_export', 'market_specific_variant'] as const
export type ExportStatus = (typeof exportStatuses)[number]

export const commentStatuses = ['published', 'pending', 'hidden', 'removed', 'deleted'] as const
export type CommentStatus = (typeof commentStatuses)[number]

export const reportReasons = ['spam', 'harassment', 'off_topic', 'misinformation', 'other'] as const
export type ReportReason = (typeof reportReasons)[number]

export const moderationActionKinds = [
  'approve',
  'hide',
  'unhide',
  'remove',
  'restore',
  'lock',
  'unlock',
  'pin',
  'unpin',
  'suspend',
  'ban',
  'lift',
  'purge',
  'role',
  'settings',
  'slow_mode',
] as const
export type ModerationActionKind = (typeof moderationActionKinds)[number]

export const notificationKinds = ['reply', 'mention', 'moderation', 'correction'] as const
