import { describe, expect, it } from 'vitest'
import { formatBandwidth, formatDate, formatFigure, formatMemory, formatText, pluralize } from './format.ts'

describe('figures', () => {
  it('shows unknown figures as n/a, never as zero', () => {
    expect(formatFigure(null, 'W')).toBe('n/a')
    expect(formatBandwidth(null)).toBe('n/a')
    expect(formatMemory(null, null)).toBe('n/a')
    expect(formatText('')).toBe('n/a')
  })

  it('gives each figure its unit', () => {
    expect(formatFigure(989, 'TFLOPS')).toBe('989 TFLOPS')
    expect(formatFigure(1307.4, 'TFLOPS')).toBe('1,307.4 TFLOPS')
    expect(formatBandwidth(400)).toBe('400 GB/s')
    expect(formatBandwidth(4800)).toBe('4.8 TB/s')
    expect(formatBandwidth(3350)).toBe('3.4 TB/s')
    expect(formatMemory(141, 'HBM3e')).toBe('141 GB HBM3e')
    expect(formatMemory(null, 'HBM2e')).toBe('HBM2e')
  })
})

describe('text', () => {
  it('formats dates in UTC so server and browser agree', () => {
    expect(formatDate(new Date('2026-10-14T23:30:00Z'))).toBe('14 October 2026')
    expect(formatDate('2026-01-02')).toBe('2 January 2026')
  })

  it('pluralizes counts', () => {
    expect(pluralize(0, 'comment')).toBe('0 comments')
    expect(pluralize(1, 'comment')).toBe('1 comment')
    expect(pluralize(1200, 'reply', 'replies')).toBe('1,200 replies')
  })
})
