/**
 * The one normalized event model: every log line, flow record or alert a site
 * keeps becomes an Event, so detection and triage work the same whatever the
 * site collects. Aligned with OCSF (class/activity ids) so it exports cleanly;
 * the short `type` name is what the "type summary" per address counts.
 * See docs/event-types.md for the table of type names.
 */
import { z } from 'zod';

/** OCSF class ids we emit. category_uid is the thousands digit. */
export const OcsfClass = {
  networkActivity: 4001,
  httpActivity: 4002,
  sshActivity: 4007,
  authentication: 3002,
  detectionFinding: 2004,
} as const;
export type OcsfClassUid = (typeof OcsfClass)[keyof typeof OcsfClass];

/** OCSF activity ids shared by Network Activity (4001) and SSH Activity (4007). */
export const NetworkActivity = {
  unknown: 0,
  open: 1,
  close: 2,
  reset: 3,
  fail: 4,
  refuse: 5,
  traffic: 6,
  listen: 7,
  other: 99,
} as const;

/** OCSF activity ids of Authentication (3002). */
export const AuthActivity = { unknown: 0, logon: 1, logoff: 2, other: 99 } as const;

/** OCSF activity ids of HTTP Activity (4002), by request method. */
export const HttpActivity: Readonly<Record<string, number>> = {
  CONNECT: 1,
  DELETE: 2,
  GET: 3,
  HEAD: 4,
  OPTIONS: 5,
  POST: 6,
  PUT: 7,
  TRACE: 8,
};

/** OCSF activity ids of Detection Finding (2004). */
export const FindingActivity = { create: 1, update: 2, close: 3 } as const;

/** OCSF severity ids. */
export const Severity = {
  unknown: 0,
  informational: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
  fatal: 6,
} as const;

/**
 * The type-summary names. Each has one OCSF class; see docs/event-types.md.
 * `eventTypes` is the single list (a test checks the doc names each one).
 */
export const eventTypes = [
  'connection',
  'connection-refused',
  'firewall-deny',
  'firewall-allow',
  'firewall-nat',
  'ids-alert',
  'login-failure',
  'login-success',
  'invalid-user',
  'access-denied',
  'logoff',
  'web-access',
  'web-error',
  'ssh-error',
  'ssh-disconnect',
  'ssh-listen',
  'rate-limit',
] as const;
export type EventType = (typeof eventTypes)[number];

export const eventTypeSchema = z.enum(eventTypes);

export const sourceKinds = [
  'firewall',
  'sshd',
  'weblog',
  'syslog',
  'pcap',
  'netflow',
  'eve',
  'zeek',
  'snort',
  'listener',
] as const;
export type SourceKind = (typeof sourceKinds)[number];

/** Where an event came from: enough to find the original record again. */
export const eventSourceSchema = z.strictObject({
  kind: z.enum(sourceKinds),
  /** Concrete format, e.g. 'iptables', 'ufw', 'pf', 'asa', 'openssh', 'nginx-combined'. */
  format: z.string(),
  file: z.string().optional(),
  /** 1-based line in `file`. */
  line: z.number().int().positive().optional(),
  /** The logging host, as the log names it (syslog HOSTNAME). */
  host: z.string().optional(),
  /** Address of the syslog sender, for live listeners. */
  sender: z.string().optional(),
});
export type EventSource = z.infer<typeof eventSourceSchema>;

export const httpInfoSchema = z.strictObject({
  method: z.string().optional(),
  uri: z.string().optional(),
  version: z.string().optional(),
  status: z.number().int().optional(),
  bytes: z.number().int().nonnegative().optional(),
  referrer: z.string().optional(),
  userAgent: z.string().optional(),
  host: z.string().optional(),
});
export type HttpInfo = z.infer<typeof httpInfoSchema>;

/** Longest `raw` line kept on an event; longer lines are cut (and say so in attrs). */
export const maxRawLength = 4096;

export const eventSchema = z.strictObject({
  /** Seconds since the epoch (UTC), fractional. */
  ts: z.number(),
  /** Deterministic from source identity + position: re-reading gives the same uid. */
  uid: z.string().min(1),
  type: eventTypeSchema,
  classUid: z.union([z.literal(4001), z.literal(4002), z.literal(4007), z.literal(3002), z.literal(2004)]),
  activityId: z.number().int(),
  severityId: z.number().int().min(0).max(99).optional(),
  /** The address that acted (client, scanner, login source). Text form. */
  src: z.string().min(1),
  srcPort: z.number().int().min(0).max(65535).optional(),
  /** Address acted upon; a host name only when the log gives no address. */
  dst: z.string().optional(),
  dstPort: z.number().int().min(0).max(65535).optional(),
  /** Lowercase transport name ('tcp', 'udp', 'icmp') or protocol number as text. */
  proto: z.string().optional(),
  action: z.enum(['allowed', 'denied', 'unknown']).optional(),
  user: z.string().optional(),
  http: httpInfoSchema.optional(),
  /** How many occurrences this one record stands for (e.g. a repeated-message line). */
  count: z.number().int().nonnegative().optional(),
  bytes: z.number().nonnegative().optional(),
  packets: z.number().nonnegative().optional(),
  /** Short human text. Attacker strings are data here, never evaluated. */
  message: z.string(),
  source: eventSourceSchema,
  raw: z.string().max(maxRawLength).optional(),
  attrs: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/**
 * One normalized event.
 *
 * @example
 * const e: Event = { ts: 1795950740, uid: 'Lk3…', type: 'login-failure', classUid: 3002,
 *   activityId: 1, src: '10.99.1.67', user: 'root', message: 'Failed password for root',
 *   source: { kind: 'sshd', format: 'openssh', file: 'auth.log', line: 18 } };
 */
export type Event = z.infer<typeof eventSchema>;
export type EventAction = NonNullable<Event['action']>;
