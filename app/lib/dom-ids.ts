// Element ids that server and client must agree on.
export const commentAnchor = (id: number) => `c${id}`
export const commentBodyId = (id: number) => `c${id}-body`
export const ARTICLE_BODY_ID = 'article-body'
