// The auto-moderation pipeline: one ordered list of rules, run on every new and edited comment. The
// first rule that does not answer "publish" decides, with a typed reason the queue can show.

export type WatchedWord = { word: string; action: 'hold' | 'reject' }

export type AutoModerationInput = {
  body: string
  discussionLocked: boolean
  maxLength: number
  watchedWords: readonly WatchedWord[]
  maxLinks: number
  member: {
    bannedAt: Date | null
    suspendedUntil: Date | null
    alwaysPremoderate: boolean
    /** Has a moderator (or the rules) let one of this member's comments through before? */
    hasPublishedComment: boolean
  }
  holdFirstComment: boolean
  now: Date
}

export type Rule = 'discussion-locked' | 'length' | 'watched-word' | 'links' | 'member-state' | 'first-comment'

export type Verdict =
  | { action: 'publish' }
  | { action: 'hold' | 'reject'; rule: Rule; detail: string; message: string }

const linkPattern = /https?:\/\/|www\.|mailto:/gi

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A whole-word, case-insensitive match that ignores zero-width characters used to dodge filters. */
export function findWatchedWord(body: string, words: readonly WatchedWord[]): WatchedWord | null {
  const text = body.normalize('NFKC').replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
  // Reject rules win over hold rules when both match.
  const ordered = [...words].sort((a, b) => (a.action === b.action ? 0 : a.action === 'reject' ? -1 : 1))
  for (const entry of ordered) {
    const word = entry.word.normalize('NFKC').trim()
    if (!word) continue
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(word)}($|[^\\p{L}\\p{N}])`, 'iu').test(text)) return entry
  }
  return null
}

export function countLinks(body: string): number {
  return body.match(linkPattern)?.length ?? 0
}

export function runAutoModeration(input: AutoModerationInput): Verdict {
  if (input.discussionLocked) {
    return { action: 'reject', rule: 'discussion-locked', detail: '', message: 'Moderators have locked this discussion.' }
  }
  if (input.body.length > input.maxLength) {
    return {
      action: 'reject',
      rule: 'length',
      detail: String(input.body.length),
      message: `Comments can be up to ${input.maxLength.toLocaleString('en-GB')} characters; this one has ${input.body.length.toLocaleString('en-GB')}.`,
    }
  }
  const watched = findWatchedWord(input.body, input.watchedWords)
  if (watched) {
    return watched.action === 'reject'
      ? {
          action: 'reject',
          rule: 'watched-word',
          detail: watched.word,
          message: `This comment uses a word this site does not accept (“${watched.word}”). Please rephrase it.`,
        }
      : {
          action: 'hold',
          rule: 'watched-word',
          detail: watched.word,
          message: 'Your comment is awaiting moderation: a moderator will look at it soon.',
        }
  }
  const links = countLinks(input.body)
  if (links > input.maxLinks) {
    return {
      action: 'hold',
      rule: 'links',
      detail: `${links} links`,
      message: `Your comment has ${links} links, more than ${input.maxLinks}: it is awaiting moderation.`,
    }
  }
  const { member } = input
  if (member.bannedAt) {
    return { action: 'reject', rule: 'member-state', detail: 'banned', message: 'Banned accounts cannot comment.' }
  }
  if (member.suspendedUntil && member.suspendedUntil > input.now) {
    return {
      action: 'reject',
      rule: 'member-state',
      detail: 'suspended',
      message: `Your account is suspended until ${member.suspendedUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    }
  }
  if (member.alwaysPremoderate) {
    return {
      action: 'hold',
      rule: 'member-state',
      detail: 'pre-moderated',
      message: 'Your comment is awaiting moderation: a moderator will look at it soon.',
    }
  }
  if (input.holdFirstComment && !member.hasPublishedComment) {
    return {
      action: 'hold',
      rule: 'first-comment',
      detail: '',
      message: 'Thanks for your first comment! It is awaiting moderation; once one is approved, the rest appear at once.',
    }
  }
  return { action: 'publish' }
}
