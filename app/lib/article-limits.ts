// How long an article's parts may be: checked by the authoring forms (app/schemas/authoring.ts), the
// plain-text import and the editor's counters, so a limit is stated once.

export const ARTICLE_LIMITS = {
  title: 200,
  slug: 120,
  standfirst: 400,
  body: 100_000,
  tags: 20,
  tagName: 60,
} as const
