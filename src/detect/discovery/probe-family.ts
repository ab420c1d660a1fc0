/**
 * Host-discovery probe families: what a contact asks is "is this host up?"
 * rather than "is this service open?".
 */
import type { Contact } from '../core/contact.js';
import { isEmptyUdp } from '../port-scan/probe-filter.js';

export type DiscoveryFamily =
  | 'icmp-echo'
  | 'icmp-timestamp'
  | 'icmp-address-mask'
  | 'arp'
  | 'tcp-ack'
  | 'udp-empty';

/** Families whose probes are host discovery only when they stay on a port or two. */
export const portedFamilies: readonly DiscoveryFamily[] = ['tcp-ack', 'udp-empty'];

/**
 * The discovery family of a contact, or undefined when it is not a discovery probe:
 * ICMP echo (8, ICMPv6 128), timestamp (13) and address-mask (17) requests; ARP
 * requests; TCP ACKs out of nowhere (an ACK finds no open port, only a host that
 * answers RST: nmap -PA); UDP datagrams without payload (they can ask no service
 * anything, only draw a port-unreachable: nmap -PU).
 *
 * @example discoveryFamily({ proto: 'icmp', icmpType: 8, … }) // 'icmp-echo'
 */
export function discoveryFamily(c: Contact): DiscoveryFamily | undefined {
  if (c.errorReply) return undefined;
  switch (c.proto) {
    case 'icmp':
      if (c.icmpType === 8 || c.icmpType === 128) return 'icmp-echo';
      if (c.icmpType === 13) return 'icmp-timestamp';
      if (c.icmpType === 17) return 'icmp-address-mask';
      return undefined;
    case 'arp':
      return 'arp';
    case 'tcp':
      return c.flagClass === 'ack' && !c.established ? 'tcp-ack' : undefined;
    case 'udp':
      return isEmptyUdp(c) && c.dstPort >= 0 ? 'udp-empty' : undefined;
    default:
      return undefined;
  }
}
