// Element ids that server and client must agree on.
export const commentAnchor = (id: number) => `c${id}`
export const commentBodyId = (id: number) => `c${id}-body`
export const ARTICLE_BODY_ID = 'article-body'
// The places of a shared page that the server splices for a member (components/viewer.tsx).
export const ACCOUNT_SLOT = 'tl-account'
export const NOTICE_SLOT = 'tl-notice'
export const COMMENT_FORM_SLOT = 'tl-comment-form'
/** The JSON block with a member's overlay, spliced into the account slot of their copy. */
export const OVERLAY_DATA_ID = 'tl-viewer-data'
