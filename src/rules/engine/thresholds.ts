/**
 * Alert rate control: threshold (limit, threshold, both, backoff),
 * detection_filter (with unique_on), and threshold.config suppress,
 * threshold/event_filter and rate_filter, with Suricata's semantics.
 *
 * Where the engine calls it (Suricata's order, see its "Thresholding
 * Keywords" notes and PacketAlertFinalize):
 * 1. Evaluate the rule's match conditions, including flowbits/flowint/xbits
 *    tests (flowbits.ts `test`). detection_filter is NOT part of the match.
 * 2. When the whole rule matched, apply its state actions at once
 *    (flowbits set/unset/toggle, flowint =/+/-, xbits: flowbits.ts `apply`),
 *    before the next rule is evaluated. Thresholds, detection_filter,
 *    suppress and noalert never hold these back.
 * 3. Call `gate.decide(rule, ctx)` once for that match. It runs suppress
 *    lines first (a suppressed match does not count toward any threshold),
 *    then the rule's threshold or detection_filter (or the threshold.config
 *    line that replaces it), then rate_filters. Its answer:
 *    - 'alert': emit the alert and apply the rule action (drop/reject/pass);
 *      when `gate.rateAction` is set, a rate_filter replaced that action;
 *    - 'silent': apply the rule action, emit no alert (limit past its count,
 *      suppress, noalert rules);
 *    - 'suppress': neither (threshold and detection_filter below their count).
 *    `tag` should run only on 'alert'.
 * `detectionFilter(rule, ctx)` is that one step alone, for an engine that
 * wants Snort's ordering (detection_filter as part of the match, before
 * state actions); it must then call `decide(rule, ctx, true)` so the match
 * is not counted twice. A Suricata-compatible engine never calls it.
 *
 * Trackers live in one LRU table bounded by `maxEntries`; unique_on port
 * bitmaps (8 KiB each) in a second one bounded by `maxDistinctTrackers`.
 * `ctx.flowKey` must identify one flow for its lifetime (a flow uid or a
 * never-reused id), since by_flow trackers are not removed when a flow ends.
 * Packets without IP addresses (`src === ''`) bypass thresholds, as in Suricata.
 */
import type { Rule } from '../ast.js';
import type { ConfigProblem } from '../parse/classification.js';
import type { ThresholdEntry } from '../parse/threshold-config.js';
import type { RuleVars } from '../parse/variables.js';
import { addressInSet, compileConfig, planFor, type RulePlan } from './thresholds-plan.js';
import {
  ALERT,
  distinctMatch,
  firstMatch,
  type Limiter,
  laterMatch,
  newEntry,
  SILENT,
  type StepOutcome,
  type TrackerEntry,
} from './thresholds-step.js';
import { createLruTable } from './thresholds-table.js';

/** The parsed threshold.config (parseThresholdConfig(...).entries). */
export type ThresholdConfig = readonly ThresholdEntry[];

/** The match being decided: packet time (seconds), addresses as text, ports, and the flow. */
export interface AlertContext {
  ts: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  flowKey: number | string;
}

export type AlertVerdict = 'alert' | 'silent' | 'suppress';

export interface AlertGateOptions {
  config?: ThresholdConfig;
  /** Resolves `$HOME_NET` and friends in suppress ip lists. */
  vars?: RuleVars;
  /** Tracker limit (LRU); default 1,000,000. */
  maxEntries?: number;
  /** unique_on trackers (8 KiB each); default 4096. */
  maxDistinctTrackers?: number;
}

export interface AlertGateStats {
  decided: number;
  alerts: number;
  silent: number;
  suppressed: number;
  /** Matches turned silent by a suppress line (also counted in silent). */
  suppressedByConfig: number;
  rateActions: number;
  entries: number;
  evictions: number;
  distinctEntries: number;
  distinctEvictions: number;
}

export interface AlertGate {
  decide(rule: Rule, ctx: AlertContext, detectionFilterDone?: boolean): AlertVerdict;
  detectionFilter(rule: Rule, ctx: AlertContext): boolean;
  /** After decide(): the action a rate_filter put in place of the rule's, or undefined. */
  readonly rateAction: string | undefined;
  /** threshold.config lines the gate could not use (bad suppress address...). */
  readonly configProblems: readonly ConfigProblem[];
  /** The compiled plan for a rule (for explanations and tests). */
  plan(rule: Rule): Readonly<RulePlan>;
  readonly stats: Readonly<AlertGateStats>;
}

const VERDICT: readonly AlertVerdict[] = ['alert', 'silent', 'suppress'];

/**
 * @example
 * const gate = createAlertGate({ config: parseThresholdConfig(text).entries });
 * if (ruleMatched) { applyStateActions(); const v = gate.decide(rule, { ts, src, dst, srcPort, dstPort, flowKey }); }
 */
export function createAlertGate(opts: AlertGateOptions = {}): AlertGate {
  const cfg = compileConfig(opts.config ?? [], opts.vars);
  const plans = new WeakMap<Rule, RulePlan>();
  const table = createLruTable<TrackerEntry>(opts.maxEntries ?? 1_000_000);
  const distinct = createLruTable<TrackerEntry>(opts.maxDistinctTrackers ?? 4096);
  const stats: AlertGateStats = {
    decided: 0,
    alerts: 0,
    silent: 0,
    suppressed: 0,
    suppressedByConfig: 0,
    rateActions: 0,
    entries: 0,
    evictions: 0,
    distinctEntries: 0,
    distinctEvictions: 0,
  };
  let rateAction: string | undefined;

  const planOf = (rule: Rule): RulePlan => {
    let p = plans.get(rule);
    if (p === undefined) {
      p = planFor(rule, cfg);
      plans.set(rule, p);
    }
    return p;
  };

  const trackerKey = (l: Limiter, ctx: AlertContext): string => {
    switch (l.track) {
      case 'by_src':
        return `${l.id}|${ctx.src}`;
      case 'by_dst':
        return `${l.id}|${ctx.dst}`;
      case 'by_both':
        // One pair for both directions.
        return ctx.src < ctx.dst ? `${l.id}|${ctx.src}|${ctx.dst}` : `${l.id}|${ctx.dst}|${ctx.src}`;
      case 'by_flow':
        return `${l.id}|f${ctx.flowKey}`;
      default:
        return l.id;
    }
  };

  const step = (l: Limiter, ctx: AlertContext): StepOutcome => {
    const key = trackerKey(l, ctx);
    if (l.uniqueOn !== undefined) {
      const port = l.uniqueOn === 'src_port' ? ctx.srcPort : ctx.dstPort;
      let e = distinct.get(key);
      const fresh = e === undefined;
      if (e === undefined) {
        e = newEntry(ctx.ts);
        distinct.set(key, e);
      }
      return distinctMatch(l, e, ctx.ts, port, fresh);
    }
    const e = table.get(key);
    if (e !== undefined) return laterMatch(l, e, ctx.ts);
    const created = newEntry(ctx.ts);
    const out = firstMatch(l, created);
    // Suricata keeps no tracker for a threshold of count 1: every match alerts.
    if (!(l.kind === 'threshold' && l.count === 1)) table.set(key, created);
    return out;
  };

  const finish = (plan: RulePlan, out: StepOutcome): AlertVerdict => {
    if (out === ALERT && plan.noalert) out = SILENT;
    stats.decided++;
    if (out === ALERT) stats.alerts++;
    else if (out === SILENT) stats.silent++;
    else stats.suppressed++;
    stats.entries = table.size;
    stats.evictions = table.evictions;
    stats.distinctEntries = distinct.size;
    stats.distinctEvictions = distinct.evictions;
    return VERDICT[out]!;
  };

  return {
    decide(rule, ctx, detectionFilterDone = false) {
      rateAction = undefined;
      const plan = planOf(rule);
      if (ctx.src === '') return finish(plan, ALERT);
      for (const s of plan.suppressions) {
        const hit =
          s.track === 'by_src'
            ? addressInSet(s.addresses, ctx.src)
            : s.track === 'by_dst'
              ? addressInSet(s.addresses, ctx.dst)
              : addressInSet(s.addresses, ctx.src) || addressInSet(s.addresses, ctx.dst);
        if (hit) {
          stats.suppressedByConfig++;
          return finish(plan, SILENT);
        }
      }
      for (const l of plan.limiters) {
        if (l.kind === 'detection' && detectionFilterDone) continue;
        const out = step(l, ctx);
        if (l.kind === 'rate') {
          // sdrop and log parse but change nothing, as in Suricata.
          if (
            out === ALERT &&
            l.newAction !== undefined &&
            l.newAction !== 'sdrop' &&
            l.newAction !== 'log'
          ) {
            rateAction = l.newAction;
            stats.rateActions++;
          }
          continue;
        }
        if (out !== ALERT) return finish(plan, out);
      }
      return finish(plan, ALERT);
    },
    detectionFilter(rule, ctx) {
      if (ctx.src === '') return true;
      for (const l of planOf(rule).limiters) {
        if (l.kind !== 'detection') continue;
        const pass = step(l, ctx) === ALERT;
        stats.entries = table.size;
        stats.distinctEntries = distinct.size;
        return pass;
      }
      return true;
    },
    get rateAction() {
      return rateAction;
    },
    configProblems: cfg.problems,
    plan: planOf,
    stats,
  };
}
