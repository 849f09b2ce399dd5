import net from 'node:net'

/**
 * The network a client address belongs to, coarse enough to name no one: an IPv4 address's /24
 * ("203.0.113.0/24"), an IPv6 address's /48. A member telling their sessions apart needs no more,
 * and a leaked table gives no more away.
 */
export function ipArea(ip: string | null | undefined): string {
  const address = (ip ?? '').trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  if (net.isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`
  if (net.isIPv6(address)) {
    const [head = '', tail = ''] = address.split('::')
    const left = head ? head.split(':') : []
    const right = tail ? tail.split(':') : []
    const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left
    return `${groups
      .slice(0, 3)
      .map((g) => (g || '0').toLowerCase().replace(/^0+(?=.)/, ''))
      .join(':')}::/48`
  }
  return ''
}
