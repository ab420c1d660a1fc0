/**
 * The thresholds every scan detector shares. Sweep, port scan, UDP scan and
 * distributed scan all read one source's probes through the same shape rules
 * (shape.ts), so they agree on which one a pattern is and never report it
 * twice. Defaults and their reasons: docs/detectors/scans.md.
 */
import { z } from 'zod';

/** Fields of the shape thresholds and windows; detectors spread them into their own schema. */
export const scanShapeFields = {
  /** Distinct hosts on one port that make a sweep whatever the outcomes (Zeek's addr scan: 25). */
  sweepMinHosts: z.number().int().min(2).default(25),
  /** Distinct hosts on one port that make a sweep when most of those probes failed. */
  sweepMinHostsFailing: z.number().int().min(2).default(10),
  /** A sweep covers at most this many swept ports; more swept ports make a block scan. */
  sweepMaxPorts: z.number().int().min(1).default(5),
  /** Distinct ports on one host that make a port scan whatever the outcomes (Zeek's port scan: 15). */
  portScanMinPorts: z.number().int().min(2).default(15),
  /** Distinct ports on one host that make a port scan when most of those probes failed. */
  portScanMinPortsFailing: z.number().int().min(2).default(3),
  /** A port scan covers at most this many scanned hosts; more make a block scan. */
  portScanMaxHosts: z.number().int().min(1).default(2),
  /** Share of probes that must have failed (rejected, unanswered, blocked) for the "failing" thresholds. */
  failingShare: z.number().min(0).max(1).default(0.5),
  /** A source's state expires after this long without a probe (event-time seconds). */
  idleSeconds: z.number().positive().default(900),
  /** A state open longer than this is closed (reported if it qualifies) and started afresh. */
  maxSpanSeconds: z.number().positive().default(3600),
  /** Ports and hosts per source whose own counts are kept (the first seen); later ones count only in totals. */
  trackPorts: z.number().int().min(1).max(4096).default(64),
  trackHosts: z.number().int().min(1).max(4096).default(64),
};

export const scanShapeSchema = z.object(scanShapeFields).strict();
export type ScanShapeConfig = z.infer<typeof scanShapeSchema>;
