/**
 * How `picket verify` records one probe's answer inside an Asset (as a
 * service script output keyed `picket-probe <what>`, JSON text), so the store
 * keeps it like any scan and relevance reads it back. Parsed, never evaluated;
 * every string bounded.
 */
import { z } from 'zod';

export const PROBE_SCRIPT_PREFIX = 'picket-probe ';

const short = z.string().max(512);

export const probeRecordSchema = z.strictObject({
  kind: z.enum(['http', 'ssh']),
  /** HTTP: GET or HEAD. */
  method: z.enum(['GET', 'HEAD']).optional(),
  path: z.string().max(2048).optional(),
  /** HTTP status; absent when the request failed. */
  status: z.number().int().min(100).max(999).optional(),
  contentType: short.optional(),
  /** Body bytes read (capped by the probe's size limit). */
  bytes: z.number().int().nonnegative().optional(),
  server: short.optional(),
  poweredBy: short.optional(),
  generator: short.optional(),
  /** SSH: the server's version line. */
  banner: short.optional(),
  /** What the answer showed, by the catalogue's fingerprint. */
  found: z.strictObject({ product: short, version: short.optional() }).optional(),
  /** Why there is no answer (timeout, refused, redirect off-host, too large). */
  error: short.optional(),
});
export type ProbeRecord = z.infer<typeof probeRecordSchema>;

/** The script key of a probe: `picket-probe GET /index.php`, `picket-probe ssh`. */
export function probeKey(r: ProbeRecord): string {
  return r.kind === 'ssh'
    ? `${PROBE_SCRIPT_PREFIX}ssh`
    : `${PROBE_SCRIPT_PREFIX}${r.method ?? 'GET'} ${r.path ?? '/'}`;
}

/** A stored probe, or undefined when the text is not one (a hostile store row stays data). */
export function readProbeRecord(text: string): ProbeRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = probeRecordSchema.safeParse(v);
  return r.success ? r.data : undefined;
}
