/**
 * Configuration of the continuous-activity detector. Parsing `{}` gives the
 * defaults documented (with the reasons) in docs/detectors/brute-force.md.
 */
import { z } from 'zod';

export const continuousConfigSchema = z.strictObject({
  /** A run must last at least this long, first contact to last (s). */
  minDurationSeconds: z.number().positive().default(600),
  /** A pause longer than this ends a run (s). */
  maxGapSeconds: z.number().positive().default(120),
  /** A run needs this many contacts or attempts: one long-lived session is a session, not repeated activity. */
  minContacts: z.number().int().min(1).default(10),
  /** Server ports of login services judged from connection records. */
  ports: z.array(z.number().int().min(0).max(65535)).default([21, 22, 23, 3389, 5900]),
  /** Application protocols recognised by content that count whatever the port. */
  services: z.array(z.string()).default(['ssh', 'ftp', 'telnet', 'rdp', 'vnc']),
  /** Judge every destination port, not just the login services. */
  allPorts: z.boolean().default(false),
  /** A run lasting longer is reported and a new one started, so endless activity still gives findings (s). */
  maxSpanSeconds: z.number().positive().default(86400),
});
export type ContinuousConfig = z.infer<typeof continuousConfigSchema>;
