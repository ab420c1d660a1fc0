/**
 * Which suppressions and limiters apply to one rule, decided once per rule
 * from its own threshold/detection_filter and threshold.config, following
 * Suricata's precedence:
 * - suppress lines (exact gid/sid, `gen_id G, sig_id 0`, `gen_id 0, sig_id 0`)
 *   all apply; one without track/ip turns the rule into noalert.
 * - a threshold/event_filter line for the exact gid/sid replaces the rule's
 *   own threshold or detection_filter (the last such line wins).
 * - a rule that keeps its own threshold/detection_filter ignores wildcard
 *   threshold lines and rate_filters (Suricata warns and skips them too).
 * - otherwise wildcard thresholds and rate_filters for it are added in file order.
 * Unlike Suricata the order of lines does not change which ones apply.
 */
import type { AddressSet, Rule } from '../ast.js';
import type { DetectionFilterOption, ThresholdOption } from '../keywords/threshold.js';
import { compileAddress, parseIp } from '../parse/addresses.js';
import type { ConfigProblem } from '../parse/classification.js';
import type { ThresholdEntry } from '../parse/threshold-config.js';
import { defaultVars, type RuleVars } from '../parse/variables.js';
import type { Limiter } from './thresholds-step.js';

export interface AddressSuppression {
  track: 'by_src' | 'by_dst' | 'by_either';
  addresses: AddressSet;
  line: number;
}

export interface RulePlan {
  /** Never alert (noalert keyword, flowbits/xbits noalert, or a plain suppress line); actions still apply. */
  noalert: boolean;
  suppressions: AddressSuppression[];
  /** Evaluated in order; the first that does not alert decides. */
  limiters: Limiter[];
}

export interface CompiledConfig {
  exact: Map<string, ThresholdEntry[]>;
  byGid: Map<number, ThresholdEntry[]>;
  all: ThresholdEntry[];
  addresses: Map<ThresholdEntry, AddressSet>;
  problems: ConfigProblem[];
}

/** Indexes threshold.config entries by gid/sid and compiles suppress addresses. */
export function compileConfig(
  entries: readonly ThresholdEntry[],
  vars: RuleVars = defaultVars(),
): CompiledConfig {
  const cfg: CompiledConfig = {
    exact: new Map(),
    byGid: new Map(),
    all: [],
    addresses: new Map(),
    problems: [],
  };
  for (const e of entries) {
    if (e.kind === 'suppress' && e.ip !== undefined) {
      const a = compileAddress(e.ip, vars);
      if ('error' in a) {
        cfg.problems.push({ line: e.line, reason: `suppress ip: ${a.error}` });
        continue;
      }
      cfg.addresses.set(e, a);
    }
    if (e.sid > 0 && e.gid === 0) {
      cfg.problems.push({ line: e.line, reason: 'sig_id > 0 with gen_id 0 is not allowed' });
      continue;
    }
    if (e.sid === 0 && e.gid === 0) cfg.all.push(e);
    else if (e.sid === 0) push(cfg.byGid, e.gid, e);
    else push(cfg.exact, `${e.gid}:${e.sid}`, e);
  }
  return cfg;
}

function push<K>(m: Map<K, ThresholdEntry[]>, k: K, e: ThresholdEntry): void {
  const list = m.get(k);
  if (list) list.push(e);
  else m.set(k, [e]);
}

/** The plan for one rule. */
export function planFor(rule: Rule, cfg: CompiledConfig): RulePlan {
  const plan: RulePlan = { noalert: hasNoalert(rule), suppressions: [], limiters: [] };
  const key = `${rule.gid}:${rule.sid}`;
  const applicable = [...(cfg.exact.get(key) ?? []), ...(cfg.byGid.get(rule.gid) ?? []), ...cfg.all].sort(
    (a, b) => a.line - b.line,
  );
  for (const e of applicable) {
    if (e.kind !== 'suppress') continue;
    const addresses = cfg.addresses.get(e);
    if (e.track === undefined) plan.noalert = true;
    else if (addresses) plan.suppressions.push({ track: e.track, addresses, line: e.line });
  }
  const own = rule.conditions.find((c) => c.keyword === 'threshold' || c.keyword === 'detection_filter');
  const exactThresholds = (cfg.exact.get(key) ?? []).filter(
    (e) => e.kind === 'threshold' || e.kind === 'event_filter',
  );
  const override = exactThresholds[exactThresholds.length - 1];
  if (override && override.kind !== 'suppress' && override.kind !== 'rate_filter') {
    plan.limiters.push(fromConfig(override, key));
    return plan;
  }
  if (own) {
    plan.limiters.push(
      own.keyword === 'threshold'
        ? fromThreshold(own.value as ThresholdOption, key)
        : fromDetectionFilter(own.value as DetectionFilterOption, key),
    );
    return plan;
  }
  for (const e of applicable) {
    if (e.kind === 'suppress') continue;
    plan.limiters.push(fromConfig(e, key));
  }
  return plan;
}

function hasNoalert(rule: Rule): boolean {
  for (const c of rule.conditions) {
    if (c.keyword === 'noalert') return true;
    if (
      (c.keyword === 'flowbits' || c.keyword === 'xbits') &&
      (c.value as { command: string }).command === 'noalert'
    )
      return true;
  }
  return false;
}

function fromThreshold(o: ThresholdOption, key: string): Limiter {
  return {
    kind: o.type,
    track: o.track,
    count: o.count,
    seconds: o.seconds ?? 0,
    multiplier: o.multiplier ?? 1,
    timeout: 0,
    id: `${key}|r`,
    origin: 'rule',
  };
}

function fromDetectionFilter(o: DetectionFilterOption, key: string): Limiter {
  return {
    kind: 'detection',
    track: o.track,
    count: o.count,
    seconds: o.seconds,
    multiplier: 1,
    ...(o.uniqueOn ? { uniqueOn: o.uniqueOn } : {}),
    timeout: 0,
    id: `${key}|r`,
    origin: 'rule',
  };
}

function fromConfig(e: Exclude<ThresholdEntry, { kind: 'suppress' }>, key: string): Limiter {
  const origin = `threshold.config line ${e.line}`;
  const id = `${key}|c${e.line}`;
  if (e.kind === 'rate_filter') {
    return {
      kind: 'rate',
      track: e.track as Limiter['track'],
      count: e.count,
      seconds: e.seconds,
      multiplier: 1,
      newAction: e.newAction,
      timeout: e.timeout,
      id,
      origin,
    };
  }
  return {
    kind: e.type,
    track: e.track,
    count: e.count,
    seconds: e.seconds,
    multiplier: 1,
    timeout: 0,
    id,
    origin,
  };
}

/** True when the address text (dotted IPv4 or IPv6) lies in the set; false for unparsable text. */
export function addressInSet(set: AddressSet, text: string): boolean {
  if (set.any) return true;
  const ip = parseIp(text);
  if (!ip) return false;
  if (ip.v6) {
    for (const r of set.v6) if (ip.n >= r[0] && ip.n <= r[1]) return true;
    return false;
  }
  const n = Number(ip.n);
  for (const r of set.v4) if (n >= r[0] && n <= r[1]) return true;
  return false;
}
