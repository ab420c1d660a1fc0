/**
 * Distributed-scan detector: many quiet sources of one network or one
 * scanner organisation that together sweep or scan. See
 * docs/detectors/scans.md.
 */
import type { Detector } from '../core/detector.js';
import { type DistributedConfig, distributedConfigSchema } from './config.js';
import { createDistributed } from './distributed.js';

export { type DistributedConfig, distributedConfigSchema } from './config.js';
export { createDistributed, distributedFinding } from './distributed.js';
export { networkLabel } from './group-label.js';

/**
 * @example
 * const inst = distributedDetector.create(distributedDetector.config.parse({}), ctx);
 */
export const distributedDetector: Detector<DistributedConfig> = {
  name: 'distributed',
  description:
    'Many sources of one /24 or /64 network or one research-scanner organisation, each below the single-source thresholds, that together sweep a port or scan a host.',
  kinds: ['distributed-scan'],
  config: distributedConfigSchema,
  create: (cfg, ctx) => createDistributed(cfg, ctx),
};
