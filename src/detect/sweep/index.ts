/**
 * Sweep detector: one source, one port or a few, many hosts. See
 * docs/detectors/scans.md for thresholds and how a sweep is told from a block
 * scan and from host discovery.
 */
import type { Detector } from '../core/detector.js';
import { scanShapeSchema } from '../port-scan/scan-config.js';
import { createSweep, type SweepConfig } from './sweep.js';

export { createSweep, type SweepConfig, sweepFinding } from './sweep.js';

export const sweepConfigSchema = scanShapeSchema;

/**
 * @example
 * const inst = sweepDetector.create(sweepDetector.config.parse({}), ctx);
 */
export const sweepDetector: Detector<SweepConfig> = {
  name: 'sweep',
  description:
    'One source probing one TCP or UDP port (or a few) on many hosts, with which hosts answered, refused, stayed silent or were blocked.',
  kinds: ['sweep'],
  config: sweepConfigSchema,
  create: (cfg, ctx) => createSweep(cfg, ctx),
};
