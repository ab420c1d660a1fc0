/**
 * Flag-scan detector: NULL, FIN, Xmas, ACK and Maimon probes. See
 * docs/detectors/scans.md.
 */
import type { Detector } from '../core/detector.js';
import { type FlagScanConfig, flagScanConfigSchema } from './config.js';
import { createFlagScan } from './flag-scan.js';

export { type FlagScanConfig, flagScanConfigSchema } from './config.js';
export { createFlagScan, flagScanFinding, scanFlagClass } from './flag-scan.js';

/**
 * @example
 * const inst = flagScanDetector.create(flagScanDetector.config.parse({}), ctx);
 */
export const flagScanDetector: Detector<FlagScanConfig> = {
  name: 'flag-scan',
  description:
    'TCP probes with flags no connection sends (NULL, FIN alone, Xmas) or that map firewalls (ACK, Maimon FIN+ACK), from capture flows or firewall logs; closed ports answer RST, open or filtered ones stay silent.',
  kinds: ['flag-scan'],
  config: flagScanConfigSchema,
  create: (cfg, ctx) => createFlagScan(cfg, ctx),
};
