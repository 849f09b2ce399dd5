import { describe, expect, it } from 'vitest'
import { countLinks, findWatchedWord, runAutoModeration, type AutoModerationInput } from './auto-moderation.ts'

const now = new Date('2026-11-29T12:00:00Z')
const base: AutoModerationInput = {
  body: 'A fair point about the H20.',
  discussionLocked: false,
  maxLength: 10_000,
  watchedWords: [
    { word: 'crypto scam', action: 'reject' },
    { word: 'miracle', action: 'hold' },
  ],
  maxLinks: 2,
  member: { bannedAt: null, suspendedUntil: null, alwaysPremoderate: false, hasPublishedComment: true },
  holdFirstComment: true,
  now,
}
const run = (patch: Partial<Omit<AutoModerationInput, 'member'>> & { member?: Partial<AutoModerationInput['member']> }) =>
  runAutoModeration({ ...base, ...patch, member: { ...base.member, ...patch.member } })

describe('runAutoModeration', () => {
  it('publishes an ordinary comment from a known member', () => {
    expect(run({})).toEqual({ action: 'publish' })
  })

  it('applies the rules in order: lock, length, words, links, member state, first comment', () => {
    const everything = {
      discussionLocked: true,
      body: 'miracle https://a.example https://b.example https://c.example '.repeat(300),
      maxLength: 100,
      member: { alwaysPremoderate: true, hasPublishedComment: false },
    }
    expect(run(everything)).toMatchObject({ action: 'reject', rule: 'discussion-locked' })
    expect(run({ ...everything, discussionLocked: false })).toMatchObject({ action: 'reject', rule: 'length' })
    expect(run({ ...everything, discussionLocked: false, maxLength: 100_000 })).toMatchObject({ action: 'hold', rule: 'watched-word', detail: 'miracle' })
    expect(run({ ...everything, discussionLocked: false, maxLength: 100_000, watchedWords: [] })).toMatchObject({
      action: 'hold',
      rule: 'links',
      detail: '900 links',
    })
    expect(run({ member: { alwaysPremoderate: true, hasPublishedComment: false } })).toMatchObject({ action: 'hold', rule: 'member-state' })
    expect(run({ member: { hasPublishedComment: false } })).toMatchObject({ action: 'hold', rule: 'first-comment' })
    expect(run({ member: { hasPublishedComment: false }, holdFirstComment: false })).toEqual({ action: 'publish' })
  })

  it('rejects a suspended or banned member, with the reason', () => {
    expect(run({ member: { suspendedUntil: new Date('2026-12-01T00:00:00Z') } })).toMatchObject({
      action: 'reject',
      rule: 'member-state',
      message: 'Your account is suspended until 2026-12-01 00:00 UTC.',
    })
    expect(run({ member: { suspendedUntil: new Date('2026-11-01T00:00:00Z') } })).toEqual({ action: 'publish' })
    expect(run({ member: { bannedAt: now } })).toMatchObject({ action: 'reject', detail: 'banned' })
  })

  it('names the watched word, and rejection wins over hold', () => {
    expect(run({ body: 'This is a CRYPTO SCAM and a miracle' })).toMatchObject({ action: 'reject', rule: 'watched-word', detail: 'crypto scam' })
  })
})

describe('findWatchedWord', () => {
  const words = [{ word: 'spam', action: 'hold' as const }]
  it('matches whole words in any case, and sees through zero-width tricks', () => {
    expect(findWatchedWord('Total SPAM!', words)).not.toBeNull()
    expect(findWatchedWord('s\u200Bpam here', words)).not.toBeNull()
    expect(findWatchedWord('ｓｐａｍ', words)).not.toBeNull()
  })
  it('does not match inside other words', () => {
    expect(findWatchedWord('spammer spamming', words)).toBeNull()
  })
  it('treats regex characters literally', () => {
    expect(findWatchedWord('a.b', [{ word: 'a.b', action: 'hold' }])).not.toBeNull()
    expect(findWatchedWord('axb', [{ word: 'a.b', action: 'hold' }])).toBeNull()
  })
})

describe('countLinks', () => {
  it('counts bare and Markdown links', () => {
    expect(countLinks('see https://a.example and [b](https://b.example) and www.c.example')).toBe(3)
    expect(countLinks('no links')).toBe(0)
  })
})
