import { describe, expect, test } from 'vitest'
import { escapeHtml, renderComparisonHtml, buildComparison, type ComparableChip } from './chip-compare.ts'

// The comparison table stored in article bodies is HTML written by hand: every value in it escaped
// (found by mutation testing: removing any one escape left the suite passing).

const chip = (over: Partial<ComparableChip>): ComparableChip => ({
  slug: 'chip-a',
  name: 'Chip A',
  vendor: 'Vendor',
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
  ...over,
})

describe('escaping in the stored comparison table', () => {
  test('escapeHtml escapes each of & < > " and \'', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f')
  })

  test('hostile chip names, vendors and a caption come out as text', () => {
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
