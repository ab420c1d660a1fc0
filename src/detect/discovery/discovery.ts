/**
 * Host discovery: one source asking many hosts whether they are up, with
 * ICMP echo/timestamp/address-mask requests, ARP requests, or TCP-ACK and
 * empty-UDP pings on a port or two. State per source holds one tally per
 * probe family; a finding is raised when a family reaches enough hosts.
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { createDistinctCounter, type DistinctCounter } from '../core/distinct.js';
import { pushCapped } from '../core/finding-util.js';
import { buildScanFinding } from '../port-scan/finding.js';
import { PortSet } from '../port-scan/port-set.js';
import { scanDetectorParts } from '../port-scan/scan-detector.js';
import {
  ANSWERED_CAP,
  addToTally,
  createTally,
  FILE_CAP,
  mostlyFailing,
  reportedOutcomes,
  Tally,
  tallyBytes,
  UID_CAP,
} from '../port-scan/tally.js';
import type { DiscoveryConfig } from './config.js';
import { type DiscoveryFamily, discoveryFamily, portedFamilies } from './probe-family.js';

class FamilyTally extends Tally {
  readonly hosts: DistinctCounter = createDistinctCounter({ exactLimit: 1024 });
  readonly ports: DistinctCounter = new PortSet(8);
  constructor(readonly family: DiscoveryFamily) {
    super();
  }
}

interface DiscoveryState {
  families: FamilyTally[];
  bytes: number;
}

const STATE_BASE_BYTES = 120;

/**
 * @example
 * const inst = createDiscovery(discoveryConfigSchema.parse({}), ctx);
 * inst.contact({ proto: 'icmp', icmpType: 8, src: '10.0.0.128', dst: '10.0.0.7', … });
 */
export function createDiscovery(cfg: DiscoveryConfig, ctx: DetectorContext): DetectorInstance {
  const { table, lifecycle } = scanDetectorParts<DiscoveryState>(
    cfg,
    ctx,
    () => ({ families: [], bytes: STATE_BASE_BYTES }),
    (s) => s.bytes,
    (src, s) => discoveryFinding(src, s, cfg, ctx),
  );
  return {
    contact(c: Contact) {
      const family = discoveryFamily(c);
      if (!family) return;
      const s = table.get(c.src, c.ts);
      let t = s.families.find((f) => f.family === family);
      if (!t) {
        t = new FamilyTally(family);
        s.families.push(t);
        s.bytes += tallyBytes(t) + t.hosts.bytes + t.ports.bytes;
      }
      const before = t.hosts.bytes + t.ports.bytes;
      s.bytes += addToTally(t, c, false);
      t.hosts.add(c.dst);
      if (c.dstPort >= 0) t.ports.add(c.dstPort);
      s.bytes += t.hosts.bytes + t.ports.bytes - before;
      table.touched(c.src);
    },
    ...lifecycle,
  };
}

/** True when a family's probes reached enough hosts (and, for TCP/UDP pings, stayed on few ports). */
function qualifies(t: FamilyTally, cfg: DiscoveryConfig): boolean {
  if (portedFamilies.includes(t.family) && t.ports.count() > cfg.maxPingPorts) return false;
  const hosts = t.hosts.count();
  if (hosts >= cfg.minHosts) return true;
  return hosts >= cfg.minHostsFailing && mostlyFailing(reportedOutcomes(t), cfg.failingShare);
}

const familyNames: Record<DiscoveryFamily, string> = {
  'icmp-echo': 'ICMP echo requests',
  'icmp-timestamp': 'ICMP timestamp requests',
  'icmp-address-mask': 'ICMP address-mask requests',
  arp: 'ARP requests',
  'tcp-ack': 'TCP ACK pings',
  'udp-empty': 'empty UDP pings',
};

/** The host-discovery finding a source's state holds, or undefined. */
export function discoveryFinding(
  src: string,
  s: DiscoveryState,
  cfg: DiscoveryConfig,
  ctx: DetectorContext,
): Finding | undefined {
  const used = s.families.filter((t) => qualifies(t, cfg));
  if (used.length === 0) return undefined;
  const merged = createTally();
  const hostSample: string[] = [];
  const portSample: number[] = [];
  let hostCount = 0;
  let estimated = false;
  const protos = new Set<string>();
  for (const t of used) {
    merged.first = Math.min(merged.first, t.first);
    merged.last = Math.max(merged.last, t.last);
    merged.contacts += t.contacts;
    merged.errorReplies += t.errorReplies;
    for (const k of Object.keys(merged.outcomes) as (keyof Tally['outcomes'])[])
      merged.outcomes[k] += t.outcomes[k];
    for (const a of t.answered) pushCapped(merged.answered, a, ANSWERED_CAP);
    for (const u of t.uids) if (merged.uids.length < UID_CAP) merged.uids.push(u);
    for (const f of t.files) pushCapped(merged.files, f, FILE_CAP);
    for (const h of t.hosts.sample()) pushCapped(hostSample, h as string, 32);
    for (const p of t.ports.sample()) pushCapped(portSample, p as number, 64);
    hostCount = Math.max(hostCount, t.hosts.count());
    estimated ||= t.hosts.estimated;
    protos.add(t.family === 'arp' ? 'arp' : t.family.slice(0, t.family.indexOf('-')));
  }
  const parts = used.map((t) => {
    const ports = t.ports.count()
      ? ` on port${t.ports.count() > 1 ? 's' : ''} ${t.ports.sample().join(', ')}`
      : '';
    return `${familyNames[t.family]} to ${t.hosts.count()} hosts${ports}`;
  });
  const live = merged.answered.length;
  return buildScanFinding({
    kind: 'host-discovery',
    detector: 'discovery',
    ctx,
    src,
    tally: merged,
    hosts: { sample: hostSample, count: hostCount, estimated },
    ports: { sample: portSample, count: portSample.length, estimated: false },
    proto: protos.size === 1 ? [...protos][0]! : 'mixed',
    discriminator: used.map((t) => t.family).join(','),
    what: `${src} sent ${parts.join(', ')}${live ? `; ${live}${live >= ANSWERED_CAP ? '+' : ''} hosts replied` : ''}`,
    why: `host discovery: ${hostCount} distinct hosts crosses ${cfg.minHosts} (any outcome) or ${cfg.minHostsFailing} with at least ${Math.round(cfg.failingShare * 100)}% failed probes${used.some((t) => portedFamilies.includes(t.family)) ? `; TCP/UDP pings on at most ${cfg.maxPingPorts} ports` : ''}`,
    attrs: Object.fromEntries(used.map((t) => [t.family, t.hosts.count()])),
  });
}
