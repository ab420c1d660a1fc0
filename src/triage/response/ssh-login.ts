/**
 * Did any SSH login succeed for the attacking source against the target?
 * sshd's own log answers it (Accepted … for USER from ADDR); without that log
 * the shape of the sessions can only suggest it, and says it is inferred.
 */
import type { EvidenceRef, TriState } from '../../schema/alarm.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import { inert } from '../connection/inert.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';

/** Logins this long before the first alert and after the last still belong to the attack. */
export const LOGIN_BEFORE_SECONDS = 600;
export const LOGIN_AFTER_SECONDS = 3600;
/** Session-shape inference needs this many sessions to have a "usual" to compare with. */
export const SHAPE_MIN_SESSIONS = 3;
/** A session stands out when it lasts this many times the median and at least LONG_SECONDS... */
export const SHAPE_DURATION_FACTOR = 5;
export const SHAPE_LONG_SECONDS = 10;
/** ...and carries this many times the median bytes back. */
export const SHAPE_BYTES_FACTOR = 2;
const MAX_LOG_EVIDENCE = 10;

export interface SshLogin {
  loginSucceeded: TriState;
  attemptFailed: TriState;
  basis: 'sshd' | 'session-shape' | 'none';
  meaning: string;
  evidence: EvidenceRef[];
}

/** ISO time of an epoch second; a time no Date can hold is printed as given. */
function when(ts: number): string {
  const d = new Date(ts * 1000);
  return Number.isNaN(d.getTime()) ? `${ts}` : d.toISOString().replace('.000Z', 'Z');
}
function logRef(e: Event): EvidenceRef {
  const s = e.source;
  const ref = s.file !== undefined && s.line !== undefined ? `${s.file}:${s.line}` : e.uid;
  return { kind: 'log-line', ref, note: inert(e.message), sourceKind: s.kind };
}

/**
 * sshd lines name the client, rarely the server's address. A line counts when
 * it names the target, or names no server and its client port is one of the
 * pair's connections (or there is no capture to check against).
 */
function aboutTarget(e: Event, g: AlertGroup, pairPorts: Set<number> | undefined): boolean {
  if (e.dst !== undefined) return e.dst === g.dst;
  if (pairPorts === undefined || e.srcPort === undefined) return true;
  return pairPorts.has(e.srcPort);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
};

/** Bytes the server sent in a session. */
const back = (f: FlowRecord, client: string) => (f.origH === client ? f.respBytes : f.origBytes);

function fromShape(g: AlertGroup, sessions: FlowRecord[]): SshLogin {
  const noun = `${sessions.length} SSH session${sessions.length === 1 ? '' : 's'}`;
  if (sessions.length < SHAPE_MIN_SESSIONS)
    return {
      loginSucceeded: 'unknown',
      attemptFailed: 'unknown',
      basis: sessions.length === 0 ? 'none' : 'session-shape',
      meaning:
        sessions.length === 0
          ? 'No sshd log and no SSH session between the hosts: whether a login succeeded is unknown.'
          : `No sshd log; ${noun} are too few to compare: whether a login succeeded is unknown.`,
      evidence: sessions.map((f) => ({
        kind: 'flow',
        ref: f.uid,
        note: `${f.duration.toFixed(2)} s, ${back(f, g.src)} B back`,
      })),
    };
  const medDur = median(sessions.map((f) => f.duration));
  const medBack = median(sessions.map((f) => back(f, g.src)));
  const standout = sessions.find(
    (f, i) =>
      i >= SHAPE_MIN_SESSIONS - 1 &&
      f.duration >= Math.max(SHAPE_LONG_SECONDS, SHAPE_DURATION_FACTOR * medDur) &&
      back(f, g.src) >= SHAPE_BYTES_FACTOR * medBack,
  );
  if (standout)
    return {
      loginSucceeded: 'yes',
      attemptFailed: 'no',
      basis: 'session-shape',
      meaning: `Inferred from session shape (no sshd log): after ${noun.replace(/^\d+ /, '')} lasting about ${medDur.toFixed(1)} s, one at ${when(standout.ts)} lasted ${standout.duration.toFixed(1)} s with ${back(standout, g.src)} B back, which suggests a login; confirm on the server.`,
      evidence: [{ kind: 'flow', ref: standout.uid, note: 'the session that stands out (inferred login)' }],
    };
  return {
    loginSucceeded: 'unknown',
    attemptFailed: 'unknown',
    basis: 'session-shape',
    meaning: `No sshd log; ${noun}, all short and alike (median ${medDur.toFixed(2)} s, ${medBack} B back): nothing suggests a login, but without the server's log that is not proof.`,
    evidence: sessions.slice(0, 5).map((f) => ({
      kind: 'flow',
      ref: f.uid,
      note: `${f.duration.toFixed(2)} s, ${back(f, g.src)} B back`,
    })),
  };
}

/**
 * @example
 * (await sshLogin(group, lookup)).loginSucceeded // 'no' for hydra's failed guesses
 */
export async function sshLogin(g: AlertGroup, lookup: TriageLookup): Promise<SshLogin> {
  const win = { since: g.ts - LOGIN_BEFORE_SECONDS, until: g.lastSeen + LOGIN_AFTER_SECONDS };
  const pair = await lookup.flows({ a: g.src, b: g.dst, ...win, port: g.dstPort ?? 22, limit: 2000 });
  const sessions = pair.filter((f) => f.proto === 'tcp');
  const pairPorts =
    sessions.length > 0 ? new Set(sessions.map((f) => (f.origH === g.src ? f.origP : f.respP))) : undefined;
  const lines = (
    await lookup.events({
      src: g.src,
      ...win,
      types: ['login-success', 'login-failure', 'invalid-user'],
      sourceKinds: ['sshd'],
      limit: 5000,
    })
  )
    .filter((e) => aboutTarget(e, g, pairPorts))
    .sort((x, y) => x.ts - y.ts || (x.source.line ?? 0) - (y.source.line ?? 0));
  const ok = lines.filter((e) => e.type === 'login-success');
  const bad = lines.filter((e) => e.type !== 'login-success');
  const hostNote = (e: Event) => (e.dst === undefined && e.source.host ? ` on ${inert(e.source.host)}` : '');
  if (ok.length > 0) {
    const first = ok[0]!;
    return {
      loginSucceeded: 'yes',
      attemptFailed: 'no',
      basis: 'sshd',
      meaning: `sshd accepted a login for ${first.user !== undefined ? inert(first.user, 64) : 'an unnamed user'} from ${g.src}${hostNote(first)} at ${when(first.ts)}${bad.length > 0 ? ` after ${bad.length} failed attempt${bad.length === 1 ? '' : 's'}` : ''}${ok.length > 1 ? ` (${ok.length} logins in all)` : ''}.`,
      evidence: [...ok, ...bad].slice(0, MAX_LOG_EVIDENCE).map(logRef),
    };
  }
  if (bad.length > 0) {
    const users = [
      ...new Set(
        bad
          .map((e) => e.user)
          .filter((u): u is string => u !== undefined)
          .map((u) => inert(u, 64)),
      ),
    ];
    const shown = users.slice(0, 6).join(', ') + (users.length > 6 ? ` and ${users.length - 6} more` : '');
    const failed = bad.filter((e) => e.type === 'login-failure').length;
    const invalid = bad.length - failed;
    return {
      loginSucceeded: 'no',
      attemptFailed: 'yes',
      basis: 'sshd',
      meaning: `sshd logged ${failed} failed login${failed === 1 ? '' : 's'}${invalid > 0 ? ` and ${invalid} invalid-user line${invalid === 1 ? '' : 's'}` : ''} from ${g.src}${hostNote(bad[0]!)}${users.length > 0 ? ` (users ${shown})` : ''} and no success.`,
      evidence: bad.slice(0, MAX_LOG_EVIDENCE).map(logRef),
    };
  }
  return fromShape(g, sessions);
}
