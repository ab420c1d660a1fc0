/**
 * Flag-scan thresholds. Defaults and reasons: docs/detectors/scans.md.
 */
import { z } from 'zod';
import { scanShapeFields } from '../port-scan/scan-config.js';

export const flagScanConfigSchema = z
  .object({
    /** NULL, bare-FIN and Xmas probes (never sent by a real TCP stack) from one source that make a flag scan. */
    minProbes: z.number().int().min(1).default(2),
    /** ACK and FIN+ACK (Maimon) probes: distinct target ports needed, since stray ACKs and FIN-ACKs occur in normal traffic. */
    minPortsAckMaimon: z.number().int().min(2).default(10),
    failingShare: scanShapeFields.failingShare,
    idleSeconds: scanShapeFields.idleSeconds,
    maxSpanSeconds: scanShapeFields.maxSpanSeconds,
  })
  .strict();
export type FlagScanConfig = z.infer<typeof flagScanConfigSchema>;
