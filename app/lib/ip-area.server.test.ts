import { describe, expect, it } from 'vitest'
import { ipArea } from './ip-area.server.ts'

describe('ipArea', () => {
  it('keeps the network of an address and drops the host', () => {
    expect(ipArea('203.0.113.77')).toBe('203.0.113.0/24')
    expect(ipArea('::ffff:198.51.100.9')).toBe('198.51.100.0/24')
    expect(ipArea('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48')
    expect(ipArea('2001:0db8::1')).toBe('2001:db8:0::/48')
    expect(ipArea('::1')).toBe('0:0:0::/48')
  })

  it('says nothing of what is not an address', () => {
    for (const value of ['', 'unknown', '999.1.1.1', undefined, null, '<script>']) expect(ipArea(value)).toBe('')
  })
})
