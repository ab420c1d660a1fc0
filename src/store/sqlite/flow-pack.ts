/**
 * A compact, transferable form of a batch of flows, for handing them to the
 * writer thread: numbers in one Float64Array (moved, not copied), strings
 * concatenated into one string with their lengths alongside. Cloning 10k
 * plain objects through postMessage costs ~10 µs per flow; this costs ~1.
 */
import type { FlowRecord } from '../../schema/flow.js';
import { flowColumns } from './rows.js';

/** Numeric fields, in the order they sit in `PackedFlows.numbers`. */
const numericFields = [
  'ts',
  'origP',
  'respP',
  'duration',
  'origBytes',
  'respBytes',
  'missedBytes',
  'origPkts',
  'origIpBytes',
  'respPkts',
  'respIpBytes',
  'ipProto',
  'origWireBytes',
  'respWireBytes',
  'vlan',
  'innerVlan',
] as const satisfies readonly (keyof FlowRecord)[];
/** String fields, in the order they sit in `PackedFlows.text`. */
const textFields = [
  'uid',
  'origH',
  'respH',
  'proto',
  'service',
  'connState',
  'history',
  'communityId',
  'source',
] as const satisfies readonly (keyof FlowRecord)[];
const NUMS = numericFields.length;
const TEXTS = textFields.length;

export interface PackedFlows {
  count: number;
  /** `count * 16` numbers; NaN stands for an absent optional (vlan, innerVlan). */
  numbers: Float64Array;
  /** Every string field of every flow, back to back. */
  text: string;
  /** `count * 9` UTF-16 lengths into `text`; -1 for an absent optional (source). */
  lengths: Int32Array;
}

/**
 * Packs `flows[from..to)`.
 *
 * @example
 * const p = packFlows(flows, 0, flows.length);
 * worker.postMessage(p, [p.numbers.buffer, p.lengths.buffer]);
 */
export function packFlows(flows: readonly FlowRecord[], from: number, to: number): PackedFlows {
  const count = to - from;
  const numbers = new Float64Array(count * NUMS);
  const lengths = new Int32Array(count * TEXTS);
  let text = '';
  for (let i = from, n = 0, t = 0; i < to; i++) {
    const f = flows[i]!;
    numbers[n++] = f.ts;
    numbers[n++] = f.origP;
    numbers[n++] = f.respP;
    numbers[n++] = f.duration;
    numbers[n++] = f.origBytes;
    numbers[n++] = f.respBytes;
    numbers[n++] = f.missedBytes;
    numbers[n++] = f.origPkts;
    numbers[n++] = f.origIpBytes;
    numbers[n++] = f.respPkts;
    numbers[n++] = f.respIpBytes;
    numbers[n++] = f.ipProto;
    numbers[n++] = f.origWireBytes;
    numbers[n++] = f.respWireBytes;
    numbers[n++] = f.vlan ?? Number.NaN;
    numbers[n++] = f.innerVlan ?? Number.NaN;
    text += f.uid;
    lengths[t++] = f.uid.length;
    text += f.origH;
    lengths[t++] = f.origH.length;
    text += f.respH;
    lengths[t++] = f.respH.length;
    text += f.proto;
    lengths[t++] = f.proto.length;
    text += f.service;
    lengths[t++] = f.service.length;
    text += f.connState;
    lengths[t++] = f.connState.length;
    text += f.history;
    lengths[t++] = f.history.length;
    text += f.communityId;
    lengths[t++] = f.communityId.length;
    if (f.source === undefined) lengths[t++] = -1;
    else {
      text += f.source;
      lengths[t++] = f.source.length;
    }
  }
  return { count, numbers, text, lengths };
}

/** Where each packed field lands in the positional parameters of `flowColumns`. */
const numericSlots = numericFields.map((f) => flowColumns.indexOf(snake(f)));
const textSlots = textFields.map((f) => flowColumns.indexOf(snake(f)));
const optionalNumbers = new Set(['vlan', 'innerVlan'].map((f) => numericFields.indexOf(f as never)));

/**
 * Calls `row(params, i)` for each packed flow with its values in
 * `flowColumns` order (absent optionals as null). `params` is one array,
 * refilled per flow: use it before the next call.
 */
export function forEachPackedFlow(p: PackedFlows, row: (params: unknown[], i: number) => void): void {
  const params: unknown[] = new Array(flowColumns.length).fill(null);
  let at = 0;
  for (let i = 0; i < p.count; i++) {
    const nBase = i * NUMS;
    for (let k = 0; k < NUMS; k++) {
      const v = p.numbers[nBase + k]!;
      params[numericSlots[k]!] = Number.isNaN(v) && optionalNumbers.has(k) ? null : v;
    }
    const tBase = i * TEXTS;
    for (let k = 0; k < TEXTS; k++) {
      const len = p.lengths[tBase + k]!;
      if (len < 0) params[textSlots[k]!] = null;
      else {
        params[textSlots[k]!] = p.text.slice(at, at + len);
        at += len;
      }
    }
    row(params, i);
  }
}

/** The uid of packed flow `i`, for error messages. */
export function packedUid(p: PackedFlows, i: number): string {
  let at = 0;
  for (let j = 0; j < i * TEXTS; j++) at += Math.max(0, p.lengths[j]!);
  return p.text.slice(at, at + p.lengths[i * TEXTS]!);
}

function snake(camel: string): (typeof flowColumns)[number] {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as (typeof flowColumns)[number];
}

if (numericSlots.includes(-1) || textSlots.includes(-1) || NUMS + TEXTS !== flowColumns.length) {
  throw new Error('flow-pack: packed fields and flowColumns disagree');
}
