/**
 * Which contacts the connection-scan detectors (sweep, port scan, UDP scan,
 * distributed) count as probes. Flag probes (NULL, FIN, Xmas, ACK, Maimon)
 * belong to the flag-scan detector and ICMP/ARP to discovery, so a probe is
 * counted by one family only.
 */
import type { Contact } from '../core/contact.js';

/** A TCP or UDP contact that carried application data both ways over an established session. */
export function isSession(c: Contact): boolean {
  return c.established && (c.origBytes > 0 || c.respBytes > 0);
}

/**
 * A TCP connection attempt: SYN (or flags unknown, as in most NetFlow-less
 * logs) and not a session that carried data. Half-open probes answered with
 * SYN-ACK, refused ones, dropped ones and connect-scan handshakes without
 * data all count.
 *
 * @example isTcpConnectProbe({ proto: 'tcp', flagClass: 'syn', established: false, … }) // true
 */
export function isTcpConnectProbe(c: Contact): boolean {
  if (c.proto !== 'tcp' || c.errorReply) return false;
  if (c.flagClass !== undefined && c.flagClass !== 'syn') return false;
  return !isSession(c);
}

/** A UDP datagram exchange started by `src` (answered or not; ICMP errors are separate contacts). */
export function isUdpProbe(c: Contact): boolean {
  return c.proto === 'udp' && !c.errorReply && c.dstPort >= 0;
}

/** A UDP probe without payload: it can ask no service anything, only draw an ICMP error (a UDP ping). */
export function isEmptyUdp(c: Contact): boolean {
  return c.proto === 'udp' && c.origBytes === 0;
}
