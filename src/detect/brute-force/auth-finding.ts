/**
 * Findings from an authentication tally: brute force (fast or slow variant)
 * and password spraying. Both name the users tried, the window crossed and,
 * first of all, any login that succeeded after the failures — the evidence
 * of a likely compromise that triage looks for.
 */
import type { SourceKind } from '../../schema/event.js';
import type { Finding, FindingKind } from '../../schema/finding.js';
import { emptyOutcomes, findingUid } from '../core/finding-util.js';
import { type AuthTally, maxTriesPerUser, meanTriesPerUser, successesAfterFailures } from './auth-tally.js';
import type { RateWindow } from './config.js';
import { listSample, plural, span, utcTime } from './describe.js';

/** OCSF severities used by the authentication findings (see the doc). */
export const AUTH_SEVERITY = { attack: 3, compromise: 4 } as const;

export interface AuthFindingInput {
  kind: Extract<FindingKind, 'brute-force' | 'password-spray'>;
  detector: string;
  sourceKind: SourceKind;
  tally: AuthTally;
  /** Brute force: which window was crossed. */
  variant?: 'fast' | 'slow';
  window?: RateWindow;
  /** Seconds the first `window.count` tries took. */
  took?: number;
  /** Password spray: the rule's numbers, for the explanation. */
  spray?: { minUsers: number; maxTriesPerUser: number };
}

/**
 * @example
 * authFinding({ kind: 'brute-force', detector: 'brute-force', sourceKind: 'sshd', tally: t,
 *   variant: 'fast', window: { count: 5, seconds: 600 }, took: 0.4 }).severityId // 3
 */
export function authFinding(input: AuthFindingInput): Finding {
  const t = input.tally;
  const after = successesAfterFailures(t);
  const userSample = t.users.sample().map(String);
  const userCount = t.users.count();
  const outcomes = emptyOutcomes();
  // Every logged attempt is the service's answer (a refusal or an acceptance).
  outcomes.answered = t.records;
  const f: Finding = {
    uid: findingUid([input.detector, input.sourceKind, t.src, t.service, t.server, t.first]),
    kind: input.kind,
    detector: input.detector,
    sourceKind: input.sourceKind,
    src: t.src,
    ts: t.first,
    lastSeen: t.last,
    targets: {
      hosts: t.server ? [t.server] : [],
      hostCount: t.server ? 1 : 0,
      ports: t.dstPort >= 0 ? [t.dstPort] : [],
      portCount: t.dstPort >= 0 ? 1 : 0,
      proto: 'tcp',
      service: t.service,
      users: userSample,
      userCount,
    },
    contacts: t.records,
    outcomes,
    failures: t.tries,
    successes: t.successes,
    severityId: after.length > 0 ? AUTH_SEVERITY.compromise : AUTH_SEVERITY.attack,
    explanation: explain(input, after.length),
    evidence: { uids: evidenceUids(t), files: [...t.files] },
    attrs: attrsOf(input, after.length),
  };
  if (t.users.estimated) f.targets.estimated = true;
  if (after.length > 0) f.answered = [t.server || t.src];
  return f;
}

function explain(input: AuthFindingInput, afterCount: number): string {
  const t = input.tally;
  const svc = t.service.toUpperCase();
  const server = t.server ? `${t.server}${t.dstPort >= 0 ? `:${t.dstPort}` : ''}` : 'an unnamed server';
  const userCount = t.users.count();
  const users = userCount
    ? `${plural(userCount, 'user', 'users')} (${listSample(t.users.sample(), userCount)})`
    : 'no user names';
  const parts: string[] = [];
  parts.push(
    `${plural(t.tries, `failed ${svc} login`, `failed ${svc} logins`)} from ${t.src} against ${server} ` +
      `for ${users}, ${utcTime(t.firstFailure)} to ${utcTime(t.lastFailure)} ` +
      `(${span(t.lastFailure - t.firstFailure)}; ${plural(t.records, 'log record', 'log records')}).`,
  );
  if (input.kind === 'brute-force' && input.window) {
    const w = input.window;
    const took = input.took !== undefined ? ` (the first ${w.count} took ${span(input.took)})` : '';
    parts.push(
      input.variant === 'slow'
        ? `Slow brute force: ${w.count} or more tries within ${span(w.seconds)}${took}, below the fast rate.`
        : `Brute force: ${w.count} or more tries within ${span(w.seconds)}${took}.`,
    );
    parts.push(`Most tries on one user: ${maxTriesPerUser(t)}.`);
  }
  if (input.kind === 'password-spray' && input.spray) {
    parts.push(
      `Password spraying: ${userCount} users with ${round1(meanTriesPerUser(t))} tries each on average ` +
        `(rule: at least ${input.spray.minUsers} users, at most ${input.spray.maxTriesPerUser} tries per user).`,
    );
  }
  if (afterCount > 0) {
    const notes = successesAfterFailures(t)
      .slice(0, 3)
      .map(
        (s) =>
          `${s.user || 'unnamed user'} at ${utcTime(s.ts)} after ${plural(s.triesBefore, 'failed try', 'failed tries')}` +
          (s.userTried ? ' (a user it had tried)' : ''),
      );
    parts.push(`SUCCESSFUL LOGIN after the failures — likely compromise: ${notes.join('; ')}.`);
  } else if (t.successes > 0) {
    parts.push(`${plural(t.successes, 'successful login', 'successful logins')} before any failure.`);
  } else {
    parts.push('No successful login from this source.');
  }
  return parts.join(' ');
}

function attrsOf(input: AuthFindingInput, afterCount: number): Record<string, string | number> {
  const t = input.tally;
  const a: Record<string, string | number> = {
    triesPerUserMean: round1(meanTriesPerUser(t)),
    triesPerUserMax: maxTriesPerUser(t),
    successesAfterFailures: afterCount,
  };
  if (input.variant) a.variant = input.variant;
  if (input.window) {
    a.windowCount = input.window.count;
    a.windowSeconds = input.window.seconds;
  }
  const first = successesAfterFailures(t)[0];
  if (first) {
    a.successUser = first.user;
    a.successTs = first.ts;
  }
  return a;
}

/** Success records first (they matter most), then the first failures, 20 at most. */
function evidenceUids(t: AuthTally): string[] {
  const out: string[] = [];
  for (const s of successesAfterFailures(t)) if (out.length < 5) out.push(s.uid);
  for (const u of t.uids) if (out.length < 20 && !out.includes(u)) out.push(u);
  return out;
}

function round1(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10) / 10 : 0;
}
