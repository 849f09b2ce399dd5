// What a reader who reported a comment without JavaScript sees on the page they come back to: a
// notice set by the action that took the report, for the next page of that story only. An address
// (`?reported=N`, hand-typed or shared) cannot show it, and a duplicate report says so.

export const REPORT_NOTICE_COOKIE = 'threadline_report_notice'

export type ReportNotice = { commentId: number; duplicate: boolean }

const VALUE = /^(\d{1,10})\.(received|duplicate)$/

function cookiePath(slug: string) {
  return `/articles/${slug}`
}

/** The Set-Cookie header the report action sends with its redirect. */
export function setReportNotice({ slug, notice, secure }: { slug: string; notice: ReportNotice; secure: boolean }) {
  const value = `${notice.commentId}.${notice.duplicate ? 'duplicate' : 'received'}`
  return `${REPORT_NOTICE_COOKIE}=${value}; Path=${cookiePath(slug)}; Max-Age=120; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** The Set-Cookie header that ends the notice once a page has shown it. */
export function clearReportNotice({ slug, secure }: { slug: string; secure: boolean }) {
  return `${REPORT_NOTICE_COOKIE}=; Path=${cookiePath(slug)}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** The notice in a request's Cookie header, or null (none, or not one this site wrote). */
export function readReportNotice(cookieHeader: string | null | undefined): ReportNotice | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at === -1 || part.slice(0, at).trim() !== REPORT_NOTICE_COOKIE) continue
    const match = VALUE.exec(part.slice(at + 1).trim())
    if (match) return { commentId: Number(match[1]), duplicate: match[2] === 'duplicate' }
  }
  return null
}

export function reportNoticeText(notice: Pick<ReportNotice, 'duplicate'>) {
  return notice.duplicate
    ? 'You have already reported this comment. The moderators have it.'
    : 'Thanks: your report was received. The moderators will review that comment.'
}
