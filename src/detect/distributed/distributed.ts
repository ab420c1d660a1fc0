/**
 * Distributed scans: many sources, each too quiet to cross a single-source
 * threshold, that together sweep a port or scan a host. Sources are grouped
 * by research-scanner organisation (when the scanner lists are loaded) or by
 * network (/24, /64); each group gets the same probe view and shape rules as
 * one source. A member whose own probes could cross the lower single-source
 * thresholds is "loud": its later probes stay out of the group (the
 * single-source detectors report it), and a group needs at least
 * `minMembers` quiet members, none with more than `maxMemberShare` of its
 * probes.
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { createDistinctCounter, type DistinctCounter } from '../core/distinct.js';
import { buildScanFinding, describePorts } from '../port-scan/finding.js';
import { isTcpConnectProbe, isUdpProbe } from '../port-scan/probe-filter.js';
import { addProbe, createProbeView, type ProbeView } from '../port-scan/probe-view.js';
import { createScanTable } from '../port-scan/scan-table.js';
import { scanShape } from '../port-scan/shape.js';
import type { DistributedConfig } from './config.js';
import { networkLabel } from './group-label.js';

interface Member {
  hosts: Set<string>;
  ports: Set<number>;
  contacts: number;
  loud: boolean;
}

interface GroupState {
  view: ProbeView;
  members: DistinctCounter;
  tracked: Map<string, Member>;
  /** 'network' or 'organisation'. */
  basis: string;
  /** Probes the group took from members before they turned loud (they do not make the group). */
  loudContacts: number;
  bytes: number;
}

const GROUP_BASE_BYTES = 200;
const MEMBER_BYTES = 240;
const MEMBER_ENTRY_BYTES = 48;

/**
 * @example
 * const inst = createDistributed(distributedConfigSchema.parse({}), ctx);
 */
export function createDistributed(cfg: DistributedConfig, ctx: DetectorContext): DetectorInstance {
  let findings = 0;
  const hostCap = Math.min(cfg.sweepMinHosts, cfg.sweepMinHostsFailing);
  const portCap = Math.min(cfg.portScanMinPorts, cfg.portScanMinPortsFailing);
  const table = createScanTable<GroupState>({
    idleSeconds: cfg.idleSeconds,
    maxSpanSeconds: cfg.maxSpanSeconds,
    budgetBytes: ctx.budgetBytes,
    make: () => {
      const view = createProbeView();
      const members = createDistinctCounter({ exactLimit: 1024, sampleLimit: 32 });
      return {
        view,
        members,
        tracked: new Map(),
        basis: 'network',
        loudContacts: 0,
        bytes: GROUP_BASE_BYTES + view.bytes + members.bytes,
      };
    },
    sizeOf: (g) => g.bytes,
    onClose: (key, g) => {
      const f = distributedFinding(key.slice(0, key.lastIndexOf('|')), g, cfg, ctx);
      if (f) {
        findings++;
        ctx.emit(f);
      }
    },
  });
  return {
    contact(c: Contact) {
      let proto: string;
      if (isTcpConnectProbe(c)) proto = 'tcp';
      else if (isUdpProbe(c)) proto = 'udp';
      else return;
      const org = ctx.scannerLabel?.(c.src)?.organisation;
      const key = `${org ?? networkLabel(c.src)}|${proto}`;
      const g = table.get(key, c.ts);
      if (org) g.basis = 'organisation';
      let grow = -g.view.bytes - g.members.bytes;
      g.members.add(c.src);
      let m = g.tracked.get(c.src);
      if (!m && g.tracked.size < cfg.trackMembers) {
        m = { hosts: new Set(), ports: new Set(), contacts: 0, loud: false };
        g.tracked.set(c.src, m);
        grow += MEMBER_BYTES + c.src.length * 2;
      }
      if (m) {
        m.contacts++;
        if (!m.loud) {
          const before = m.hosts.size + m.ports.size;
          if (m.hosts.size < hostCap) m.hosts.add(c.dst);
          if (m.ports.size < portCap) m.ports.add(c.dstPort);
          grow += (m.hosts.size + m.ports.size - before) * MEMBER_ENTRY_BYTES;
          m.loud = m.hosts.size >= hostCap || m.ports.size >= portCap;
          if (m.loud) g.loudContacts += m.contacts - 1;
        }
      }
      // A loud member is a scanner in its own right: the single-source detectors report it.
      if (!m?.loud) addProbe(g.view, c, cfg.trackPorts, cfg.trackHosts);
      grow += g.view.bytes + g.members.bytes;
      g.bytes += grow;
      table.touched(key);
    },
    advance: (now) => table.advance(now),
    finish: () => table.finish(),
    stats: () => table.stats(findings),
  };
}

/** The distributed-scan finding a group holds, or undefined. */
export function distributedFinding(
  label: string,
  g: GroupState,
  cfg: DistributedConfig,
  ctx: DetectorContext,
): Finding | undefined {
  const v = g.view;
  if (v.all.contacts === 0) return undefined;
  let quiet = g.members.count();
  let top = 0;
  for (const m of g.tracked.values()) {
    if (m.loud) quiet--;
    else if (m.contacts > top) top = m.contacts;
  }
  if (quiet < cfg.minMembers || top > cfg.maxMemberShare * v.all.contacts) return undefined;
  const proto = v.protos[0] ?? 'tcp';
  const shape = scanShape(v, cfg, { requireFailing: proto === 'udp' });
  let what: string;
  let hosts = { sample: v.hosts.sample() as string[], count: v.hosts.count(), estimated: v.hosts.estimated };
  let ports = { sample: v.ports.sample() as number[], count: v.ports.count(), estimated: false };
  if (shape.block)
    what = `together probed ${ports.count} ${proto} ports on ${hosts.count} hosts (${shape.block})`;
  else if (shape.sweptPorts.length) {
    const list = shape.sweptPorts.map((p) => p.port);
    const most = Math.max(...shape.sweptPorts.map((p) => p.hosts.count()));
    hosts = { ...hosts, count: most };
    ports = { sample: list, count: list.length, estimated: false };
    what = `together swept ${proto} port${list.length > 1 ? 's' : ''} ${describePorts(list, list.length)} on ${most} hosts`;
  } else if (shape.scannedHosts.length) {
    const ht = shape.scannedHosts[0]!;
    hosts = {
      sample: shape.scannedHosts.map((h) => h.host),
      count: shape.scannedHosts.length,
      estimated: false,
    };
    ports = { sample: ht.ports.sample() as number[], count: ht.ports.count(), estimated: false };
    what = `together probed ${ports.count} ${proto} ports of ${shape.scannedHosts.map((h) => h.host).join(', ')}`;
  } else return undefined;
  // What the quiet members sent must be enough for the crossing by itself (one probe per host or port at least).
  const needed = shape.block
    ? Math.min(cfg.sweepMinHostsFailing, cfg.sweepMinHosts)
    : shape.sweptPorts.length
      ? Math.min(cfg.sweepMinHostsFailing, cfg.sweepMinHosts)
      : Math.min(cfg.portScanMinPortsFailing, cfg.portScanMinPorts);
  if (v.all.contacts - g.loudContacts < needed) return undefined;
  const memberCount = g.members.count();
  return buildScanFinding({
    kind: 'distributed-scan',
    detector: 'distributed',
    ctx,
    src: label,
    tally: v.all,
    hosts,
    ports,
    proto,
    discriminator: proto,
    what: `${memberCount} sources of ${g.basis === 'organisation' ? `the research scanner ${label}` : label} (${quiet} each below the single-source thresholds, the busiest sent ${top} probes) ${what}`,
    why: `distributed scan: the group crosses the single-source shape thresholds (sweep ${cfg.sweepMinHosts}/${cfg.sweepMinHostsFailing} hosts, port scan ${cfg.portScanMinPorts}/${cfg.portScanMinPortsFailing} ports) with at least ${cfg.minMembers} quiet members, none above ${Math.round(cfg.maxMemberShare * 100)}% of the probes`,
    attrs: { basis: g.basis, quietMembers: quiet },
    members: { sample: g.members.sample() as string[], count: memberCount },
  });
}
