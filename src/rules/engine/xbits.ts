/**
 * xbits: named bits kept per host (track ip_src / ip_dst: the packet's
 * source or destination host; one host table for both, as Suricata's
 * hostbits) or per unordered address pair (track ip_pair), each with an
 * expiry. A set bit holds until `ts + expire` (default 30 s, Suricata's);
 * setting it again renews it. Hosts live in a bounded LRU table.
 */
import type { XbitsOption } from '../keywords/xbits.js';
import { createNameTable, type NameTable } from './flowbits-names.js';
import { createLruTable, type LruTable } from './thresholds-table.js';

export const XBITS_DEFAULT_EXPIRE = 30;

/** Packet facts xbits need. */
export interface XbitsContext {
  ts: number;
  src: string;
  dst: string;
}

/** The host/pair store of one rule-state instance. */
export interface XbitsStore {
  names: NameTable;
  /** Per host or pair: bit index → time it expires. */
  hosts: LruTable<Map<number, number>>;
}

/** @example const store = createXbitsStore(65536, 256); */
export function createXbitsStore(maxHosts: number, maxNames: number): XbitsStore {
  return { names: createNameTable(maxNames), hosts: createLruTable(maxHosts) };
}

/** True for set/unset/toggle (applied after the match). */
export function isXbitsAction(o: XbitsOption): boolean {
  return o.command === 'set' || o.command === 'unset' || o.command === 'toggle';
}

function hostKey(o: XbitsOption, ctx: XbitsContext): string {
  if (o.track === 'ip_src') return `h${ctx.src}`;
  if (o.track === 'ip_dst') return `h${ctx.dst}`;
  return ctx.src < ctx.dst ? `p${ctx.src}|${ctx.dst}` : `p${ctx.dst}|${ctx.src}`;
}

function isSet(store: XbitsStore, o: XbitsOption, ctx: XbitsContext, idx: number): boolean {
  const bits = store.hosts.get(hostKey(o, ctx));
  if (bits === undefined) return false;
  const until = bits.get(idx);
  return until !== undefined && ctx.ts < until;
}

/**
 * isset / isnotset; actions and noalert test true. Without addresses nothing matches.
 * @example testXbits({ command: 'isset', name: 'badssh', track: 'ip_src' }, store, ctx)
 */
export function testXbits(o: XbitsOption, store: XbitsStore, ctx: XbitsContext): boolean {
  if (o.command !== 'isset' && o.command !== 'isnotset') return true;
  if (ctx.src === '') return false;
  const idx = store.names.index(o.name);
  const set = idx >= 0 && isSet(store, o, ctx, idx);
  return o.command === 'isset' ? set : !set;
}

/**
 * set / unset / toggle for the tracked host or pair; tests do nothing.
 * @example applyXbits({ command: 'set', name: 'badssh', track: 'ip_src', expire: 3600 }, store, ctx)
 */
export function applyXbits(o: XbitsOption, store: XbitsStore, ctx: XbitsContext): void {
  if (!isXbitsAction(o) || ctx.src === '') return;
  const idx = store.names.index(o.name);
  if (idx < 0) return;
  const key = hostKey(o, ctx);
  let bits = store.hosts.get(key);
  const set = bits !== undefined && (bits.get(idx) ?? -Infinity) > ctx.ts;
  if (o.command === 'unset' || (o.command === 'toggle' && set)) {
    bits?.delete(idx);
    return;
  }
  if (bits === undefined) {
    bits = new Map();
    store.hosts.set(key, bits);
  }
  bits.set(idx, ctx.ts + (o.expire ?? XBITS_DEFAULT_EXPIRE));
}
