/**
 * Per-flow and per-host rule state: flowbits, flowint and xbits, as the
 * rule engine needs them. One `createRuleState()` per engine run holds the
 * interned names and the xbits host table; each flow gets a
 * `createFlowState()` (a few typed arrays, grown as names appear).
 *
 * Suricata's ordering, which the engine must follow:
 * - Tests (flowbits isset/isnotset, flowint comparisons/isset/notset,
 *   xbits isset/isnotset) are part of the match: `test(cond, flow, ctx)`.
 * - Actions (flowbits set/unset/toggle, flowint = + -, xbits
 *   set/unset/toggle) run only after the WHOLE rule matched, in rule
 *   order: `apply` / `applyRule`. A rule that sets a bit and then fails a
 *   later content sets nothing. `flowbits:isnotset,a; flowbits:set,a;`
 *   therefore fires once per flow.
 * - Actions run before the next rule is evaluated on the same packet, and
 *   regardless of noalert, suppress, threshold or detection_filter (those
 *   only decide the alert: thresholds.ts).
 * - Rules are evaluated in Suricata's order: by action, then rules that
 *   only write bits, then read-and-write, then read-only, then neither
 *   (`compareStateUse`), then priority, then sid.
 * Without a flow (`flow` undefined) every flowbits/flowint test fails, as in Suricata.
 *
 * Flowbits names may be OR-ed (`isset,a|b`: any is set; `isnotset,a|b`:
 * any is not set, Suricata's reading). AND (`a&b`) is Snort's syntax,
 * accepted here: isset all set, isnotset none set, and set/unset/toggle each.
 */
import type { Rule, RuleCondition } from '../ast.js';
import type { FlowbitsOption } from '../keywords/flowbits.js';
import type { FlowintOption } from '../keywords/flowint.js';
import type { XbitsOption } from '../keywords/xbits.js';
import { createNameTable } from './flowbits-names.js';
import {
  applyFlowint,
  createFlowintRegistry,
  type FlowInts,
  isFlowintAction,
  testFlowint,
} from './flowint.js';
import { applyXbits, createXbitsStore, isXbitsAction, testXbits, type XbitsContext } from './xbits.js';

/** One flow's bits and counters. */
export interface FlowState extends FlowInts {
  bits: Uint32Array;
}

/** What state tests and actions need from the packet: time (seconds) and addresses as text. */
export type StateContext = XbitsContext;

export interface RuleStateOptions {
  /** Distinct names per kind (flowbits, flowint, xbits); default 65,536. */
  maxNames?: number;
  /** Hosts and address pairs with xbits (LRU); default 65,536. */
  maxHosts?: number;
}

export interface RuleStateStats {
  flowbitNames: number;
  flowintNames: number;
  xbitNames: number;
  /** Names not stored because a name table was full. */
  namesRefused: number;
  hosts: number;
  hostEvictions: number;
}

export interface RuleState {
  createFlowState(): FlowState;
  /** A state test; true for conditions that are actions or not state keywords. */
  test(cond: RuleCondition, flow: FlowState | undefined, ctx: StateContext): boolean;
  /** A state action; nothing for tests and other keywords. Call only after the whole rule matched. */
  apply(cond: RuleCondition, flow: FlowState | undefined, ctx: StateContext): void;
  /** All of a rule's state tests. */
  testRule(rule: Rule, flow: FlowState | undefined, ctx: StateContext): boolean;
  /** All of a rule's state actions, in rule order. */
  applyRule(rule: Rule, flow: FlowState | undefined, ctx: StateContext): void;
  readonly stats: Readonly<RuleStateStats>;
}

/**
 * @example
 * const state = createRuleState();
 * const flow = state.createFlowState();
 * if (payloadMatched && state.testRule(rule, flow, ctx)) { state.applyRule(rule, flow, ctx); gate.decide(rule, ctx); }
 */
export function createRuleState(opts: RuleStateOptions = {}): RuleState {
  const maxNames = opts.maxNames ?? 65_536;
  const bitNames = createNameTable(maxNames);
  const bitIds = new WeakMap<FlowbitsOption, Int32Array>();
  const ints = createFlowintRegistry(maxNames);
  const xbits = createXbitsStore(opts.maxHosts ?? 65_536, maxNames);
  const stats: RuleStateStats = {
    flowbitNames: 0,
    flowintNames: 0,
    xbitNames: 0,
    namesRefused: 0,
    hosts: 0,
    hostEvictions: 0,
  };
  const refresh = () => {
    stats.flowbitNames = bitNames.size;
    stats.flowintNames = ints.names.size;
    stats.xbitNames = xbits.names.size;
    stats.namesRefused = bitNames.refused + ints.names.refused + xbits.names.refused;
    stats.hosts = xbits.hosts.size;
    stats.hostEvictions = xbits.hosts.evictions;
  };

  const idsOf = (o: FlowbitsOption): Int32Array => {
    let ids = bitIds.get(o);
    if (ids === undefined) {
      ids = Int32Array.from(o.names, (n) => bitNames.index(n));
      bitIds.set(o, ids);
      refresh();
    }
    return ids;
  };

  const test = (cond: RuleCondition, flow: FlowState | undefined, ctx: StateContext): boolean => {
    switch (cond.keyword) {
      case 'flowbits': {
        const o = cond.value as FlowbitsOption;
        if (o.command !== 'isset' && o.command !== 'isnotset') return true;
        if (flow === undefined) return false;
        return testBits(o, idsOf(o), flow.bits);
      }
      case 'flowint': {
        const o = cond.value as FlowintOption;
        if (isFlowintAction(o)) return true;
        return flow !== undefined && testFlowint(o, flow, ints);
      }
      case 'xbits':
        return testXbits(cond.value as XbitsOption, xbits, ctx);
      default:
        return true;
    }
  };

  const apply = (cond: RuleCondition, flow: FlowState | undefined, ctx: StateContext): void => {
    switch (cond.keyword) {
      case 'flowbits': {
        const o = cond.value as FlowbitsOption;
        if (flow === undefined || (o.command !== 'set' && o.command !== 'unset' && o.command !== 'toggle'))
          return;
        const ids = idsOf(o);
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          if (id < 0) continue;
          if (id >>> 5 >= flow.bits.length) growBits(flow, id, bitNames.size);
          const mask = 1 << (id & 31);
          const w = id >>> 5;
          if (o.command === 'set') flow.bits[w] = flow.bits[w]! | mask;
          else if (o.command === 'unset') flow.bits[w] = flow.bits[w]! & ~mask;
          else flow.bits[w] = flow.bits[w]! ^ mask;
        }
        return;
      }
      case 'flowint':
        if (flow !== undefined && !applyFlowint(cond.value as FlowintOption, flow, ints)) refresh();
        return;
      case 'xbits':
        applyXbits(cond.value as XbitsOption, xbits, ctx);
        if (isXbitsAction(cond.value as XbitsOption)) refresh();
        return;
    }
  };

  return {
    createFlowState: () => ({
      bits: new Uint32Array(0),
      ints: new Uint32Array(0),
      intSet: new Uint8Array(0),
    }),
    test,
    apply,
    testRule(rule, flow, ctx) {
      for (const c of rule.conditions) if (!test(c, flow, ctx)) return false;
      return true;
    },
    applyRule(rule, flow, ctx) {
      for (const c of rule.conditions) apply(c, flow, ctx);
    },
    get stats() {
      refresh();
      return stats;
    },
  };
}

function isBitSet(bits: Uint32Array, id: number): boolean {
  if (id < 0 || id >>> 5 >= bits.length) return false;
  return (bits[id >>> 5]! & (1 << (id & 31))) !== 0;
}

function testBits(o: FlowbitsOption, ids: Int32Array, bits: Uint32Array): boolean {
  const wantSet = o.command === 'isset';
  if (o.combine === 'and') {
    for (let i = 0; i < ids.length; i++) if (isBitSet(bits, ids[i]!) !== wantSet) return false;
    return true;
  }
  for (let i = 0; i < ids.length; i++) if (isBitSet(bits, ids[i]!) === wantSet) return true;
  return false;
}

function growBits(flow: FlowState, id: number, namesInUse: number): void {
  const words = Math.max((id >>> 5) + 1, (namesInUse + 31) >>> 5);
  const bits = new Uint32Array(words);
  bits.set(flow.bits);
  flow.bits = bits;
}

/** How a rule uses one kind of state: 1 not at all, 2 reads, 3 reads and writes, 4 only writes (Suricata's ranks). */
export type StateUse = 1 | 2 | 3 | 4;

function use(reads: number, writes: number): StateUse {
  if (reads > 0 && writes > 0) return 3;
  if (writes > 0) return 4;
  return reads > 0 ? 2 : 1;
}

/** The rule's use of flowbits, flowint and xbits, for ordering. */
export function stateUse(rule: Rule): { flowbits: StateUse; flowint: StateUse; xbits: StateUse } {
  const r = { flowbits: 0, flowint: 0, xbits: 0 };
  const w = { flowbits: 0, flowint: 0, xbits: 0 };
  for (const c of rule.conditions) {
    if (c.keyword === 'flowbits') {
      const cmd = (c.value as FlowbitsOption).command;
      if (cmd === 'isset' || cmd === 'isnotset') r.flowbits++;
      else if (cmd !== 'noalert') w.flowbits++;
    } else if (c.keyword === 'flowint') {
      if (isFlowintAction(c.value as FlowintOption)) w.flowint++;
      else r.flowint++;
    } else if (c.keyword === 'xbits') {
      const o = c.value as XbitsOption;
      if (isXbitsAction(o)) w.xbits++;
      else if (o.command !== 'noalert') r.xbits++;
    }
  }
  return {
    flowbits: use(r.flowbits, w.flowbits),
    flowint: use(r.flowint, w.flowint),
    xbits: use(r.xbits, w.xbits),
  };
}

/**
 * Sort comparator putting writers of state before its readers (flowbits,
 * then flowint, then xbits); 0 when they tie, so the caller continues
 * with priority and sid. Suricata sorts by action before this.
 * @example rules.sort((a, b) => compareStateUse(a, b) || (a.priority ?? 3) - (b.priority ?? 3) || a.sid - b.sid)
 */
export function compareStateUse(a: Rule, b: Rule): number {
  const ua = stateUse(a);
  const ub = stateUse(b);
  return ub.flowbits - ua.flowbits || ub.flowint - ua.flowint || ub.xbits - ua.xbits;
}
