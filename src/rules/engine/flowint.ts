/**
 * flowint: named unsigned 32-bit counters kept per flow. Comparisons
 * (== != < <= > >=, isset, notset) are match conditions; `=`, `+`, `-`
 * are actions applied after the whole rule matched. As in Suricata, `+`
 * on an unset counter starts it at the added value, `-` on an unset one
 * does nothing, arithmetic wraps at 2^32, and a comparison with an unset
 * counter (on either side) is false.
 */
import type { FlowintOption } from '../keywords/flowint.js';
import { createNameTable, type NameTable } from './flowbits-names.js';

/** The flowint part of a flow's state; arrays grow to the number of names in use. */
export interface FlowInts {
  ints: Uint32Array;
  intSet: Uint8Array;
}

interface CompiledFlowint {
  idx: number;
  op: FlowintOption['op'];
  /** A literal, or -1 - index of another counter. */
  value: number;
  valueIsVar: boolean;
}

/** Counter names and compiled options of one rule-state instance. */
export interface FlowintRegistry {
  names: NameTable;
  compiled: WeakMap<FlowintOption, CompiledFlowint>;
}

export function createFlowintRegistry(maxNames: number): FlowintRegistry {
  return { names: createNameTable(maxNames), compiled: new WeakMap() };
}

function compile(o: FlowintOption, reg: FlowintRegistry): CompiledFlowint {
  const names = reg.names;
  let c = reg.compiled.get(o);
  if (c === undefined) {
    const isVar = typeof o.value === 'object';
    c = {
      idx: names.index(o.name),
      op: o.op,
      value: isVar ? names.index((o.value as { var: string }).var) : ((o.value as number | undefined) ?? 0),
      valueIsVar: isVar,
    };
    reg.compiled.set(o, c);
  }
  return c;
}

/** True for the operators that change the counter (applied after the match). */
export function isFlowintAction(o: FlowintOption): boolean {
  return o.op === '=' || o.op === '+' || o.op === '-';
}

function isSet(f: FlowInts, idx: number): boolean {
  return idx >= 0 && idx < f.intSet.length && f.intSet[idx] === 1;
}

/** The right-hand value, or undefined when it names an unset counter. */
function operand(f: FlowInts, c: CompiledFlowint): number | undefined {
  if (!c.valueIsVar) return c.value;
  return isSet(f, c.value) ? f.ints[c.value] : undefined;
}

/**
 * Evaluates a flowint condition; actions test true.
 * @example testFlowint({ name: 'n', op: '>', value: 5 }, flow, registry) // false while n <= 5 or unset
 */
export function testFlowint(o: FlowintOption, f: FlowInts, reg: FlowintRegistry): boolean {
  if (isFlowintAction(o)) return true;
  const c = compile(o, reg);
  const set = isSet(f, c.idx);
  if (c.op === 'isset') return set;
  if (c.op === 'notset') return !set;
  if (!set) return false;
  const right = operand(f, c);
  if (right === undefined) return false;
  const left = f.ints[c.idx]!;
  switch (c.op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}

/**
 * Applies `=`, `+` or `-`; comparisons do nothing. Returns false when the
 * counter could not be stored (name table full).
 * @example applyFlowint({ name: 'n', op: '+', value: 1 }, flow, registry) // n: unset → 1 → 2 ...
 */
export function applyFlowint(o: FlowintOption, f: FlowInts, reg: FlowintRegistry): boolean {
  if (!isFlowintAction(o)) return true;
  const c = compile(o, reg);
  if (c.idx < 0) return false;
  const right = operand(f, c);
  if (right === undefined) return true;
  const set = isSet(f, c.idx);
  if (c.op === '-' && !set) return true;
  grow(f, c.idx, reg.names.size);
  const left = set ? f.ints[c.idx]! : 0;
  f.ints[c.idx] = c.op === '=' ? right : c.op === '+' ? (left + right) >>> 0 : (left - right) >>> 0;
  f.intSet[c.idx] = 1;
  return true;
}

function grow(f: FlowInts, idx: number, namesInUse: number): void {
  if (idx < f.ints.length) return;
  const n = Math.max(idx + 1, namesInUse);
  const ints = new Uint32Array(n);
  ints.set(f.ints);
  const intSet = new Uint8Array(n);
  intSet.set(f.intSet);
  f.ints = ints;
  f.intSet = intSet;
}
