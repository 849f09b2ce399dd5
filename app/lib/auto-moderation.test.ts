import { describe, expect, it } from 'vitest'
import { countLinks, findWatchedWord, readableText, runAutoModeration, type AutoModerationInput, type WatchedWord } from './auto-moderation.ts'
import { shownText } from '#app/test/typed-text.ts'
import { renderMarkdown } from './markdown.ts'

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
    expect(findWatchedWord('antispam', words)).toBeNull()
  })
  it('treats regex characters literally', () => {
    expect(findWatchedWord('a.b', [{ word: 'a.b', action: 'hold' }])).not.toBeNull()
    expect(findWatchedWord('axb', [{ word: 'a.b', action: 'hold' }])).toBeNull()
  })
})

// Watched words are looked for in what readers read: the rendered comment's text, whatever
// invisible characters, Markdown or character references were used to break a word up. Generated
// over every watched word below, every position in it, and every invisible character Unicode has.
describe('watched words, as readers read them', () => {
  const watched: WatchedWord[] = [
    { word: 'spam', action: 'hold' },
    { word: 'scamcoin', action: 'reject' },
    { word: 'crypto scam', action: 'reject' },
    { word: 'café', action: 'hold' },
    { word: 'AT&T', action: 'hold' },
  ]
  /** What the pipeline decides for a comment typed as `body`, rendered as the model stores it. */
  const verdictFor = (body: string, words: readonly WatchedWord[] = watched) =>
    runAutoModeration({ ...base, body, html: renderMarkdown(body, 'comment'), watchedWords: words, member: { ...base.member } })
  const caughtBy = (body: string, entry: WatchedWord) => {
    const verdict = verdictFor(body, [entry])
    return verdict.action !== 'publish' && verdict.rule === 'watched-word' && verdict.detail === entry.word
  }
  // Every code point Unicode calls default-ignorable (shown as nothing) or a format character.
  const invisibles: string[] = []
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue
    const c = String.fromCodePoint(cp)
    if (/\p{Default_Ignorable_Code_Point}|\p{Cf}/u.test(c)) invisibles.push(c)
  }
  const named = [
    '\u2062',
    '\u034F',
    '\u180E',
    '\u200B',
    '\u200C',
    '\u200D',
    '\u2060',
    '\uFEFF',
    '\u00AD',
    '\u061C',
    '\u200E',
    '\u202E',
    '\u2066',
    '\uFE0F',
    '\u{E0100}',
    '\u115F',
    '\u1160',
    '\u3164',
    '\uFFA0',
    '\u{E0041}',
    '\u{1D173}',
  ]
  const insertAt = (word: string, i: number, what: string) => [...word].slice(0, i).join('') + what + [...word].slice(i).join('')

  it('knows every invisible character the issue names, among thousands', () => {
    expect(invisibles.length).toBeGreaterThan(4000)
    for (const c of named) expect(invisibles).toContain(c)
  })

  it('sees through any invisible character at any position of any watched word', () => {
    for (const entry of watched) {
      const length = [...entry.word].length
      for (const c of invisibles) {
        for (let i = 0; i <= length; i++) {
          const text = `Look: ${insertAt(entry.word, i, c)} here`
          if (findWatchedWord(text, [entry]) !== entry) expect.fail(`${entry.word} with U+${c.codePointAt(0)!.toString(16)} at ${i}`)
        }
      }
    }
  })

  it('holds or rejects a comment with invisible characters in a watched word, through the renderer', () => {
    for (const entry of watched) {
      const length = [...entry.word].length
      invisibles.forEach((c, n) => {
        // Every character, each at one of the word's positions in turn; the named ones at all of them.
        const positions = named.includes(c) ? Array.from({ length: length + 1 }, (_, i) => i) : [n % (length + 1)]
        for (const i of positions) {
          const body = `Look: ${insertAt(entry.word, i, c)} here`
          if (!caughtBy(body, entry)) expect.fail(`${entry.word} with U+${c.codePointAt(0)!.toString(16)} at ${i}`)
        }
      })
      // All of them at once, between every two letters.
      expect(caughtBy([...entry.word].join(named.join('')), entry), entry.word).toBe(true)
    }
  })

  it('sees a word split by Markdown inside it as the one word readers see', () => {
    let shownWhole = 0
    for (const entry of watched) {
      const letters = [...entry.word]
      const forms: string[] = [`_${entry.word}_`, `__${entry.word}__`, `*${entry.word}*`, `[${entry.word}](https://example.com/)`]
      for (let i = 1; i < letters.length; i++) {
        const [head, tail] = [letters.slice(0, i).join(''), letters.slice(i).join('')]
        for (const [open, close] of [
          ['**', '**'],
          ['*', '*'],
          ['_', '_'],
          ['__', '__'],
          ['`', '`'],
          ['[', '](https://example.com/)'],
        ]) {
          forms.push(`${head}${open}${tail}${close}`, `${open}${head}${close}${tail}`)
        }
        forms.push(`**${head}***${tail}*`, `*${head}***${tail}**`)
      }
      for (const form of forms) {
        // Only where the Markdown took effect does a reader see the word whole: those must be caught.
        // ("sp_am_" stays as typed, underscores and all, and so does "AT**&T**".)
        const shown = shownText(renderMarkdown(`Look: ${form} here`, 'comment'))
        if (!shown.includes(`Look: ${entry.word} here`)) continue
        shownWhole++
        expect(caughtBy(`Look: ${form} here`, entry), form).toBe(true)
      }
    }
    expect(shownWhole).toBeGreaterThan(150)
    // The words of a phrase, each emphasised its own way, or broken over lines.
    expect(caughtBy('_crypto_ **scam**', watched[2]!)).toBe(true)
    expect(caughtBy('crypto\nscam', watched[2]!)).toBe(true)
  })

  it('reads a watched word written with character references, in text, emphasis and code', () => {
    const spam = watched[0]!
    for (const body of ['&#115;pam', '&#x73;&#x70;&#x61;&#x6D;', 'sp&shy;am', 'sp&#8203;am', 's&zwj;p&zwnj;a&#x2062;m', '**&#115;pa**m', '`&#115;pam`']) {
      expect(caughtBy(body, spam), body).toBe(true)
    }
    // A word with "&" in it is found where the page shows it (the HTML holds "&amp;").
    expect(caughtBy('Call AT&T now', watched[4]!)).toBe(true)
    expect(caughtBy('Call AT&amp;T now', watched[4]!)).toBe(true)
  })

  it('finds a watched word in where a link leads, not only in its text', () => {
    const scamcoin = watched[1]!
    expect(caughtBy('[a good investment](https://scamcoin.example/)', scamcoin)).toBe(true)
    expect(caughtBy('[a good investment](https://example.com/%73camcoin)', scamcoin)).toBe(true)
    expect(caughtBy('[a good investment](https://example.com/scamcoinage)', scamcoin)).toBe(false)
    // The links the site adds (chip mentions) are not the member's words.
    const chips: WatchedWord = { word: 'chips', action: 'hold' }
    const html = '<p>The <a href="/chips/h200" class="chip-mention" data-chip="h200">H200</a> again</p>'
    expect(runAutoModeration({ ...base, body: 'The H200 again', html, watchedWords: [chips] })).toEqual({ action: 'publish' })
  })

  it('never matches a watched word inside a longer word, however the longer word is written', () => {
    for (const entry of watched) {
      const word = entry.word
      for (const [before, after] of [
        ['anti', ''],
        ['', 'mer'],
        ['', 's'],
        ['x', 'x'],
        ['1', ''],
        ['', '2'],
        ['é', ''],
        ['', 'ß'],
        ['д', ''],
        ['中', ''],
        ['ａ', ''],
        ['', 'ｚ'],
      ] as const) {
        for (const body of [
          `${before}${word}${after}`,
          `${before}**${word}**${after}`,
          `**${before}**${word}${after}`,
          `${before}\`${word}\`${after}`,
          `${before}\u200B${word}\u2060${after}`,
          `${before}&#8203;${word}${after}`,
        ]) {
          expect(verdictFor(`Look: ${body} here`, [entry]), `${entry.word}: ${JSON.stringify(body)}`).toEqual({ action: 'publish' })
        }
      }
    }
    expect(verdictFor('antispam measures')).toEqual({ action: 'publish' })
  })

  it('renders the body itself when the caller does not pass the stored HTML, and reads the HTML when it does', () => {
    expect(runAutoModeration({ ...base, body: 'scam**coin**', watchedWords: watched })).toMatchObject({ action: 'reject', detail: 'scamcoin' })
    expect(runAutoModeration({ ...base, body: 'harmless', html: '<p>spam</p>', watchedWords: watched })).toMatchObject({ action: 'hold', detail: 'spam' })
  })
})

describe('readableText', () => {
  it('is the text a browser shows, with blocks on lines of their own, then where the links lead', () => {
    const lines = (html: string) => readableText(html).split('\n').filter(Boolean)
    expect(lines('<p>scam<strong>coin</strong> &amp; <code>x&lt;y</code></p>\n<ul><li>a</li><li>b</li></ul><p>c<br>d</p>')).toEqual([
      'scamcoin & x<y',
      'a',
      'b',
      'c',
      'd',
    ])
    expect(readableText('<p><a href="https://example.com/%C3%A9">here</a></p>')).toBe('\nhere\n\nhttps://example.com/é')
    // Protocol-relative addresses lead off the site: their words are the member's to answer for.
    expect(readableText('<p><a href="//scam.example">a</a> <a href="/\\scam.example">b</a> <a href="/chips/h200">c</a></p>')).toBe(
      '\na b c\n\n//scam.example\n/\\scam.example',
    )
  })
})

describe('countLinks', () => {
  it('counts bare and Markdown links', () => {
    expect(countLinks('see https://a.example and [b](https://b.example) and www.c.example')).toBe(3)
    expect(countLinks('no links')).toBe(0)
    expect(countLinks('[a](//a.example) [b]( <//b.example>) [c](/\\c.example) [ours](/chips/h200)')).toBe(3)
  })
})
