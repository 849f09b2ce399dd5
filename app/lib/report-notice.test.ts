import { describe, expect, it } from 'vitest'
import { clearReportNotice, readReportNotice, reportNoticeText, setReportNotice } from './report-notice.ts'

describe('report notice', () => {
  it('reads back what the action set, for that story only', () => {
    const header = setReportNotice({ slug: 'a-story', notice: { commentId: 12, duplicate: false }, secure: false })
    expect(header).toContain('Path=/articles/a-story;')
    expect(header).toContain('HttpOnly')
    const value = header.split(';')[0]!
    expect(readReportNotice(`other=1; ${value}`)).toEqual({ commentId: 12, duplicate: false })
    expect(readReportNotice(setReportNotice({ slug: 'a', notice: { commentId: 3, duplicate: true }, secure: true }).split(';')[0])).toEqual({
      commentId: 3,
      duplicate: true,
    })
  })

  it.each([undefined, '', 'threadline_report_notice=', 'threadline_report_notice=12', 'threadline_report_notice=x.received', 'other=12.received'])(
    'finds no notice in %j',
    (header) => {
      expect(readReportNotice(header)).toBeNull()
    },
  )

  it('clears with an expired cookie on the same path', () => {
    expect(clearReportNotice({ slug: 'a-story', secure: false })).toMatch(/^threadline_report_notice=; Path=\/articles\/a-story; Max-Age=0/)
  })

  it('says a duplicate is a duplicate', () => {
    expect(reportNoticeText({ duplicate: true })).toContain('already reported')
    expect(reportNoticeText({ duplicate: false })).toContain('your report was received')
  })
})
