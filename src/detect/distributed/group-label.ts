/**
 * The group a source belongs to for distributed-scan detection: its research
 * scanner organisation when the user's lists name it, else its /24 (IPv4) or
 * /64 (IPv6) network.
 */
import { formatIPv6, parseAddress } from '../../util/ip.js';

/**
 * @example
 * networkLabel('203.0.113.77') // '203.0.113.0/24'
 * networkLabel('2001:db8:1:2:3:4:5:6') // '2001:db8:1:2::/64'
 */
export function networkLabel(addr: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(addr);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const b = addr.includes(':') ? parseAddress(addr) : undefined;
  if (b?.length !== 16) return addr;
  const net = new Uint8Array(16);
  net.set(b.subarray(0, 8));
  return `${formatIPv6(net)}/64`;
}
