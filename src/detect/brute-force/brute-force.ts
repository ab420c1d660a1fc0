/**
 * The brute-force detector instance. Login attempts (sshd, HTTP 401, FTP ...)
 * are tallied per source, service and server; connection records (captures,
 * NetFlow) per source, server and port, judged by session shape. Both live in
 * one budgeted state table, and a state's finding is made when it goes idle,
 * is evicted for memory, reaches the longest span, or at the end of input.
 */
import type { AuthAttempt, Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { createStateTable, type ExpireReason } from '../core/state-table.js';
import { tableLifecycle } from '../core/table-lifecycle.js';
import { authFinding } from './auth-finding.js';
import { type AuthTally, addAttempt, authKey, createAuthTally, isSpray, tallyBytes } from './auth-tally.js';
import type { BruteForceConfig } from './config.js';
import {
  addSession,
  createSessionTally,
  isLoginServiceContact,
  type SessionTally,
  sessionFinding,
  sessionKey,
  sessionTallyBytes,
} from './session-shape.js';

type State = { auth: AuthTally; session?: undefined } | { session: SessionTally; auth?: undefined };

/**
 * @example
 * const bf = createBruteForce(bruteForceConfigSchema.parse({}), ctx);
 * for (const a of attempts) bf.auth(a);
 * bf.finish(); // ctx.emit got one finding per source that crossed a window
 */
export function createBruteForce(cfg: BruteForceConfig, ctx: DetectorContext): DetectorInstance {
  const windows = [cfg.fast, cfg.slow];
  let findings = 0;

  const emitAuth = (t: AuthTally, reason: ExpireReason | 'span') => {
    if (t.tries === 0) return;
    if (cfg.leaveToSpray && isSpray(t, cfg.leaveToSpray)) return;
    const [fast, slow] = t.rate.crossings;
    const variant = !Number.isNaN(fast!.at) ? 'fast' : !Number.isNaN(slow!.at) ? 'slow' : undefined;
    if (!variant) return;
    const f = authFinding({
      kind: 'brute-force',
      detector: 'brute-force',
      sourceKind: ctx.sourceKind,
      tally: t,
      variant,
      window: variant === 'fast' ? cfg.fast : cfg.slow,
      took: (variant === 'fast' ? fast : slow)!.took,
    });
    markEnd(f.attrs!, reason);
    findings++;
    ctx.emit(f);
  };

  const emitSession = (t: SessionTally, reason: ExpireReason | 'span') => {
    const f = sessionFinding(t, cfg.sessions, ctx.sourceKind);
    if (!f) return;
    markEnd(f.attrs!, reason);
    findings++;
    ctx.emit(f);
  };

  const table = createStateTable<State>({
    idleSeconds: cfg.idleSeconds,
    budgetBytes: ctx.budgetBytes,
    sizeOf: (s) => (s.auth ? tallyBytes(s.auth) : sessionTallyBytes(s.session!)),
    onExpire: (_key, s, reason) => (s.auth ? emitAuth(s.auth, reason) : emitSession(s.session!, reason)),
  });

  return {
    auth(a: AuthAttempt) {
      const key = `a|${authKey(a)}`;
      const s = table.get(key, a.ts, () => ({ auth: createAuthTally(a, windows) }));
      if (!s.auth) return;
      if (a.ts - s.auth.first > cfg.maxSpanSeconds) {
        emitAuth(s.auth, 'span');
        s.auth = createAuthTally(a, windows);
      }
      addAttempt(s.auth, a, cfg.userLimit);
      table.touched(key);
    },
    contact(c: Contact) {
      if (!c.established || !isLoginServiceContact(c, cfg.sessions)) return;
      const key = `s|${sessionKey(c)}`;
      const s = table.get(key, c.end, () => ({ session: createSessionTally(c, cfg.sessions) }));
      if (!s.session) return;
      if (s.session.sessions > 0 && c.ts - s.session.first > cfg.maxSpanSeconds) {
        emitSession(s.session, 'span');
        s.session = createSessionTally(c, cfg.sessions);
      }
      addSession(s.session, c, cfg.sessions);
      table.touched(key);
    },
    ...tableLifecycle(table, () => findings),
  };
}

/** Says in the finding when its state ended early (memory budget or longest span). */
function markEnd(attrs: Record<string, string | number>, reason: ExpireReason | 'span'): void {
  if (reason === 'budget' || reason === 'span') attrs.stateEnded = reason;
}
