import { decodeHTML } from 'entities'
import { Parser } from 'htmlparser2'
import { renderMarkdown } from './markdown.ts'

// The auto-moderation pipeline: one ordered list of rules, run on every new and edited comment. The
// first rule that does not answer "publish" decides, with a typed reason the queue can show.

export type WatchedWord = { word: string; action: 'hold' | 'reject' }

export type AutoModerationInput = {
  /** The Markdown as typed: its length is what the limit counts. */
  body: string
  /**
   * The comment as stored and shown: its rendered, sanitised HTML. Watched words are looked for in
   * what readers read of it (see readableText). Rendered here from `body` when not given.
   */
  html?: string
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

export type Verdict = { action: 'publish' } | { action: 'hold' | 'reject'; rule: Rule; detail: string; message: string }

// A Markdown link to `//host` or `/\host` leaves the site as surely as one with a scheme.
const linkPattern = /https?:\/\/|www\.|mailto:|\]\(\s*<?[/\\]{2}/gi

// Elements that run on in a line of text; every other one starts a new line, as a browser shows it.
const inlineElements = new Set(['a', 'em', 'strong', 'code', 'del', 's', 'b', 'i', 'span', 'sub', 'sup', 'mark', 'small'])

/**
 * What readers of a rendered comment take in, as plain text: the text a browser shows (tags gone,
 * character references decoded, a line break between blocks), then the address of every link to
 * another site, one a line, percent-decoded. Markdown inside a word ("scam**coin**") leaves one word
 * here, as it does on the page.
 */
export function readableText(html: string): string {
  const text: string[] = []
  const addresses: string[] = []
  const parser = new Parser(
    {
      ontext: (data) => void text.push(data),
      onopentag: (name, attributes) => {
        if (!inlineElements.has(name)) text.push('\n')
        // Addresses on this site are ours (chip mentions), not something the member wrote; `//host`
        // and `/\host` are other sites (browsers read both as protocol-relative).
        if (name === 'a' && attributes.href && !/^(?:\/(?![/\\])|#)/.test(attributes.href)) addresses.push(attributes.href)
      },
      onclosetag: (name) => {
        if (!inlineElements.has(name)) text.push('\n')
      },
    },
    { decodeEntities: true },
  )
  parser.end(html)
  return [text.join(''), ...addresses.map(percentDecoded)].join('\n')
}

function percentDecoded(address: string) {
  try {
    return decodeURI(address)
  } catch {
    return address
  }
}

// Characters a reader does not see: Unicode's default-ignorable code points (zero-width spaces and
// joiners, soft hyphens, direction marks, U+034F, U+180E, U+2062 and the other invisible operators,
// variation selectors, tag characters, Hangul fillers) and every other format character (Cf).
const invisible = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu

/**
 * The text watched words are matched in: character references a member typed are read as what they
 * stand for (a comment shows them as typed, but "&#115;pam" still spells a word, and feeds and mail
 * may decode them again), invisible characters are dropped, and compatibility forms are folded by
 * NFKC ("ｓｐａｍ", "ﬁ"). The invisible ones go before NFKC too, where they would block composition.
 */
export function matchableText(text: string): string {
  return decodeHTML(text).replace(invisible, '').normalize('NFKC').replace(invisible, '')
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The first watched word that `text` uses as a whole word (not inside a longer word: "spam" is not in
 * "antispam"), in any case, after matchableText; the words of a phrase may be split by any space.
 * Pass readableText of the rendered comment, so the word is found as readers read it.
 */
export function findWatchedWord(text: string, words: readonly WatchedWord[]): WatchedWord | null {
  const folded = matchableText(text)
  // Reject rules win over hold rules when both match.
  const ordered = [...words].sort((a, b) => (a.action === b.action ? 0 : a.action === 'reject' ? -1 : 1))
  for (const entry of ordered) {
    const parts = matchableText(entry.word).trim().split(/\s+/).filter(Boolean)
    if (parts.length === 0) continue
    const pattern = `(?<![\\p{L}\\p{N}])${parts.map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`
    if (new RegExp(pattern, 'iu').test(folded)) return entry
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
  const watched = findWatchedWord(readableText(input.html ?? renderMarkdown(input.body, 'comment')), input.watchedWords)
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
