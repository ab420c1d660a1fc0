/** The coverage report of a loaded rule set: how much Picket will honour. */
import type { LoadResult } from './load.js';

export interface RulesCheck {
  total: number;
  enabled: number;
  disabled: number;
  full: number;
  partial: number;
  rejected: number;
  /** Enabled rules only. */
  enabledFull: number;
  enabledPartial: number;
  enabledRejected: number;
  ignoredKeywords: Record<string, number>;
  rejectReasons: Record<string, number>;
  loadMs: number;
}

/**
 * Summarises a load. Reject reasons are grouped by their keyword-level text
 * (quoted tokens and numbers replaced) so the table stays short.
 * @example rulesCheck(loadRules(['rules/'])).full
 */
export function rulesCheck(result: LoadResult): RulesCheck {
  const c: RulesCheck = {
    total: result.rules.length + result.rejected.length,
    enabled: 0,
    disabled: 0,
    full: 0,
    partial: 0,
    rejected: result.rejected.length,
    enabledFull: 0,
    enabledPartial: 0,
    enabledRejected: 0,
    ignoredKeywords: {},
    rejectReasons: {},
    loadMs: Math.round(result.loadMs),
  };
  for (const r of result.rules) {
    if (r.enabled) c.enabled++;
    else c.disabled++;
    if (r.support === 'full') {
      c.full++;
      if (r.enabled) c.enabledFull++;
    } else {
      c.partial++;
      if (r.enabled) c.enabledPartial++;
    }
    for (const i of r.ignored) c.ignoredKeywords[i.keyword] = (c.ignoredKeywords[i.keyword] ?? 0) + 1;
  }
  for (const r of result.rejected) {
    if (r.disabled) c.disabled++;
    else {
      c.enabled++;
      c.enabledRejected++;
    }
    const reason = r.reason.replace(/"[^"]*"/g, '"…"').replace(/\b\d+\b/g, 'N');
    c.rejectReasons[reason] = (c.rejectReasons[reason] ?? 0) + 1;
  }
  return c;
}
