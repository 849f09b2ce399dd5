// Names that pass for the newsroom. A display name (or username) may not claim a role ("Moe
// Moderator", "ThreadIine Staff", "Admin") or pass for a staff member's name; staff are marked by a
// badge drawn from their role, outside the name, so no name can carry one.
//
// Names are compared by their skeleton: NFKC, format characters and combining marks removed,
// lower case, and look-alike characters folded (digits and symbols that read as letters, Cyrillic and
// Greek letters that look Latin). Good enough to stop the obvious tricks; not a full confusables table.

const LOOKALIKES: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '!': 'l',
  '|': 'l',
  i: 'l',
  '3': 'e',
  '4': 'a',
  '@': 'a',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '8': 'b',
  '9': 'g',
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'l',
  ї: 'l',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
}

/** Words that claim a role or speak for the site. */
export const ROLE_WORDS = [
  'moderator',
  'moderators',
  'mod',
  'mods',
  'modteam',
  'admin',
  'admins',
  'administrator',
  'administrators',
  'sysop',
  'staff',
  'threadline',
  'official',
  'editor',
  'editors',
  'newsroom',
] as const

/** A name's skeleton, words kept apart by single spaces. */
export function nameSkeleton(name: string): string {
  const plain = name
    .normalize('NFKC')
    // Format characters (zero-width joiners, invisible operators, soft hyphens …) and fillers.
    .replace(/[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu, '')
    // Words glued in camel case ("MoeModerator") are still two words; not at a capital I, which
    // stands in for an l ("ThreadIine").
    .replace(/(\p{Ll})((?!I)\p{Lu})/gu, '$1 $2')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
  let folded = ''
  for (const ch of plain) folded += LOOKALIKES[ch] ?? ch
  return folded
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

const roleSkeletons = new Set(ROLE_WORDS.map((w) => nameSkeleton(w)))

/** The role word a name claims, if any. */
export function roleWordIn(name: string): string | null {
  const words = nameSkeleton(name).split(' ')
  const joined = words.join('')
  // Each word, and the name with its separators removed ("m.o.d", "A d m i n").
  for (const word of [...words, joined]) if (roleSkeletons.has(word)) return word
  return null
}

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

/**
 * Whether `name` passes for `other`: the same skeleton once spaces and punctuation are dropped, or
 * one letter away from a name of five letters or more.
 */
export function imitatesName(name: string, other: string): boolean {
  const a = nameSkeleton(name).replace(/ /g, '')
  const b = nameSkeleton(other).replace(/ /g, '')
  if (a === '' || b === '') return false
  if (a === b) return true
  return Math.min(a.length, b.length) >= 5 && levenshtein(a, b, 1) <= 1
}
