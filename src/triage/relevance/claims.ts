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

/** Everything known about one address. */
export interface AssetKnowledge {
  address: string;
  present: PresenceClaim[];
  absent: AbsenceClaim[];
  /** Ports that answered, with the observation that shows it. */
  openPorts: Map<number, EvidenceRef>;
  /** Supporting observations that prove nothing alone (a home page without a generator tag). */
  notes: EvidenceRef[];
}

export function emptyKnowledge(address: string): AssetKnowledge {
  return { address, present: [], absent: [], openPorts: new Map(), notes: [] };
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
  into.notes.push(...more.notes);
  return into;
}
