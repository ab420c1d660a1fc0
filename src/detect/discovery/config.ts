/**
 * Host-discovery thresholds. Defaults and reasons: docs/detectors/scans.md.
 */
import { z } from 'zod';
import { scanShapeFields } from '../port-scan/scan-config.js';

export const discoveryConfigSchema = z
  .object({
    /** Distinct hosts asked by one probe family that make host discovery whatever the replies. */
    minHosts: z.number().int().min(2).default(25),
    /** Distinct hosts that make host discovery when most probes went unanswered or were refused. */
    minHostsFailing: z.number().int().min(2).default(10),
    /** TCP-ACK and empty-UDP pings count as discovery only on this many ports at most (nmap uses one or two). */
    maxPingPorts: z.number().int().min(1).default(2),
    failingShare: scanShapeFields.failingShare,
    idleSeconds: scanShapeFields.idleSeconds,
    maxSpanSeconds: scanShapeFields.maxSpanSeconds,
  })
  .strict();
export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;
