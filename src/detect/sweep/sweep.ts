/**
 * Horizontal sweeps: one source, one port or a few, many hosts (masscan -p22
 * over a /16). State is one probe view per (source, protocol), holding a host
 * counter per port, so the shape rules shared with the port-scan detector can
 * tell a sweep from a block scan (then the port-scan or UDP-scan detector
 * reports it, once).
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { pushCapped } from '../core/finding-util.js';
import { buildScanFinding, describePorts } from '../port-scan/finding.js';
import { isTcpConnectProbe, isUdpProbe } from '../port-scan/probe-filter.js';
import type { PortTally, ProbeView } from '../port-scan/probe-view.js';
import type { ScanShapeConfig } from '../port-scan/scan-config.js';
import { probeViewDetectorParts, recordErrorReply, recordProbe } from '../port-scan/scan-detector.js';
import { scanShape } from '../port-scan/shape.js';
import { ANSWERED_CAP, createTally, FILE_CAP, type Tally, UID_CAP } from '../port-scan/tally.js';

export type SweepConfig = ScanShapeConfig;

/**
 * @example
 * const inst = createSweep(sweepConfigSchema.parse({}), ctx);
 * for (const c of contacts) inst.contact(c);
 * inst.finish();
 */
export function createSweep(cfg: SweepConfig, ctx: DetectorContext): DetectorInstance {
  const { table, lifecycle } = probeViewDetectorParts(cfg, ctx, (key, v) =>
    sweepFinding(key.slice(0, key.lastIndexOf('|')), v, cfg, ctx),
  );
  return {
    contact(c: Contact) {
      if (c.errorReply) {
        // ICMP errors back from a host count as rejections of the source's UDP probes (sent before or after).
        recordErrorReply(table, `${c.src}|udp`, c, cfg);
        return;
      }
      let proto: string;
      if (isTcpConnectProbe(c)) proto = 'tcp';
      else if (isUdpProbe(c)) proto = 'udp';
      else return;
      recordProbe(table, `${c.src}|${proto}`, c, cfg);
    },
    ...lifecycle,
  };
}

/** The sweep finding a source's view holds, or undefined (nothing swept, or it is a block scan). */
export function sweepFinding(
  src: string,
  v: ProbeView,
  cfg: SweepConfig,
  ctx: DetectorContext,
): Finding | undefined {
  const proto = v.protos[0] ?? 'tcp';
  const shape = scanShape(v, cfg, { requireFailing: proto === 'udp' });
  if (shape.block) return undefined;
  // UDP ports that only ever got empty datagrams were pinged, not asked: host discovery reports them.
  const ports = shape.sweptPorts.filter((pt) => pt.empty < pt.contacts);
  if (ports.length === 0) return undefined;
  const merged = mergeTallies(ports, v.all, v.byPort.size === 1);
  const hostSample: string[] = [];
  let hostCount = 0;
  let estimated = false;
  for (const pt of ports) {
    for (const h of pt.hosts.sample()) pushCapped(hostSample, h as string, 32);
    hostCount = Math.max(hostCount, pt.hosts.count());
    estimated ||= pt.hosts.estimated;
  }
  const portList = ports.map((p) => p.port);
  const perPort =
    ports.length > 1 ? ` (${ports.map((p) => `port ${p.port}: ${p.hosts.count()} hosts`).join(', ')})` : '';
  return buildScanFinding({
    kind: 'sweep',
    detector: 'sweep',
    ctx,
    src,
    tally: merged,
    hosts: { sample: hostSample, count: hostCount, estimated },
    ports: { sample: portList, count: portList.length, estimated: false },
    proto,
    discriminator: `${proto}/${portList.join(',')}`,
    what: `${src} sent ${merged.contacts} ${proto} probes to port${ports.length > 1 ? 's' : ''} ${describePorts(portList, portList.length)} on ${hostCount} hosts${perPort}`,
    why: `sweep: ${hostCount} distinct hosts on ${ports.length > 1 ? 'each swept port' : 'one port'} crosses ${proto === 'udp' ? '' : `${cfg.sweepMinHosts} (any outcome) or `}${cfg.sweepMinHostsFailing} with at least ${Math.round(cfg.failingShare * 100)}% failed probes, on at most ${cfg.sweepMaxPorts} ports`,
  });
}

/** The swept ports' counts and evidence as one tally; answered targets and files come from the source's totals. */
function mergeTallies(ports: PortTally[], all: Tally, onlyPort: boolean): Tally {
  const t = createTally();
  // With one port every ICMP error of the source is about it, including errors that came before the probes.
  if (onlyPort) t.errorReplies = all.errorReplies;
  const suffixes = ports.map((p) => `:${p.port}`);
  for (const a of all.answered)
    if (suffixes.some((x) => a.endsWith(x))) pushCapped(t.answered, a, ANSWERED_CAP);
  for (const f of all.files) pushCapped(t.files, f, FILE_CAP);
  for (const p of ports) {
    t.first = Math.min(t.first, p.first);
    t.last = Math.max(t.last, p.last);
    t.contacts += p.contacts;
    if (!onlyPort) t.errorReplies += p.errorReplies;
    for (const k of Object.keys(t.outcomes) as (keyof Tally['outcomes'])[]) t.outcomes[k] += p.outcomes[k];
    for (const u of p.uids) if (t.uids.length < UID_CAP) t.uids.push(u);
  }
  return t;
}
