/**
 * Continuous activity: the detector descriptor. See docs/detectors/brute-force.md
 * (section "Continuous activity") for the rule and its defaults.
 */
import type { Detector } from '../core/detector.js';
import { type ContinuousConfig, continuousConfigSchema } from './config.js';
import { createContinuous } from './continuous.js';

export type { ContinuousConfig } from './config.js';
export { continuousConfigSchema } from './config.js';

/**
 * One source active against one login service for longer than a set time with
 * no long pause, from connection records or from login logs.
 *
 * @example
 * const ca = continuousActivityDetector.create(continuousActivityDetector.config.parse({}), ctx);
 */
export const continuousActivityDetector: Detector<ContinuousConfig> = {
  name: 'continuous-activity',
  description:
    'One source active against one login service (SSH, FTP, Telnet, RDP, VNC by default) for at least ' +
    '10 minutes and 10 contacts or login attempts with no pause longer than 2 minutes.',
  kinds: ['continuous-activity'],
  config: continuousConfigSchema,
  create: (cfg, ctx) => createContinuous(cfg, ctx),
};
