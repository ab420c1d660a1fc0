/**
 * What one source did against one login service (and server): tries, users,
 * successes, in bounded memory. Shared by the brute-force and password-spray
 * detectors, so both read the same counts and agree on which one a key is.
 *
 * Counting tries: sshd logs "Invalid user X" once per connection and then one
 * "Failed password for invalid user X" per password, so counting lines would
 * count a connection's first password twice. A user's tries are therefore
 * max(failures, invalid-user notices): one notice alone (the client gave up
 * before a password) is one try, a notice and four failures are four.
 */
import type { AuthAttempt } from '../core/contact.js';
import { createDistinctCounter, type DistinctCounter } from '../core/distinct.js';
import { pushCapped } from '../core/finding-util.js';
import type { RateWindow, SprayRule } from './config.js';
import { createRateTracker, type RateTracker } from './rate-window.js';

/** A successful login seen in the state, with how many tries came before it. */
export interface SuccessNote {
  user: string;
  ts: number;
  uid: string;
  /** Tries counted before this success (0: it came first). */
  triesBefore: number;
  /** The user was among those tried and failed before. */
  userTried: boolean;
}

export interface AuthTally {
  src: string;
  service: string;
  /** Server address or logging host; '' when the log names neither. */
  server: string;
  dstPort: number;
  first: number;
  last: number;
  /** Attempt records read (log lines), failures and successes. */
  records: number;
  /** Estimated password tries (failures), see the file comment. */
  tries: number;
  firstFailure: number;
  lastFailure: number;
  users: DistinctCounter;
  /** Per-user [failures, invalid-user notices], exact up to the user limit. */
  perUser: Map<string, [number, number]>;
  /** Failures whose user was past the limit or unnamed: counted one record, one try. */
  untracked: number;
  /** Characters of the user names held (names are attacker-chosen, so their size is charged). */
  userChars: number;
  successes: number;
  successNotes: SuccessNote[];
  rate: RateTracker;
  uids: string[];
  files: string[];
}

const MAX_SUCCESS_NOTES = 8;
const MAX_UIDS = 20;
const MAX_FILES = 4;

/** The key of an attempt's state: source, service and server (dst, else the logging host). */
export function authKey(a: AuthAttempt): string {
  return `${a.src}|${a.service}|${serverOf(a)}`;
}

/** The server an attempt was against: its dst, else the logging host, else ''. */
export function serverOf(a: AuthAttempt): string {
  return a.dst ?? a.host ?? '';
}

/**
 * An empty tally for the key of `a`, with rate windows to watch.
 *
 * @example
 * const t = createAuthTally(a, [{ count: 5, seconds: 600 }]);
 */
export function createAuthTally(a: AuthAttempt, windows: readonly RateWindow[]): AuthTally {
  return {
    src: a.src,
    service: a.service,
    server: serverOf(a),
    dstPort: a.dstPort ?? -1,
    first: a.ts,
    last: a.ts,
    records: 0,
    tries: 0,
    firstFailure: Number.NaN,
    lastFailure: Number.NaN,
    users: createDistinctCounter({ exactLimit: 256, sampleLimit: 32 }),
    perUser: new Map(),
    untracked: 0,
    userChars: 0,
    successes: 0,
    successNotes: [],
    rate: createRateTracker(windows),
    uids: [],
    files: [],
  };
}

/**
 * Adds one attempt; returns true when it counted as a new try.
 *
 * @example
 * const t = createAuthTally(a, [{ count: 5, seconds: 600 }]);
 * addAttempt(t, a, 256) // true for a failure
 */
export function addAttempt(t: AuthTally, a: AuthAttempt, userLimit: number): boolean {
  t.records++;
  if (a.ts < t.first) t.first = a.ts;
  if (a.ts > t.last) t.last = a.ts;
  if (a.file !== undefined) pushCapped(t.files, a.file, MAX_FILES);
  if (t.dstPort < 0 && a.dstPort !== undefined) t.dstPort = a.dstPort;
  const user = a.user ?? '';
  if (a.result === 'success') {
    t.successes++;
    if (t.successNotes.length < MAX_SUCCESS_NOTES)
      t.successNotes.push({
        user,
        ts: a.ts,
        uid: a.uid,
        triesBefore: t.tries,
        userTried: t.perUser.has(user),
      });
    return false;
  }
  if (a.user !== undefined) t.users.add(a.user);
  let newTry = true;
  const counts = t.perUser.get(user);
  if (counts) {
    const before = Math.max(counts[0], counts[1]);
    counts[a.result === 'failure' ? 0 : 1]++;
    newTry = Math.max(counts[0], counts[1]) > before;
  } else if (a.user !== undefined && t.perUser.size < userLimit) {
    t.perUser.set(user, a.result === 'failure' ? [1, 0] : [0, 1]);
    t.userChars += user.length;
  } else {
    t.untracked++;
  }
  if (!newTry) return false;
  t.tries++;
  if (Number.isNaN(t.firstFailure) || a.ts < t.firstFailure) t.firstFailure = a.ts;
  if (Number.isNaN(t.lastFailure) || a.ts > t.lastFailure) t.lastFailure = a.ts;
  if (t.uids.length < MAX_UIDS) t.uids.push(a.uid);
  t.rate.add(a.ts);
  return true;
}

/** Approximate heap bytes of a tally. */
export function tallyBytes(t: AuthTally): number {
  return (
    360 +
    t.src.length * 2 +
    t.server.length * 2 +
    t.users.bytes +
    t.perUser.size * 96 +
    t.userChars * 2 +
    t.rate.bytes +
    t.successNotes.length * 96 +
    t.uids.length * 48 +
    t.files.length * 80
  );
}

/** The most tries any one (tracked) user had. */
export function maxTriesPerUser(t: AuthTally): number {
  let m = 0;
  for (const [f, i] of t.perUser.values()) m = Math.max(m, f, i);
  return m;
}

/** Mean tries per distinct user; Infinity when no user was named. */
export function meanTriesPerUser(t: AuthTally): number {
  const users = t.users.count();
  return users === 0 ? Number.POSITIVE_INFINITY : t.tries / users;
}

/**
 * The spray rule: at least `minUsers` distinct users and at most
 * `maxTriesPerUser` tries per user on average. Brute force (many tries on few
 * users) never meets it; a tool walking a user list with one or two common
 * passwords does.
 */
export function isSpray(t: AuthTally, rule: SprayRule): boolean {
  return t.users.count() >= rule.minUsers && meanTriesPerUser(t) <= rule.maxTriesPerUser;
}

/** Successes that came after at least one failed try from the same source. */
export function successesAfterFailures(t: AuthTally): SuccessNote[] {
  if (Number.isNaN(t.firstFailure)) return [];
  return t.successNotes.filter((s) => s.triesBefore > 0 || s.ts >= t.firstFailure);
}
