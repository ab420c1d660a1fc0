/** Maps a transaction event and a buffer name onto the bytes a rule inspects. */
import { dnsBuffers } from '../buffers/dns.js';
import { httpBuffer, type MergedHeaders } from '../buffers/http.js';
import { http2Buffer } from '../buffers/http2.js';
import { sshBuffer } from '../buffers/ssh.js';
import { tlsBuffer } from '../buffers/tls.js';
import type { AppEvent } from './app-layer.js';

/** A transaction's buffers as built during one inspection, per side (filled by txBuffer). */
export interface TxBufferCache {
  toServer: Map<string, TxBuffers>;
  toClient: Map<string, TxBuffers>;
  /** HTTP header tables merged once for every buffer built from them. */
  headers: MergedHeaders;
}

export type TxBuffers = Uint8Array | readonly Uint8Array[] | undefined;

/** An empty cache; clear it (clearTxBufferCache) before the next inspection. */
export function createTxBufferCache(): TxBufferCache {
  return { toServer: new Map(), toClient: new Map(), headers: new Map() };
}

export function clearTxBufferCache(c: TxBufferCache): void {
  c.toServer.clear();
  c.toClient.clear();
  c.headers.clear();
}

/** The buffer, several buffers (any may match), or undefined when the transaction has none. */
export function txBuffer(ev: AppEvent, name: string, toServer: boolean): TxBuffers {
  const cache = ev.bufCache;
  if (cache === undefined) return build(ev, name, toServer, undefined);
  const side = toServer ? cache.toServer : cache.toClient;
  let b = side.get(name);
  if (b === undefined && !side.has(name)) {
    b = build(ev, name, toServer, cache.headers);
    side.set(name, b);
  }
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
