/**
 * The shape of a detection truth: what a detector must find for one lab
 * action, and which of the lab's artefacts record enough of it to find it.
 * Scenario actions carry it in `expect` (see scans.ts); truth.jsonl keeps it
 * with the placeholders filled in; detect-lab.test.ts checks Picket against it.
 *
 * Example:
 *   expect: { finding: { kind: 'sweep', src: '{src}', targets: { hostCount: 31, portCount: 1, proto: 'tcp' } },
 *             seenBy: ['pcap'], bySource: { pcap: { hostCount: 14, why: '...' } } }
 */
import type { FindingKind } from '../../src/schema/finding.js';

/** The lab artefacts a finding can come from, named by the Finding.sourceKind they give. */
export const LAB_SOURCES = ['pcap', 'netflow', 'firewall', 'sshd'] as const;
export type LabSource = (typeof LAB_SOURCES)[number];

/** The finding the whole action amounts to, in src/schema/finding.ts terms. */
export interface ExpectedFinding {
  kind: FindingKind;
  /** The acting address ('{src}' in scenarios, filled in truth.jsonl). */
  src: string;
  targets: {
    /** Target addresses or the swept prefix. */
    hosts: string[];
    hostCount: number;
    ports: number[];
    portCount: number;
    proto: 'tcp' | 'udp' | 'icmp' | 'mixed';
    service?: string;
    users?: string[];
    userCount?: number;
  };
  /** The tool, as ToolMatch.name would say it. */
  tool?: string;
  /** Sources whose records are enough to name the tool (packets, banners); others cannot tell. */
  toolSeenBy?: LabSource[];
}

/** What one artefact records of the action, where that differs from the whole. */
export interface SourceView {
  /** Kinds a detector may fairly report from this source alone; default [finding.kind]. */
  kinds?: FindingKind[];
  hostCount?: number;
  portCount?: number;
  userCount?: number;
  /** Why this source records what it does (firewall rule, capture point). */
  why: string;
}

/** The detection truth of one action. */
export interface DetectionExpect {
  finding: ExpectedFinding;
  /** The artefacts from which, ALONE, a detector must find it. */
  seenBy: LabSource[];
  /** Every source that records any of it (seenBy and the ones that see too little), with counts. */
  bySource: Partial<Record<LabSource, SourceView>>;
  /**
   * A known, deliberate disagreement with a peer tool on this action, and why
   * (e.g. psad flags a source from fewer firewall lines than Picket needs).
   * The peer comparison tolerates exactly these and prints them.
   */
  peers?: { psad?: string };
}

/** A benign action: nothing may name its source. */
export interface BenignExpect {
  noFinding: true;
}

/** True when an action's expect carries a detection truth. */
export function isDetectionExpect(e: unknown): e is DetectionExpect {
  return typeof e === 'object' && e !== null && 'finding' in e && 'seenBy' in e && 'bySource' in e;
}
