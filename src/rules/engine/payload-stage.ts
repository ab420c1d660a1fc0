/**
 * The payload stage of one rule evaluation: find each buffer the rule
 * inspects (packet, stream, header, transaction buffers), apply transforms,
 * run the matches, then `absent`, dataset and urilen tests.
 */
import type { DecodedPacket } from '../../schema/packet.js';
import type { DatasetStore } from '../datasets/index.js';
import { applyTransforms, transformFailed } from '../transforms/index.js';
import type { AppEvent } from './app-layer.js';
import type { CompiledRule } from './compile.js';
import type { DetectFlow } from './detect-flow.js';
import { headerBuffer } from './header-buffers.js';
import { type InspectContext, inspectBuffer } from './inspect.js';
import { testNumber } from './numbers.js';
import { applyListTransforms } from './transform-hook.js';
import { txBuffer, txUriLength } from './tx-buffers.js';

const EMPTY = new Uint8Array(0);

export interface PayloadView {
  p: DecodedPacket | null;
  flow: DetectFlow | null;
  toServer: boolean;
  /** 'packet' = the packet payload, 'stream' = the flow's window in the packet's direction. */
  view: 'packet' | 'stream' | 'none';
  tx: AppEvent | undefined;
  /** Stream view: inspect the window from this index on (data well before it was already inspected). */
  streamStart?: number;
}

type Buffers = Uint8Array | readonly Uint8Array[] | undefined;

function bufferOf(v: PayloadView, name: string, ictx: InspectContext): Buffers {
  const { p, flow } = v;
  if (name === 'pkt') {
    if (v.view === 'packet' && p !== null) return p.payload;
    if (v.view === 'stream' && flow !== null) {
      const w = flow.windows[v.toServer ? 0 : 1];
      return w === null ? undefined : w.buf.subarray(Math.min(v.streamStart ?? 0, w.len), w.len);
    }
    if (p === null && flow !== null) {
      // A transaction inspected at flow end: its side's stream stands in for the packet.
      const w = flow.windows[v.toServer ? 0 : 1];
      return w === null ? EMPTY : w.buf.subarray(0, w.len);
    }
    return p?.payload ?? EMPTY;
  }
  if (name === 'base64_data') return ictx.base64;
  if (name.endsWith('.hdr')) return p === null ? undefined : headerBuffer(p, name);
  if (v.tx !== undefined) return txBuffer(v.tx, name, v.toServer);
  return undefined;
}

/**
 * True when every payload-level test of the rule holds; match spans and
 * bounded regex runs accumulate in `ictx`.
 * @example payloadHolds(rule, { p, flow, toServer: true, view: 'packet', tx: undefined }, ictx, storeFor)
 */
export function payloadHolds(
  c: CompiledRule,
  v: PayloadView,
  ictx: InspectContext,
  datasetStore: (ruleFile: string) => DatasetStore,
): boolean {
  for (const a of c.absent) {
    if (!a.orElse && bufferOf(v, a.buffer, ictx) !== undefined) return false;
  }
  for (const list of c.lists) {
    const bufs = bufferOf(v, list.buffer, ictx);
    if (bufs === undefined) {
      if (c.absent.some((a) => a.buffer === list.buffer)) continue;
      return false;
    }
    let ok = false;
    for (const b of bufs instanceof Uint8Array ? [bufs] : bufs) {
      const t = applyListTransforms(list, b);
      if (t !== undefined && inspectBuffer(list, t, ictx)) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  for (const d of c.datasets) {
    const store = datasetStore(c.rule.file);
    const bufs = bufferOf(v, d.buffer, ictx);
    if (bufs === undefined) return false;
    let ok = false;
    for (const b of bufs instanceof Uint8Array ? [bufs] : bufs) {
      const t = d.transforms.length === 0 ? b : applyTransforms(d.transforms, b);
      if (!transformFailed(t) && store.check(d, t)) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  if (c.urilen !== undefined) {
    const n = v.tx === undefined ? undefined : txUriLength(v.tx, c.urilen.raw);
    if (n === undefined || !testNumber(c.urilen.test, n)) return false;
  }
  return true;
}
