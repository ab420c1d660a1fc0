import type { ToolMatch } from '../../schema/finding.js';

/**
 * A tool seen from one source, with what the finding needs: how many probes,
 * requests or alerts matched, when, which targets, and the evidence uids.
 */
export interface ToolSighting extends ToolMatch {
  /** Packets, requests, banners or alerts that matched. */
  count: number;
  /** First and last match, epoch seconds. */
  ts: number;
  lastSeen: number;
  /** Up to 32 target addresses and 64 ports, and how many in all. */
  hosts: string[];
  hostCount: number;
  ports: number[];
  portCount: number;
  /** 'tcp', 'udp', 'icmp', 'http', 'ssh' ... the evidence's protocol. */
  proto: string;
  /** Up to 20 flow/event uids and the files they came from. */
  uids: string[];
  files: string[];
  /**
   * Activity windows merged into this sighting (a source that went idle and
   * came back is concluded once per window), and the match count of the
   * window whose evidence sentence is kept (the most confident, then largest).
   */
  windows?: number;
  evidenceCount?: number;
}

const rank = { high: 3, medium: 2, low: 1 } as const;

/**
 * Folds `b` into `a` (same tool and variant): counts add up, the time span
 * widens, the more confident evidence is kept.
 */
export function mergeSighting(a: ToolSighting, b: ToolSighting): void {
  const aOwn = a.evidenceCount ?? a.count;
  const bOwn = b.evidenceCount ?? b.count;
  a.count += b.count;
  a.windows = (a.windows ?? 1) + (b.windows ?? 1);
  a.ts = Math.min(a.ts, b.ts);
  a.lastSeen = Math.max(a.lastSeen, b.lastSeen);
  const better = rank[b.confidence] - rank[a.confidence];
  if (better > 0 || (better === 0 && bOwn > aOwn)) {
    a.confidence = b.confidence;
    a.evidence = b.evidence;
    a.evidenceCount = bOwn;
  } else a.evidenceCount = aOwn;
  for (const h of b.hosts) if (a.hosts.length < 32 && !a.hosts.includes(h)) a.hosts.push(h);
  for (const p of b.ports) if (a.ports.length < 64 && !a.ports.includes(p)) a.ports.push(p);
  // Without the target sets the union is unknown: the larger side is a lower bound.
  a.hostCount = Math.max(a.hostCount, b.hostCount, a.hosts.length);
  a.portCount = Math.max(a.portCount, b.portCount, a.ports.length);
  for (const u of b.uids) if (a.uids.length < 20 && !a.uids.includes(u)) a.uids.push(u);
  for (const f of b.files) if (a.files.length < 8 && !a.files.includes(f)) a.files.push(f);
}

/** Adds a sighting to a source's list, merging with the same tool and variant. */
export function addSighting(list: ToolSighting[], s: ToolSighting): void {
  const same = list.find((x) => x.name === s.name && x.variant === s.variant);
  if (same) mergeSighting(same, s);
  else list.push(s);
}
