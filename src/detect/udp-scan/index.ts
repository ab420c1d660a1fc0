/**
 * UDP-scan detector: many UDP ports on a host or across hosts, mostly
 * unanswered or refused. See docs/detectors/scans.md.
 */
import type { Detector } from '../core/detector.js';
import { scanShapeSchema } from '../port-scan/scan-config.js';
import { createUdpScan, type UdpScanConfig } from './udp-scan.js';

export { createUdpScan, type UdpScanConfig, udpScanFindings } from './udp-scan.js';

export const udpScanConfigSchema = scanShapeSchema;

/**
 * @example
 * const inst = udpScanDetector.create(udpScanDetector.config.parse({}), ctx);
 */
export const udpScanDetector: Detector<UdpScanConfig> = {
  name: 'udp-scan',
  description:
    'One source sending UDP to many ports of a host or across hosts, mostly unanswered or refused (ICMP port unreachable counts as a refusal).',
  kinds: ['udp-scan'],
  config: udpScanConfigSchema,
  create: (cfg, ctx) => createUdpScan(cfg, ctx),
};
