/** Maps a transaction event and a buffer name onto the bytes a rule inspects. */
import { dnsBuffers } from '../buffers/dns.js';
import { httpBuffer, type MergedHeaders } from '../buffers/http.js';
import { http2Buffer } from '../buffers/http2.js';
import { sshBuffer } from '../buffers/ssh.js';
import { tlsBuffer } from '../buffers/tls.js';
import type { AppEvent } from './app-layer.js';

/**
 * A transaction's buffers as built during one inspection, per side (filled
 * by txBuffer). Slots are numbered by buffer name and stamped with the
 * inspection's generation, so clearing is a counter step.
 */
export interface TxBufferCache {
  gen: number;
  /** Per side (0 to server, 1 to client): the generation each slot was filled in. */
  stamp: [number[], number[]];
  value: [TxBuffers[], TxBuffers[]];
  /** HTTP header tables merged once for every buffer built from them. */
  headers: MergedHeaders;
}

export type TxBuffers = Uint8Array | readonly Uint8Array[] | undefined;

/** Buffer names as slot numbers (a ruleset names a few dozen buffers). */
const slots = new Map<string, number>();

function slotOf(name: string): number {
  let k = slots.get(name);
  if (k === undefined) {
    k = slots.size;
    slots.set(name, k);
  }
  return k;
}

/** An empty cache; clear it (clearTxBufferCache) before the next inspection. */
export function createTxBufferCache(): TxBufferCache {
  return { gen: 1, stamp: [[], []], value: [[], []], headers: new Map() };
}

export function clearTxBufferCache(c: TxBufferCache): void {
  c.gen++;
  if (c.headers.size > 0) c.headers.clear();
}

/** The buffer, several buffers (any may match), or undefined when the transaction has none. */
export function txBuffer(ev: AppEvent, name: string, toServer: boolean): TxBuffers {
  const cache = ev.bufCache;
  if (cache === undefined) return build(ev, name, toServer, undefined);
  const side = toServer ? 0 : 1;
  const k = slotOf(name);
  if (cache.stamp[side][k] === cache.gen) return cache.value[side][k];
  const b = build(ev, name, toServer, cache.headers);
  cache.stamp[side][k] = cache.gen;
  cache.value[side][k] = b;
  return b;
}

function build(ev: AppEvent, name: string, toServer: boolean, headers: MergedHeaders | undefined): TxBuffers {
  if (ev.http !== undefined)
    return ev.http.version === 2
      ? http2Buffer(ev.http, name, toServer)
      : httpBuffer(ev.http, name, toServer, headers);
  if (ev.file !== undefined) return name === 'file.data' ? ev.file.data : undefined;
  if (ev.dns !== undefined) return dnsBuffers(ev.dns, name);
  if (ev.tls !== undefined) return tlsBuffer(ev.tls, name);
  if (ev.ssh !== undefined) return sshBuffer(ev.ssh, name, toServer);
  return undefined;
}

/** URI length for urilen (normalized, or raw). */
export function txUriLength(ev: AppEvent, raw: boolean): number | undefined {
  const h = ev.http;
  if (h === undefined) return undefined;
  const u = raw ? h.rawUri : h.uri;
  return u?.length;
}
