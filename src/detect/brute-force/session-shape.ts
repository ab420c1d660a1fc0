/**
 * Brute force without logs: password-guessing tools (hydra, medusa, libssh
 * bots) open one SSH connection per few passwords, and each such connection
 * has the same shape in a flow record — a completed TCP handshake, enough
 * bytes each way for the key exchange, then a quick close with little else
 * sent. Many of them from one source to one server is the finding; whether a
 * login succeeded cannot be seen, so longer or larger sessions from the same
 * source are listed for the analyst instead of claimed.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import { emptyOutcomes, findingUid, pushCapped } from '../core/finding-util.js';
import type { SessionShapeConfig } from './config.js';
import { listSample, span, utcTime } from './describe.js';
import { createRateTracker, type RateTracker } from './rate-window.js';

/** Is this contact a login service's session at all (by port or recognised protocol)? */
export function isLoginServiceContact(c: Contact, cfg: SessionShapeConfig): boolean {
  if (c.proto !== 'tcp' || c.errorReply) return false;
  if (cfg.ports.includes(c.dstPort)) return true;
  if (c.service === '') return false;
  for (const s of c.service.split(',')) if (cfg.services.includes(s)) return true;
  return false;
}

/**
 * The shape of one guessing session: established, short, past the key
 * exchange and small. Records without byte counts (-1) never match.
 *
 * @example
 * isGuessingSession({ established: true, ts: 0, end: 0.1, origBytes: 1459, respBytes: 1917, … }, cfg) // true
 */
export function isGuessingSession(c: Contact, cfg: SessionShapeConfig): boolean {
  if (!c.established) return false;
  if (c.origBytes < 0 || c.respBytes < 0) return false;
  if (c.end - c.ts > cfg.maxSeconds) return false;
  return (
    c.origBytes >= cfg.minOrigBytes &&
    c.respBytes >= cfg.minRespBytes &&
    c.origBytes <= cfg.maxOrigBytes &&
    c.respBytes <= cfg.maxRespBytes
  );
}

/** A session that did not look like guessing (longer or larger): possibly a login that worked. */
interface OtherSession {
  ts: number;
  seconds: number;
  origBytes: number;
  respBytes: number;
  uid: string;
}

export interface SessionTally {
  src: string;
  dst: string;
  dstPort: number;
  service: string;
  first: number;
  last: number;
  /** Guessing-shaped sessions. */
  sessions: number;
  minSeconds: number;
  maxSeconds: number;
  minOrig: number;
  maxOrig: number;
  minResp: number;
  maxResp: number;
  /** Established sessions of other shapes, and the first few of those after the first guessing one. */
  others: number;
  othersAfter: OtherSession[];
  rate: RateTracker;
  uids: string[];
  files: string[];
}

/** State key of a session: source, server and port. */
export function sessionKey(c: Contact): string {
  return `${c.src}|${c.dst}|${c.dstPort}`;
}

/**
 * An empty tally for the source, server and port of `c`.
 *
 * @example
 * const t = createSessionTally(c, cfg.sessions); addSession(t, c, cfg.sessions);
 */
export function createSessionTally(c: Contact, cfg: SessionShapeConfig): SessionTally {
  return {
    src: c.src,
    dst: c.dst,
    dstPort: c.dstPort,
    service: c.service.includes('ssh') || c.dstPort === 22 ? 'ssh' : c.service || `tcp/${c.dstPort}`,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
    sessions: 0,
    minSeconds: Number.POSITIVE_INFINITY,
    maxSeconds: 0,
    minOrig: Number.POSITIVE_INFINITY,
    maxOrig: 0,
    minResp: Number.POSITIVE_INFINITY,
    maxResp: 0,
    others: 0,
    othersAfter: [],
    rate: createRateTracker([cfg.fast, cfg.slow]),
    uids: [],
    files: [],
  };
}

/** Adds one contact to the tally (guessing-shaped or not). */
export function addSession(t: SessionTally, c: Contact, cfg: SessionShapeConfig): void {
  if (!c.established) return;
  const seconds = c.end - c.ts;
  if (!isGuessingSession(c, cfg)) {
    t.others++;
    if (t.sessions > 0 && t.othersAfter.length < 4)
      t.othersAfter.push({ ts: c.ts, seconds, origBytes: c.origBytes, respBytes: c.respBytes, uid: c.uid });
    return;
  }
  t.sessions++;
  if (c.ts < t.first) t.first = c.ts;
  if (c.end > t.last) t.last = c.end;
  t.minSeconds = Math.min(t.minSeconds, seconds);
  t.maxSeconds = Math.max(t.maxSeconds, seconds);
  t.minOrig = Math.min(t.minOrig, c.origBytes);
  t.maxOrig = Math.max(t.maxOrig, c.origBytes);
  t.minResp = Math.min(t.minResp, c.respBytes);
  t.maxResp = Math.max(t.maxResp, c.respBytes);
  pushCapped(t.uids, c.uid, 20);
  if (c.file !== undefined) pushCapped(t.files, c.file, 4);
  t.rate.add(c.ts);
}

/** Approximate heap bytes of a tally. */
export function sessionTallyBytes(t: SessionTally): number {
  return (
    320 + (t.src.length + t.dst.length) * 2 + t.rate.bytes + t.othersAfter.length * 80 + t.uids.length * 48
  );
}

/**
 * The finding for a tally that crossed a window, or undefined.
 *
 * @example
 * sessionFinding(t, cfg, 'pcap')?.attrs?.inferred // 'session-shape'
 */
export function sessionFinding(
  t: SessionTally,
  cfg: SessionShapeConfig,
  sourceKind: SourceKind,
): Finding | undefined {
  const [fast, slow] = t.rate.crossings;
  const variant = !Number.isNaN(fast!.at) ? 'fast' : !Number.isNaN(slow!.at) ? 'slow' : undefined;
  if (!variant) return undefined;
  const w = variant === 'fast' ? cfg.fast : cfg.slow;
  const took = (variant === 'fast' ? fast : slow)!.took;
  const outcomes = emptyOutcomes();
  outcomes.answered = t.sessions;
  const f: Finding = {
    uid: findingUid(['brute-force', sourceKind, t.src, t.dst, t.dstPort, t.first]),
    kind: 'brute-force',
    detector: 'brute-force',
    sourceKind,
    src: t.src,
    ts: t.first,
    lastSeen: t.last,
    targets: {
      hosts: [t.dst],
      hostCount: 1,
      ports: [t.dstPort],
      portCount: 1,
      proto: 'tcp',
      service: t.service,
    },
    contacts: t.sessions,
    outcomes,
    severityId: 3,
    explanation: explain(t, cfg, variant, w, took),
    evidence: { uids: [...t.uids], files: [...t.files] },
    attrs: {
      variant,
      inferred: 'session-shape',
      windowCount: w.count,
      windowSeconds: w.seconds,
      sessions: t.sessions,
      otherSessions: t.others,
      laterOtherSessions: t.othersAfter.length,
    },
  };
  return f;
}

function explain(
  t: SessionTally,
  cfg: SessionShapeConfig,
  variant: 'fast' | 'slow',
  w: { count: number; seconds: number },
  took: number,
): string {
  const svc = t.service.toUpperCase();
  const parts = [
    `Inferred from session shape, not from logs: ${t.sessions} short ${svc} sessions from ${t.src} to ` +
      `${t.dst}:${t.dstPort} between ${utcTime(t.first)} and ${utcTime(t.last)} (${span(t.last - t.first)}).`,
    `Each completed the TCP handshake, carried enough bytes for the key exchange ` +
      `(at least ${cfg.minOrigBytes} out and ${cfg.minRespBytes} back) and closed quickly with little sent ` +
      `(here ${range(t.minSeconds, t.maxSeconds, 's')}, ${range(t.minOrig, t.maxOrig, 'bytes')} out, ` +
      `${range(t.minResp, t.maxResp, 'bytes')} back): the shape of a password-guessing tool that opens ` +
      `a connection for every few passwords.`,
    `${variant === 'slow' ? 'Slow variant: ' : ''}${w.count} or more such sessions within ${span(w.seconds)} ` +
      `(the first ${w.count} took ${span(took)}).`,
  ];
  if (t.othersAfter.length > 0) {
    const list = t.othersAfter.map(
      (o) => `${utcTime(o.ts)} (${span(o.seconds)}, ${o.origBytes}/${o.respBytes} bytes)`,
    );
    parts.push(
      `Then ${listSample(list, t.othersAfter.length, 4)}: longer or larger sessions from the same source, ` +
        `possibly a login that worked; check the server's log.`,
    );
  } else {
    parts.push(
      'Whether a login succeeded cannot be told from connection records; check the server\u2019s log.',
    );
  }
  return parts.join(' ');
}

function range(lo: number, hi: number, unit: string): string {
  const fmt = (x: number) => (unit === 's' ? String(Math.round(x * 100) / 100) : String(x));
  return lo === hi ? `${fmt(lo)} ${unit}` : `${fmt(lo)}\u2013${fmt(hi)} ${unit}`;
}
