/**
 * Distributed-scan thresholds: the single-source shape thresholds applied to
 * a group, plus how many quiet members a group needs. Defaults and reasons:
 * docs/detectors/scans.md.
 */
import { z } from 'zod';
import { scanShapeFields } from '../port-scan/scan-config.js';

export const distributedConfigSchema = z
  .object({
    ...scanShapeFields,
    /** Members (distinct sources) a group needs, each below the single-source thresholds on its own. */
    minMembers: z.number().int().min(2).default(3),
    /** No member may have sent more than this share of the group's probes (else it is one scanner with helpers). */
    maxMemberShare: z.number().min(0).max(1).default(0.5),
    /** Members per group followed one by one (the first seen); later ones count in the group only. */
    trackMembers: z.number().int().min(1).max(4096).default(64),
  })
  .strict();
export type DistributedConfig = z.infer<typeof distributedConfigSchema>;
