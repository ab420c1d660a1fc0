/**
 * Configuration of the brute-force and password-spray detectors. Parsing `{}`
 * gives the defaults documented (with the reasons and the peers' values) in
 * docs/detectors/brute-force.md.
 */
import { z } from 'zod';

/** "count events within seconds": one rate threshold. */
export const rateWindowSchema = z.strictObject({
  count: z.number().int().min(1).max(1000),
  seconds: z.number().positive(),
});
export type RateWindow = z.infer<typeof rateWindowSchema>;

/** The spray rule: many users, few tries each (shared by both detectors so they agree). */
export const sprayRuleSchema = z.strictObject({
  /** Distinct users tried, at least. */
  minUsers: z.number().int().min(2).default(10),
  /** Mean password tries per user, at most. */
  maxTriesPerUser: z.number().positive().default(2),
});
export type SprayRule = z.infer<typeof sprayRuleSchema>;

/** What a login session looks like from its connection record alone (no logs). */
export const sessionShapeSchema = z.strictObject({
  /** Server ports whose sessions are judged (SSH only by default; see the doc for FTP and HTTP). */
  ports: z.array(z.number().int().min(0).max(65535)).default([22]),
  /** Application protocols recognised by content that count whatever the port. */
  services: z.array(z.string()).default(['ssh']),
  /** A guessing session is short: at most this long (s). */
  maxSeconds: z.number().positive().default(30),
  /** Payload bytes each way: at least (past the key exchange) and at most (no real work done). */
  minOrigBytes: z.number().int().min(0).default(500),
  minRespBytes: z.number().int().min(0).default(500),
  maxOrigBytes: z.number().int().positive().default(10240),
  maxRespBytes: z.number().int().positive().default(10240),
  /** Short sessions from one source to one server within a window. */
  fast: rateWindowSchema.prefault({ count: 6, seconds: 600 }),
  slow: rateWindowSchema.prefault({ count: 20, seconds: 10800 }),
});
export type SessionShapeConfig = z.infer<typeof sessionShapeSchema>;

export const bruteForceConfigSchema = z.strictObject({
  /** Failed tries from one source against one service (and server) within a window. */
  fast: rateWindowSchema.prefault({ count: 5, seconds: 600 }),
  /** The slow variant: more tries over a longer window (attrs.variant 'slow'). */
  slow: rateWindowSchema.prefault({ count: 10, seconds: 10800 }),
  /** A source's state ends after this long without an attempt (s); its finding is emitted then. */
  idleSeconds: z.number().positive().default(3600),
  /** A state lasting longer is reported and started afresh, so endless attacks still give findings (s). */
  maxSpanSeconds: z.number().positive().default(86400),
  /** Per-user try counts kept exactly per state; past it users are only counted. */
  userLimit: z.number().int().min(1).default(256),
  /** Keys the spray rule claims are left to the password-spray detector; false reports them here too. */
  leaveToSpray: z.union([sprayRuleSchema, z.literal(false)]).default({ minUsers: 10, maxTriesPerUser: 2 }),
  /** Brute force inferred from connection records (captures, NetFlow) when no login log is read. */
  sessions: sessionShapeSchema.prefault({}),
});
export type BruteForceConfig = z.infer<typeof bruteForceConfigSchema>;

export const passwordSprayConfigSchema = z.strictObject({
  ...sprayRuleSchema.shape,
  idleSeconds: z.number().positive().default(3600),
  maxSpanSeconds: z.number().positive().default(86400),
  userLimit: z.number().int().min(1).default(1024),
});
export type PasswordSprayConfig = z.infer<typeof passwordSprayConfigSchema>;
