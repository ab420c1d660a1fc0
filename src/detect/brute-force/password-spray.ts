/**
 * The password-spray detector instance: one source trying few passwords on
 * each of many users of one service (and server). It reads the same tally as
 * the brute-force detector and applies the spray rule (auth-tally.ts
 * `isSpray`), which the brute-force detector leaves alone by default, so one
 * attack gives one of the two kinds, not both.
 */
import type { AuthAttempt } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { createStateTable, type ExpireReason } from '../core/state-table.js';
import { tableLifecycle } from '../core/table-lifecycle.js';
import { authFinding } from './auth-finding.js';
import { type AuthTally, addAttempt, authKey, createAuthTally, isSpray, tallyBytes } from './auth-tally.js';
import type { PasswordSprayConfig } from './config.js';

/**
 * @example
 * const ps = createPasswordSpray(passwordSprayConfigSchema.parse({}), ctx);
 * for (const a of attempts) ps.auth(a);
 * ps.finish();
 */
export function createPasswordSpray(cfg: PasswordSprayConfig, ctx: DetectorContext): DetectorInstance {
  let findings = 0;
  const rule = { minUsers: cfg.minUsers, maxTriesPerUser: cfg.maxTriesPerUser };

  const emit = (t: AuthTally, reason: ExpireReason | 'span') => {
    if (!isSpray(t, rule)) return;
    const f = authFinding({
      kind: 'password-spray',
      detector: 'password-spray',
      sourceKind: ctx.sourceKind,
      tally: t,
      spray: rule,
    });
    if (reason === 'budget' || reason === 'span') f.attrs!.stateEnded = reason;
    findings++;
    ctx.emit(f);
  };

  const table = createStateTable<{ t: AuthTally }>({
    idleSeconds: cfg.idleSeconds,
    budgetBytes: ctx.budgetBytes,
    sizeOf: (s) => tallyBytes(s.t),
    onExpire: (_key, s, reason) => emit(s.t, reason),
  });

  return {
    auth(a: AuthAttempt) {
      const key = authKey(a);
      const s = table.get(key, a.ts, () => ({ t: createAuthTally(a, []) }));
      if (a.ts - s.t.first > cfg.maxSpanSeconds) {
        emit(s.t, 'span');
        s.t = createAuthTally(a, []);
      }
      addAttempt(s.t, a, cfg.userLimit);
      table.touched(key);
    },
    ...tableLifecycle(table, () => findings),
  };
}
