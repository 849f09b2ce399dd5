import { describe, expect, it } from 'vitest'
import { imitatesName, nameSkeleton, ROLE_WORDS, roleWordIn } from './name-rules.ts'

// Disguises a person can put on a word, each applied to every role word (and combined), so the rule
// is shown for the class, not for "Moe Moderator" alone.
const disguises: Record<string, (word: string) => string> = {
  plain: (w) => w,
  capitalised: (w) => w[0]!.toUpperCase() + w.slice(1),
  shouted: (w) => w.toUpperCase(),
  'zero for o, one for l or i': (w) => w.replace(/o/g, '0').replace(/[li]/g, '1'),
  'dollar for s, at for a, three for e': (w) => w.replace(/s/g, '$').replace(/a/g, '@').replace(/e/g, '3'),
  'capital I for l': (w) => w.replace(/l/g, 'I'),
  'rn for m': (w) => w.replace(/m/g, 'rn'),
  'fullwidth letters (NFKC)': (w) => [...w].map((c) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41)).join(''),
  'mathematical bold (NFKC)': (w) => [...w].map((c) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0x1d41a)).join(''),
  'zero-width joiners between letters': (w) => [...w].join('\u200d'),
  'invisible times and soft hyphens': (w) => [...w].join(w.length % 2 ? '\u2062' : '\u00ad'),
  'combining grapheme joiner and accents': (w) => [...w].map((c) => `${c}\u034f\u0301`).join(''),
  'Cyrillic look-alikes': (w) => w.replace(/a/g, 'а').replace(/o/g, 'о').replace(/e/g, 'е').replace(/c/g, 'с').replace(/p/g, 'р'),
  'Greek look-alikes': (w) => w.replace(/o/g, 'ο').replace(/a/g, 'α'),
  'spaced letters': (w) => [...w].join(' '),
  'dotted letters': (w) => [...w].join('.'),
}

const frames: Record<string, (word: string) => string> = {
  alone: (w) => w,
  'after a name': (w) => `Moe ${w}`,
  'before a name': (w) => `${w} Ada`,
  'glued in camel case': (w) => `Moe${w[0]!.toUpperCase()}${w.slice(1)}`,
  'between underscores': (w) => `the_${w}_x`,
  'in brackets': (w) => `Sam (${w})`,
}

describe('role words in names', () => {
  for (const word of ROLE_WORDS) {
    for (const [disguise, apply] of Object.entries(disguises)) {
      // Spacing a word out and framing it in other words is a different case; keep those alone.
      const frameEntries = disguise.includes('spaced') || disguise.includes('dotted') ? [['alone', frames.alone!] as const] : Object.entries(frames)
      for (const [frame, put] of frameEntries) {
        if (frame === 'glued in camel case' && disguise !== 'plain') continue
        const name = put(apply(word))
        it(`refuses ${word}, ${disguise}, ${frame}: ${JSON.stringify(name)}`, () => {
          expect(roleWordIn(name)).not.toBeNull()
        })
      }
    }
  }

  it.each([
    'Sam Reader',
    'Priya Raman',
    'Modesty Blaise',
    'Administrative Law Fan',
    'Stafford Beer',
    'Editorial Eye',
    'Officially Curious',
    'Thread Lines',
    'Ada Lovelace',
    'Jürgen Müller',
    'Zoë 李',
    '😀 Emoji Fan',
  ])('lets %j through', (name) => {
    expect(roleWordIn(name)).toBeNull()
  })
})

describe('names that pass for another', () => {
  const staff = ['Moe Moderator', 'Priya Raman', 'Ada Admin', 'editor']
  const lookalikes = (name: string) => [
    name,
    name.toUpperCase(),
    name.replace(/ /g, ''),
    name.replace(/ /g, '_'),
    name.replace(/a/g, 'а'),
    name.replace(/o/g, '0').replace(/i/g, '1'),
    [...name].join('\u200b'),
    `${name}.`,
    name.normalize('NFD').replace(/a/g, 'á'),
  ]
  for (const original of staff) {
    for (const copy of lookalikes(original)) {
      it(`${JSON.stringify(copy)} passes for ${JSON.stringify(original)}`, () => {
        expect(imitatesName(copy, original)).toBe(true)
      })
    }
  }

  it('counts one changed letter in a longer name as passing for it', () => {
    expect(imitatesName('Priya Ramen', 'Priya Raman')).toBe(true)
    expect(imitatesName('Priya Raman2', 'Priya Raman')).toBe(true)
  })

  it.each([
    ['Priya Patel', 'Priya Raman'],
    ['Sam Reader', 'Ada Admin'],
    ['edit', 'editor'],
    ['Bob', 'Rob'],
  ])('%j does not pass for %j', (name, other) => {
    expect(imitatesName(name, other)).toBe(false)
  })

  it('keeps words apart in the skeleton', () => {
    expect(nameSkeleton('  Moe\u200dModerator?? ')).toBe('moe moderator')
  })
})
