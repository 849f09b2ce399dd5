// Shared by the search model (which asks Postgres for snippets) and the page (which renders them).
export const MAX_QUERY_LENGTH = 200
/** Snippet markers: private-use characters no story contains, turned into <mark> by the page. */
export const MARK_START = '\uE000'
export const MARK_END = '\uE001'
