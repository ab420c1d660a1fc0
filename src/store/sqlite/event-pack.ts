/**
 * A compact, transferable form of a batch of events for the writer thread:
 * each event reduced to its row (the JSON text made here, on the caller's
 * thread), numbers in one Float64Array (moved, not copied) and strings back
 * to back in one string with their lengths alongside. Cloning Event objects
 * through postMessage and serializing them again in the thread cost the
 * writer about 10 µs per event, a third of its time; this leaves it only the
 * inserts.
 */
import type { Event } from '../../schema/event.js';
import { eventColumns } from './rows.js';

/** Numbers per event: ts, class_uid, dst_port (NaN when absent). */
const NUMS = 3;
/** Strings per event: uid, type, src, dst (length -1 when absent), source_kind, data. */
const TEXTS = 6;

export interface PackedEvents {
  count: number;
  /** `count * 3` numbers. */
  numbers: Float64Array;
  /** Every string column of every event, back to back. */
  text: string;
  /** `count * 6` UTF-16 lengths into `text`; -1 for an absent dst. */
  lengths: Int32Array;
}

/**
 * Packs `events[from..to)` into rows.
 *
 * @example
 * const p = packEvents(events, 0, events.length);
 * worker.postMessage(p, [p.numbers.buffer, p.lengths.buffer]);
 */
export function packEvents(events: readonly Event[], from: number, to: number): PackedEvents {
  const count = to - from;
  const numbers = new Float64Array(count * NUMS);
  const lengths = new Int32Array(count * TEXTS);
  let text = '';
  for (let i = from, n = 0, t = 0; i < to; i++) {
    const e = events[i]!;
    numbers[n++] = e.ts;
    numbers[n++] = e.classUid;
    numbers[n++] = e.dstPort ?? Number.NaN;
    const data = JSON.stringify(e);
    text += e.uid;
    lengths[t++] = e.uid.length;
    text += e.type;
    lengths[t++] = e.type.length;
    text += e.src;
    lengths[t++] = e.src.length;
    const dst = e.dst ?? null;
    if (dst === null) lengths[t++] = -1;
    else {
      text += dst;
      lengths[t++] = dst.length;
    }
    text += e.source.kind;
    lengths[t++] = e.source.kind.length;
    text += data;
    lengths[t++] = data.length;
  }
  return { count, numbers, text, lengths };
}

/**
 * Calls `row(params, i)` for each packed event with its values in
 * `eventColumns` order (an absent dst or dst_port as null). `params` is one
 * array, refilled per event: use it before the next call.
 */
export function forEachPackedEvent(p: PackedEvents, row: (params: unknown[], i: number) => void): void {
  const params: unknown[] = new Array(eventColumns.length).fill(null);
  const { numbers, lengths, text } = p;
  let at = 0;
  let t = 0;
  /** The next string field, or null for an absent one. */
  const nextText = (): string | null => {
    const len = lengths[t++]!;
    if (len < 0) return null;
    const s = text.slice(at, at + len);
    at += len;
    return s;
  };
  for (let i = 0, n = 0; i < p.count; i++) {
    // eventColumns: uid, ts, type, class_uid, src, dst, dst_port, source_kind, data
    params[0] = nextText();
    params[1] = numbers[n++]!;
    params[2] = nextText();
    params[3] = numbers[n++]!;
    params[4] = nextText();
    params[5] = nextText();
    const port = numbers[n++]!;
    params[6] = Number.isNaN(port) ? null : port;
    params[7] = nextText();
    params[8] = nextText();
    row(params, i);
  }
}

/** The uid of packed event `i`, for error messages. */
export function packedEventUid(p: PackedEvents, i: number): string {
  let at = 0;
  for (let j = 0; j < i * TEXTS; j++) at += Math.max(0, p.lengths[j]!);
  return p.text.slice(at, at + p.lengths[i * TEXTS]!);
}

if (eventColumns.join() !== 'uid,ts,type,class_uid,src,dst,dst_port,source_kind,data')
  throw new Error('event-pack: packed fields and eventColumns disagree');
