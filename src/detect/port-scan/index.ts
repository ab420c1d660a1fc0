/**
 * Port-scan detector: one source probing many TCP ports on one host
 * (port-scan) or on many hosts (block-scan). See docs/detectors/scans.md.
 */
import type { Detector } from '../core/detector.js';
import { createPortScan, type PortScanConfig } from './port-scan.js';
import { scanShapeSchema } from './scan-config.js';

export { createPortScan, type PortScanConfig, verticalFindings } from './port-scan.js';
export { type ScanShapeConfig, scanShapeFields, scanShapeSchema } from './scan-config.js';

export const portScanConfigSchema = scanShapeSchema;

/**
 * @example
 * const inst = portScanDetector.create(portScanDetector.config.parse({}), ctx);
 */
export const portScanDetector: Detector<PortScanConfig> = {
  name: 'port-scan',
  description:
    'One source probing many TCP ports on one host (port scan) or many ports on many hosts (block scan), counted from connection attempts that carried no data, with how each probe ended.',
  kinds: ['port-scan', 'block-scan'],
  config: portScanConfigSchema,
  create: (cfg, ctx) => createPortScan(cfg, ctx),
};
