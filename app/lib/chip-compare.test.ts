import { describe, expect, it } from 'vitest'
import { bestIndexes, buildComparison, escapeHtml, renderComparisonHtml, splitChipSlugs, type ComparableChip } from './chip-compare.ts'

function chip(fields: Partial<ComparableChip> & Pick<ComparableChip, 'slug' | 'name'>): ComparableChip {
  return {
    vendor: 'Acme',
    architecture: null,
    processNode: null,
    memoryGb: null,
    memoryType: null,
    memoryBandwidthGbs: null,
    interconnect: null,
    interconnectBandwidthGbs: null,
    bf16Tflops: null,
    tdpWatts: null,
    launchYear: null,
    exportStatus: 'unrestricted',
    ...fields,
  }
}

const h200 = chip({
  slug: 'h200',
  name: 'H200',
  vendor: 'Nvidia',
  architecture: 'Hopper',
  processNode: 'TSMC 4N',
  memoryGb: 141,
  memoryType: 'HBM3e',
  memoryBandwidthGbs: 4800,
  interconnect: 'NVLink',
  interconnectBandwidthGbs: 900,
  bf16Tflops: 989,
  tdpWatts: 700,
  launchYear: 2024,
  exportStatus: 'approved_for_export',
})
const h100 = chip({
  slug: 'h100',
  name: 'H100',
  vendor: 'Nvidia',
  memoryGb: 80,
  memoryType: 'HBM3',
  memoryBandwidthGbs: 3350,
  interconnectBandwidthGbs: 900,
  bf16Tflops: 989,
  tdpWatts: 400,
  launchYear: 2022,
})
const ascend = chip({
  slug: 'ascend-910b',
  name: 'Ascend 910B',
  vendor: 'Huawei',
  memoryGb: 64,
  memoryType: 'HBM2e',
  launchYear: 2023,
})

function row(comparison: ReturnType<typeof buildComparison>, key: string) {
  const found = comparison.rows.find((r) => r.key === key)
  if (!found) throw new Error(`no row ${key}`)
  return found
}

describe('bestIndexes', () => {
  it('marks the highest figure', () => {
    expect([...bestIndexes([3, 9, 5])]).toEqual([1])
  })
  it('marks every chip that ties for the highest', () => {
    expect([...bestIndexes([9, 2, 9])]).toEqual([0, 2])
  })
  it('ignores unknowns, and ranks nothing when fewer than two chips have the figure', () => {
    expect([...bestIndexes([null, 4, 7])]).toEqual([2])
    expect(bestIndexes([null, 4, null]).size).toBe(0)
    expect(bestIndexes([null, null]).size).toBe(0)
  })
})

describe('buildComparison', () => {
  const comparison = buildComparison([h200, h100, ascend])

  it('keeps the chips in the order given, one cell per chip in every row', () => {
    expect(comparison.chips.map((c) => c.slug)).toEqual(['h200', 'h100', 'ascend-910b'])
    expect(comparison.rows.map((r) => r.key)).toEqual([
      'vendor',
      'architecture',
      'process',
      'memory',
      'bandwidth',
      'interconnect',
      'bf16',
      'tdp',
      'year',
      'status',
    ])
    for (const r of comparison.rows) expect(r.cells).toHaveLength(3)
  })

  it('shows every figure with its unit, and n/a for what is unknown', () => {
    expect(row(comparison, 'memory').cells.map((c) => c.text)).toEqual(['141 GB HBM3e', '80 GB HBM3', '64 GB HBM2e'])
    expect(row(comparison, 'bandwidth').cells.map((c) => c.text)).toEqual(['4.8 TB/s', '3.4 TB/s', 'n/a'])
    expect(row(comparison, 'interconnect').cells.map((c) => c.text)).toEqual(['900 GB/s (NVLink)', '900 GB/s', 'n/a'])
    expect(row(comparison, 'bf16').cells.map((c) => c.text)).toEqual(['989 TFLOPS', '989 TFLOPS', 'n/a'])
    expect(row(comparison, 'tdp').cells.map((c) => c.text)).toEqual(['700 W', '400 W', 'n/a'])
    expect(row(comparison, 'architecture').cells.map((c) => c.text)).toEqual(['Hopper', 'n/a', 'n/a'])
    expect(row(comparison, 'status').cells.map((c) => c.text)).toEqual(['Approved for export', 'Unrestricted', 'Unrestricted'])
  })

  it('marks the best figure per ranked row, ties included, ignoring unknowns', () => {
    const best = (key: string) => row(comparison, key).cells.map((c) => c.best)
    expect(best('memory')).toEqual([true, false, false])
    expect(best('bandwidth')).toEqual([true, false, false])
    expect(best('interconnect')).toEqual([true, true, false])
    expect(best('bf16')).toEqual([true, true, false])
    expect(best('year')).toEqual([true, false, false])
  })

  it('never ranks power or text rows', () => {
    for (const key of ['tdp', 'vendor', 'architecture', 'process', 'status']) {
      const r = row(comparison, key)
      expect(r.ranked).toBe(false)
      expect(r.cells.some((c) => c.best)).toBe(false)
    }
  })

  it('ranks nothing in a row where only one chip has the figure', () => {
    const lonely = buildComparison([h200, ascend])
    expect(row(lonely, 'bandwidth').cells.some((c) => c.best)).toBe(false)
    expect(row(lonely, 'memory').cells.map((c) => c.best)).toEqual([true, false])
  })
})

describe('renderComparisonHtml', () => {
  it('escapes every value and uses classes, never inline styles or scripts', () => {
    const evil = chip({
      slug: 'x1',
      name: '<script>alert(1)</script>',
      vendor: '"><img src=x onerror=alert(1)>',
      memoryGb: 10,
    })
    const html = renderComparisonHtml(buildComparison([evil, h100]), 'Comparison <b>')
    expect(html).not.toMatch(/<script|<img|style=/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('Comparison &lt;b&gt;')
  })

  it('marks the best cells in bold with a text cue', () => {
    const html = renderComparisonHtml(buildComparison([h200, h100]), 'H200 vs H100')
    expect(html).toContain('<td class="num compare-best"><strong>141 GB HBM3e</strong>')
    expect(html).toContain('<span class="visually-hidden"> (best)</span>')
    expect(html).toContain('<a href="/chips/h200">H200</a>')
  })
})

describe('splitChipSlugs', () => {
  it('splits on commas, spaces and newlines, across repeated values', () => {
    expect(splitChipSlugs('h200, h100\nascend-910b')).toEqual(['h200', 'h100', 'ascend-910b'])
    expect(splitChipSlugs(['h200,h100', 'B200', ''])).toEqual(['h200', 'h100', 'b200'])
    expect(splitChipSlugs(' , ')).toEqual([])
  })
})

// The comparison table stored in article bodies is HTML written by hand: every value in it escaped
// (found by mutation testing: removing any one escape left the suite passing).
describe('escaping in the stored comparison table', () => {
  it('escapeHtml escapes each of & < > " and \'', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f')
  })

  it('hostile chip names, vendors and a caption come out as text', () => {
    const hostile = `<img src=x onerror="alert('1')">&amp;`
    const html = renderComparisonHtml(
      buildComparison([chip({ slug: 'chip-a', name: hostile, vendor: hostile, architecture: hostile }), chip({ slug: 'chip-b', name: 'B' })]),
      `Caption ${hostile}`,
    )
    expect(html).not.toContain('<img')
    expect(html).not.toContain(`"alert`)
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;')
    expect(html).toContain('aria-label="Caption &lt;img')
  })
})
