/**
 * UDP scans: one source sending UDP to many ports of a host (vertical) or
 * to many ports across many hosts (block), mostly unanswered or refused.
 * ICMP port-unreachable notices from a host count as refusals of the
 * source's probes to it. UDP to many hosts on one or two ports is a sweep
 * (with payload) or a UDP ping (empty), reported by those detectors.
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { buildScanFinding, describePorts } from '../port-scan/finding.js';
import { isUdpProbe } from '../port-scan/probe-filter.js';
import type { ProbeView } from '../port-scan/probe-view.js';
import type { ScanShapeConfig } from '../port-scan/scan-config.js';
import { probeViewDetectorParts, recordErrorReply, recordProbe } from '../port-scan/scan-detector.js';
import { scanShape } from '../port-scan/shape.js';

export type UdpScanConfig = ScanShapeConfig;

/**
 * @example
 * const inst = createUdpScan(udpScanConfigSchema.parse({}), ctx);
 */
export function createUdpScan(cfg: UdpScanConfig, ctx: DetectorContext): DetectorInstance {
  const { table, lifecycle } = probeViewDetectorParts(cfg, ctx, (src, v) =>
    udpScanFindings(src, v, cfg, ctx),
  );
  return {
    contact(c: Contact) {
      if (c.errorReply) {
        // Counted whether it arrives before or after the probe it answers; alone it raises nothing.
        recordErrorReply(table, c.src, c, cfg);
        return;
      }
      if (!isUdpProbe(c)) return;
      recordProbe(table, c.src, c, cfg);
    },
    ...lifecycle,
  };
}

/** The UDP-scan findings a source's view holds: one per scanned host, or one block scan. */
export function udpScanFindings(
  src: string,
  v: ProbeView,
  cfg: UdpScanConfig,
  ctx: DetectorContext,
): Finding[] {
  const shape = scanShape(v, cfg, { requireFailing: true });
  const failing = `at least ${Math.round(cfg.failingShare * 100)}% of probes unanswered or refused`;
  if (shape.block) {
    const hostCount = v.hosts.count();
    const portCount = v.ports.count();
    return [
      buildScanFinding({
        kind: 'udp-scan',
        detector: 'udp-scan',
        ctx,
        src,
        tally: v.all,
        hosts: { sample: v.hosts.sample() as string[], count: hostCount, estimated: v.hosts.estimated },
        ports: { sample: v.ports.sample() as number[], count: portCount, estimated: false },
        proto: 'udp',
        discriminator: 'block',
        what: `${src} sent ${v.all.contacts} UDP probes to ${portCount} ports on ${hostCount} hosts`,
        why: `UDP block scan: ${shape.block}; ${failing}`,
        attrs: { shape: 'block' },
      }),
    ];
  }
  return shape.scannedHosts.map((ht) => {
    const portCount = ht.ports.count();
    const sample = ht.ports.sample() as number[];
    return buildScanFinding({
      kind: 'udp-scan',
      detector: 'udp-scan',
      ctx,
      src,
      tally: ht,
      hosts: { sample: [ht.host], count: 1, estimated: false },
      ports: { sample, count: portCount, estimated: false },
      proto: 'udp',
      discriminator: ht.host,
      what: `${src} sent ${ht.contacts} UDP probes to ${portCount} ports of ${ht.host} (${describePorts(sample, portCount)})`,
      why: `UDP port scan: ${portCount} distinct ports on one host crosses ${Math.min(cfg.portScanMinPortsFailing, cfg.portScanMinPorts)} with ${failing}`,
      attrs: { shape: 'vertical' },
    });
  });
}
