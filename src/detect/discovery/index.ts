/**
 * Host-discovery detector: ICMP, ARP, TCP-ACK and empty-UDP pings to many
 * hosts. See docs/detectors/scans.md.
 */
import type { Detector } from '../core/detector.js';
import { type DiscoveryConfig, discoveryConfigSchema } from './config.js';
import { createDiscovery } from './discovery.js';

export { type DiscoveryConfig, discoveryConfigSchema } from './config.js';
export { createDiscovery, discoveryFinding } from './discovery.js';
export { type DiscoveryFamily, discoveryFamily } from './probe-family.js';

/**
 * @example
 * const inst = discoveryDetector.create(discoveryDetector.config.parse({}), ctx);
 */
export const discoveryDetector: Detector<DiscoveryConfig> = {
  name: 'discovery',
  description:
    'One source asking many hosts whether they are up: ICMP echo, timestamp or address-mask requests, ARP requests, or TCP-ACK and empty-UDP pings on one or two ports.',
  kinds: ['host-discovery'],
  config: discoveryConfigSchema,
  create: (cfg, ctx) => createDiscovery(cfg, ctx),
};
