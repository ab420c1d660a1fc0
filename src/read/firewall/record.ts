/**
 * The raw record of every firewall format (iptables/nftables LOG, UFW, pf
 * filterlog, Cisco ASA/PIX), and the prefix → action rule.
 */
import type { LogRecordBase } from '../syslog/types.js';

export type FirewallAction = 'allowed' | 'denied' | 'unknown';

/** What the line reports: a packet decision, a connection built or torn down, a translation, a rate drop. */
export type FirewallKind = 'packet' | 'conn-open' | 'conn-close' | 'nat' | 'rate' | 'other';

export interface FirewallRecord extends LogRecordBase {
  reader: 'firewall';
  format: 'iptables' | 'ufw' | 'pf' | 'asa';
  kind: FirewallKind;
  action: FirewallAction;
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  /** Lowercase name ('tcp') or number as text. */
  proto?: string;
  /** iptables log prefix, ASA message id, pf rule number. */
  rule?: string;
  inIface?: string;
  outIface?: string;
  bytes?: number;
  /** Source-specific extras (TTL, TCP flags, ICMP type/code, ASA verb, reason...). */
  attrs: Record<string, string | number>;
}

/**
 * allowed / denied / unknown from a log prefix by its words, e.g.
 * 'PICKET-DENY' → denied, 'SFW2-INext-ACC-TCP' → allowed, '[UFW AUDIT]' → unknown.
 */
export function actionFromPrefix(
  prefix: string,
  denyWords: readonly string[],
  allowWords: readonly string[],
): FirewallAction {
  const words = prefix.toUpperCase().split(/[^A-Z0-9]+/);
  for (const w of words) if (w && denyWords.includes(w)) return 'denied';
  for (const w of words) if (w && allowWords.includes(w)) return 'allowed';
  return 'unknown';
}

/** Lowercase protocol name; numbers stay as text. */
export function protoName(p: string): string {
  return p.toLowerCase();
}

/** A port number from text, or undefined when not 0..65535. */
export function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
