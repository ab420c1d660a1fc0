/**
 * What triage knows about an asset, each statement with where it came from:
 * products that run (with a version when known) and products shown absent.
 * Sources rank inventory > verify > nmap > passive (see docs/triage.md).
 */
import type { EvidenceRef, ProductClaim } from '../../schema/alarm.js';

export const claimSources = ['inventory', 'verify', 'nmap', 'passive'] as const;
export type ClaimSource = (typeof claimSources)[number];

/** A product seen or stated to run on the asset (on `port`, or the host when absent). */
export interface PresenceClaim extends ProductClaim {
  source: ClaimSource;
  port?: number;
  /** When it was seen (epoch seconds), when known. */
  ts?: number;
  evidence: EvidenceRef;
}

/**
 * Evidence that a product is NOT there: the user's statement, or a path every
 * install answers that answered 404/410. Never "we saw nothing".
 */
export interface AbsenceClaim {
  product: string;
  source: ClaimSource;
  port?: number;
  kind: 'statement' | 'fingerprint';
  evidence: EvidenceRef;
}

/**
 * A service seen answering on a port, whatever software it is: an SSH
 * server's version line, an HTTP answer, Nmap's probed service name. Lets a
 * rule that names no product be judged by the service it aims at.
 */
export interface ServiceClaim {
  /** A service id of services.ts: ssh, http, ftp ... */
  service: string;
  port: number;
  source: ClaimSource;
  /** The software as it announced itself, made inert (`OpenSSH_9.2p1 Debian-2`), when it did. */
  software?: string;
  ts?: number;
  evidence: EvidenceRef;
}

/** Everything known about one address. */
export interface AssetKnowledge {
  address: string;
  present: PresenceClaim[];
  absent: AbsenceClaim[];
  /** Ports that answered, with the observation that shows it. */
  openPorts: Map<number, EvidenceRef>;
  /** Services seen answering on a port. */
  services: ServiceClaim[];
  /**
   * TCP ports shown not to answer: reset or left unanswered in the recorded
   * traffic, or closed to Nmap. Read only where no source saw the port answer.
   */
  closedPorts: Map<number, EvidenceRef>;
  /** Supporting observations that prove nothing alone (a home page without a generator tag). */
  notes: EvidenceRef[];
}

export function emptyKnowledge(address: string): AssetKnowledge {
  return {
    address,
    present: [],
    absent: [],
    openPorts: new Map(),
    services: [],
    closedPorts: new Map(),
    notes: [],
  };
}

/** Lower rank wins. */
export function sourceRank(s: ClaimSource): number {
  return claimSources.indexOf(s);
}

/** Merges `more` into `into` (same address). */
export function mergeKnowledge(into: AssetKnowledge, more: AssetKnowledge): AssetKnowledge {
  into.present.push(...more.present);
  into.absent.push(...more.absent);
  for (const [p, e] of more.openPorts) if (!into.openPorts.has(p)) into.openPorts.set(p, e);
  into.services.push(...more.services);
  for (const [p, e] of more.closedPorts) if (!into.closedPorts.has(p)) into.closedPorts.set(p, e);
  into.notes.push(...more.notes);
  return into;
}
