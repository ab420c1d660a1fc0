/**
 * What the behavioural detectors read: a Contact is one attempt by one source
 * to reach one target (a capture flow, a NetFlow record pair, a firewall deny,
 * a Zeek conn record), and an AuthAttempt is one login try (an sshd line, an
 * HTTP 401). Every source kind is mapped to these two shapes, so the same
 * detector runs on a capture, on NetFlow or on a firewall log alone.
 */
import type { Event, SourceKind } from '../../schema/event.js';
import type { ProbeOutcome } from '../../schema/finding.js';

/** The scan flag class of an originator's TCP flags (see `tcpFlagClass`). */
export type FlagClass = 'syn' | 'null' | 'fin' | 'xmas' | 'ack' | 'maimon' | 'other';

export type ContactProto = 'tcp' | 'udp' | 'icmp' | 'arp' | 'other';

/**
 * One contact from `src` to `dst`.
 *
 * @example
 * const c: Contact = { ts: 1795432331, end: 1795432331, src: '10.99.1.66', dst: '10.99.0.23',
 *   proto: 'tcp', srcPort: 52331, dstPort: 22, outcome: 'blocked', established: false,
 *   flagClass: 'syn', sourceKind: 'firewall', format: 'iptables', uid: 'L0aru4ht03o517z' };
 */
export interface Contact {
  /** First packet, epoch seconds. */
  ts: number;
  /** Last packet (= ts when unknown). */
  end: number;
  src: string;
  dst: string;
  proto: ContactProto;
  /** -1 when the protocol has no ports (ICMP, ARP) or the source does not say. */
  srcPort: number;
  dstPort: number;
  outcome: ProbeOutcome;
  /** The TCP handshake completed (or, without TCP, both sides sent). */
  established: boolean;
  /** Originator's TCP flags as a scan class, when the source records flags. */
  flagClass?: FlagClass;
  /** ICMP type of the originator's packets (8 echo request, 13 timestamp ...). */
  icmpType?: number;
  /**
   * An ICMP error (unreachable, time exceeded) that `dst` sent back to `src`
   * about an earlier packet of src's: a rejection notice, not a probe.
   */
  errorReply?: boolean;
  /** Packets and payload bytes per direction; -1 when the source does not say. */
  origPkts: number;
  respPkts: number;
  origBytes: number;
  respBytes: number;
  /** Application protocol recognised ('ssh', 'http' ...), '' when none. */
  service: string;
  sourceKind: SourceKind;
  /** Concrete format ('pcap', 'iptables', 'nfdump-csv', 'zeek-conn' ...). */
  format: string;
  /** The flow uid or event uid this contact rests on (evidence). */
  uid: string;
  /** File the record came from, when known. */
  file?: string;
}

/** One login try against a service. */
export interface AuthAttempt {
  ts: number;
  src: string;
  /** The server, when the log names it (sshd lines usually do not). */
  dst?: string;
  dstPort?: number;
  /** 'ssh', 'http', 'ftp' ... */
  service: string;
  user?: string;
  result: 'failure' | 'success' | 'invalid-user';
  sourceKind: SourceKind;
  format: string;
  uid: string;
  file?: string;
  /** The host that logged it (syslog HOSTNAME), to tell servers apart when dst is unknown. */
  host?: string;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;
const URG = 0x20;

/**
 * Scan class of the flags an originator sent (one packet's, or the OR of all
 * of them as NetFlow keeps). RST alone is 'other': it ends connections, it
 * does not probe.
 *
 * @example
 * tcpFlagClass(0x29) // 'xmas' (FIN PSH URG)
 */
export function tcpFlagClass(flags: number): FlagClass {
  const f = flags & 0x3f;
  if (f & SYN) return 'syn';
  if (f === 0) return 'null';
  if (f & RST) return 'other';
  if (f === FIN) return 'fin';
  if ((f & (FIN | PSH | URG)) === (FIN | PSH | URG) && !(f & ACK)) return 'xmas';
  if (f === (FIN | ACK)) return 'maimon';
  if (f === ACK) return 'ack';
  return 'other';
}

/** Bits of pf's one-letter flag codes (F S R P A U E W) and tcpdump's '.' for ACK. */
const letterBits: Record<string, number> = {
  F: FIN,
  S: SYN,
  R: RST,
  P: PSH,
  A: ACK,
  '.': ACK,
  U: URG,
  E: 0x40,
  W: 0x80,
};

/**
 * TCP flag bits from the way a firewall log writes them: netfilter's words
 * ('SYN', 'FIN URG PSH'; other words such as 'DF' or 'CE' are ignored), ASA's
 * ('SYN ACK', 'RST', 'FIN PSH ACK'), pf's compact letters ('S', 'SA', 'FPU',
 * 'SEW') and nfdump's positional form ('...A..S.', 'UAPRSF' columns).
 *
 * @example
 * tcpFlagsFromWords('FIN URG PSH') // 0x29
 * tcpFlagsFromWords('SA')          // 0x12
 */
export function tcpFlagsFromWords(words: string): number {
  let f = 0;
  for (const w of words.split(/[\s,|]+/)) {
    if (w === '') continue;
    const u = w.toUpperCase();
    switch (u) {
      case 'FIN':
        f |= FIN;
        break;
      case 'SYN':
        f |= SYN;
        break;
      case 'RST':
        f |= RST;
        break;
      case 'PSH':
        f |= PSH;
        break;
      case 'ACK':
        f |= ACK;
        break;
      case 'URG':
        f |= URG;
        break;
      case 'ECE':
        f |= 0x40;
        break;
      case 'CWR':
        f |= 0x80;
        break;
      default:
        f |= compactFlags(u);
    }
  }
  return f;
}

/**
 * A word made only of flag letters ('SA', 'FPU', 'S.'); 0 for any other word
 * ('DF', 'CE'). In nfdump's eight columns ('...A..S.') a dot is an empty
 * column; elsewhere it is tcpdump's ACK.
 */
function compactFlags(w: string): number {
  if (w.length > 8) return 0;
  const positional = w.length === 8;
  let f = 0;
  for (let i = 0; i < w.length; i++) {
    const ch = w[i]!;
    // 'C' (CWR) only in nfdump's columns: netfilter's bare 'CE' is the IP congestion mark.
    const bit = positional && ch === 'C' ? 0x80 : letterBits[ch];
    if (bit === undefined) return 0;
    if (ch !== '.' || !positional) f |= bit;
  }
  return f;
}

// Helpers the event mappers (from-event.ts, netflow-pair.ts) share.

/** ICMP types that report on someone else's packet (as in from-flow.ts). */
const ICMP_ERRORS = new Set([3, 5, 11, 12]);
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);

/** A number attribute, or undefined when absent or not a finite number. */
export function attrNumber(e: Event, key: string): number | undefined {
  const v = e.attrs?.[key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v !== '' && v.length < 32) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A text attribute, or undefined. */
export function attrText(e: Event, key: string): string | undefined {
  const v = e.attrs?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Contact protocol from an Event's `proto` text ('tcp', 'icmp6', '58' ...). */
export function contactProto(p: string | undefined): ContactProto {
  switch (p?.toLowerCase()) {
    case 'tcp':
    case '6':
      return 'tcp';
    case 'udp':
    case '17':
      return 'udp';
    case 'icmp':
    case 'icmp6':
    case 'icmpv6':
    case 'ipv6-icmp':
    case '1':
    case '58':
      return 'icmp';
    case 'arp':
      return 'arp';
    default:
      return 'other';
  }
}

/** True when an ICMP type (of an IPv6 address's packet when `v6`) reports an error about another packet. */
export function isIcmpError(type: number, v6: boolean): boolean {
  return (v6 ? ICMP6_ERRORS : ICMP_ERRORS).has(type);
}

/**
 * Upper bound of the payload in `bytes` of IP traffic over `pkts` packets:
 * minimal IP + transport headers (and `linkBytes` per packet, for sensors
 * that count the Ethernet header) taken off; TCP options stay counted.
 * -1 when either count is unknown.
 */
export function payloadEstimate(
  bytes: number | undefined,
  pkts: number | undefined,
  proto: ContactProto,
  v6: boolean,
  linkBytes = 0,
): number {
  if (bytes === undefined || pkts === undefined || bytes < 0 || pkts < 0) return -1;
  const ip = linkBytes + (v6 ? 40 : 20);
  const l4 = proto === 'tcp' ? 20 : proto === 'udp' || proto === 'icmp' ? 8 : 0;
  return Math.max(0, bytes - pkts * (ip + l4));
}
