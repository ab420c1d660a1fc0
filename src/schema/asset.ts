/**
 * An asset observation: what one scan (today Nmap's XML) saw of one host —
 * its addresses and names, the ports that answered and what runs on them,
 * OS guesses and script output. Triage asks of these "does the target run
 * the affected product and version?", so every field is what the scanner
 * said, never more: a service name Nmap only took from its port table says
 * so (`method: 'table'`), and an absent version is unknown, not "none".
 *
 * Everything here came from a file someone handed us, possibly hostile:
 * strings are bounded (see assetLimits) and are data, never evaluated.
 */
import { z } from 'zod';

/** Bounds on one observation, so a hostile scan file costs bounded memory. */
export const assetLimits = {
  /** Longest attribute-like string kept (product, version, hostnames...). */
  field: 1024,
  /** Longest script output kept; longer output is cut and ends with `truncatedMark`. */
  scriptText: 16 * 1024,
  /** Scripts kept per port and per host. */
  scripts: 64,
  /** Ports kept per host: every TCP and UDP port, and some to spare. */
  services: 140_000,
  cpes: 16,
  osMatches: 16,
  osClasses: 8,
  hostnames: 32,
  extraPorts: 16,
  /** The scan's command line. */
  args: 4096,
} as const;

/** Appended to a string that was cut at its bound. */
export const truncatedMark = '…[truncated]';

const field = z.string().max(assetLimits.field + truncatedMark.length);
const cpeList = z.array(field).max(assetLimits.cpes);
/** Script id → its text output (Nmap's `output` attribute), bounded. */
const scriptOutputs = z
  .record(field, z.string().max(assetLimits.scriptText + truncatedMark.length))
  .refine((r) => Object.keys(r).length <= assetLimits.scripts, {
    message: `at most ${assetLimits.scripts} scripts`,
  });

export const serviceProtos = ['tcp', 'udp', 'sctp', 'ip'] as const;

/** One port as the scan saw it, with what answered on it. */
export const assetServiceSchema = z.strictObject({
  port: z.number().int().min(0).max(65535),
  proto: z.enum(serviceProtos),
  /** Nmap's port state: open, closed, filtered, unfiltered, open|filtered, closed|filtered. */
  state: field,
  /** Why the scanner concluded the state, e.g. `syn-ack`, `conn-refused`, `no-response`. */
  reason: field.optional(),
  reasonTtl: z.number().int().min(0).max(255).optional(),
  /** Service name, e.g. `http`, `ssh`; `unknown` when nothing matched. */
  name: field.optional(),
  product: field.optional(),
  version: field.optional(),
  extraInfo: field.optional(),
  /** `ssl` when the service spoke through TLS. */
  tunnel: field.optional(),
  /** Host name the service announced. */
  hostname: field.optional(),
  osType: field.optional(),
  deviceType: field.optional(),
  /** `probed`: a probe's answer matched; `table`: only guessed from the port number. */
  method: z.enum(['probed', 'table']).optional(),
  /** Nmap's confidence in the name, 0–10. */
  confidence: z.number().int().min(0).max(10).optional(),
  cpe: cpeList,
  scripts: scriptOutputs,
});
export type AssetService = z.infer<typeof assetServiceSchema>;

/** One class an OS guess belongs to (a guess can name several). */
export const osClassSchema = z.strictObject({
  type: field.optional(),
  vendor: field.optional(),
  family: field.optional(),
  generation: field.optional(),
  accuracy: z.number().int().min(0).max(100).optional(),
  cpe: cpeList,
});

/** One OS guess, best first as the scanner ranked them. */
export const osMatchSchema = z.strictObject({
  name: field,
  /** Percent, 0–100. */
  accuracy: z.number().int().min(0).max(100),
  /** Every CPE the guess's classes name, without repeats. */
  cpe: cpeList,
  classes: z.array(osClassSchema).max(assetLimits.osClasses),
});
export type OsMatch = z.infer<typeof osMatchSchema>;

/** Where an observation came from. */
export const assetSourceSchema = z.strictObject({
  /** `nmap`: an imported scan; `verify`: Picket's own read-only probes (`picket verify`). */
  scanner: z.enum(['nmap', 'verify']),
  /** Scanner version, e.g. `7.93`. */
  version: field.optional(),
  /** The scan's command line as the scanner recorded it. */
  args: z
    .string()
    .max(assetLimits.args + truncatedMark.length)
    .optional(),
  file: z.string().optional(),
  /** 1-based line where the host's record starts in `file`. */
  line: z.number().int().positive().optional(),
});

export const assetSchema = z.strictObject({
  /** Deterministic from the scan (start, command line) and the host: importing again gives the same uid. */
  uid: z.string().min(1),
  /** When the host was observed: its scan end, else its scan start, else the scan's start; epoch seconds. */
  ts: z.number(),
  /** When the whole scan started, epoch seconds, when the file says. */
  scanStart: z.number().optional(),
  /** The host's IP address in Picket's text form (as flows and events print it). */
  address: z.string().min(1),
  addressType: z.enum(['ipv4', 'ipv6']),
  mac: field.optional(),
  /** The MAC's vendor as the scanner named it. */
  macVendor: field.optional(),
  /** Names with how they were learnt (`user`: given on the command line; `PTR`: reverse DNS). */
  hostnames: z.array(z.strictObject({ name: field, type: field.optional() })).max(assetLimits.hostnames),
  /** up, down, unknown or skipped. */
  status: field,
  statusReason: field.optional(),
  /** Ports not listed one by one, by state: e.g. 998 closed. */
  extraPorts: z
    .array(z.strictObject({ state: field, count: z.number().int().nonnegative() }))
    .max(assetLimits.extraPorts),
  services: z.array(assetServiceSchema).max(assetLimits.services),
  os: z.array(osMatchSchema).max(assetLimits.osMatches),
  /** Host scripts (Nmap's hostscript): id → output. */
  hostScripts: scriptOutputs,
  /** Seconds since boot as the scanner estimated it. */
  uptime: z.number().nonnegative().optional(),
  source: assetSourceSchema,
});

/**
 * One host as one scan saw it.
 *
 * @example
 * const a: Asset = { uid: 'N3f…', ts: 1795442538, scanStart: 1795442527, address: '127.0.0.1',
 *   addressType: 'ipv4', hostnames: [{ name: 'localhost', type: 'PTR' }], status: 'up',
 *   extraPorts: [], os: [], hostScripts: {}, source: { scanner: 'nmap', version: '7.93' },
 *   services: [{ port: 22, proto: 'tcp', state: 'open', name: 'ssh', product: 'OpenSSH',
 *     version: '9.2p1 Debian 2', method: 'probed', cpe: ['cpe:/a:openbsd:openssh:9.2p1'], scripts: {} }] };
 */
export type Asset = z.infer<typeof assetSchema>;
