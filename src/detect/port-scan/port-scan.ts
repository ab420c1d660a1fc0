/**
 * Port scans (one source, many ports on one or two hosts) and block scans
 * (many ports on many hosts) over TCP connection probes. The rule that keeps
 * a block scan one finding lives in shape.ts and is shared with the sweep
 * detector.
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { buildScanFinding, describePorts } from './finding.js';
import { isTcpConnectProbe } from './probe-filter.js';
import type { ProbeView } from './probe-view.js';
import type { ScanShapeConfig } from './scan-config.js';
import { probeViewDetectorParts, recordProbe } from './scan-detector.js';
import { scanShape } from './shape.js';

export type PortScanConfig = ScanShapeConfig;

/**
 * @example
 * const inst = createPortScan(portScanConfigSchema.parse({}), ctx);
 * inst.contact(c); inst.finish();
 */
export function createPortScan(cfg: PortScanConfig, ctx: DetectorContext): DetectorInstance {
  const { table, lifecycle } = probeViewDetectorParts(cfg, ctx, (src, v) =>
    verticalFindings(src, v, cfg, ctx),
  );
  return {
    contact(c: Contact) {
      if (c.errorReply) {
        // An ICMP error only matters for a source already probing; it never starts a state.
        return;
      }
      if (!isTcpConnectProbe(c)) return;
      recordProbe(table, c.src, c, cfg);
    },
    ...lifecycle,
  };
}

/** The port-scan and block-scan findings one source's view holds (none when it is a sweep or nothing). */
export function verticalFindings(
  src: string,
  v: ProbeView,
  cfg: PortScanConfig,
  ctx: DetectorContext,
  detector = 'port-scan',
  proto = 'tcp',
): Finding[] {
  const shape = scanShape(v, cfg);
  if (shape.block) {
    const hostCount = v.hosts.count();
    const portCount = v.ports.count();
    return [
      buildScanFinding({
        kind: 'block-scan',
        detector,
        ctx,
        src,
        tally: v.all,
        hosts: { sample: v.hosts.sample() as string[], count: hostCount, estimated: v.hosts.estimated },
        ports: { sample: v.ports.sample() as number[], count: portCount, estimated: v.ports.estimated },
        proto,
        discriminator: 'block',
        what: `${src} sent ${v.all.contacts} ${proto} probes to ${portCount} ports on ${hostCount} hosts`,
        why: `block scan: ${shape.block}`,
        attrs: { sweptPorts: shape.sweptPorts.length, scannedHosts: shape.scannedHosts.length },
      }),
    ];
  }
  return shape.scannedHosts.map((ht) => {
    const portCount = ht.ports.count();
    const sample = ht.ports.sample() as number[];
    return buildScanFinding({
      kind: 'port-scan',
      detector,
      ctx,
      src,
      tally: ht,
      hosts: { sample: [ht.host], count: 1, estimated: false },
      ports: { sample, count: portCount, estimated: ht.ports.estimated },
      proto,
      discriminator: ht.host,
      what: `${src} sent ${ht.contacts} ${proto} probes to ${portCount} ports of ${ht.host} (${describePorts(sample, portCount)})`,
      why: `port scan: ${portCount} distinct ports on one host crosses ${cfg.portScanMinPorts} (any outcome) or ${cfg.portScanMinPortsFailing} with at least ${Math.round(cfg.failingShare * 100)}% failed probes`,
    });
  });
}
