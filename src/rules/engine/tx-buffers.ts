/** Maps a transaction event and a buffer name onto the bytes a rule inspects. */
import { dnsBuffers } from '../buffers/dns.js';
import { httpBuffer } from '../buffers/http.js';
import { http2Buffer } from '../buffers/http2.js';
import { sshBuffer } from '../buffers/ssh.js';
import { tlsBuffer } from '../buffers/tls.js';
import type { AppEvent } from './app-layer.js';

/** The buffer, several buffers (any may match), or undefined when the transaction has none. */
export function txBuffer(
  ev: AppEvent,
  name: string,
  toServer: boolean,
): Uint8Array | readonly Uint8Array[] | undefined {
  const cache = ev.bufCache;
  if (cache === undefined) return build(ev, name, toServer);
  const key = toServer ? `>${name}` : `<${name}`;
  if (cache.has(key)) return cache.get(key);
  const b = build(ev, name, toServer);
  cache.set(key, b);
  return b;
}

function build(
  ev: AppEvent,
  name: string,
  toServer: boolean,
): Uint8Array | readonly Uint8Array[] | undefined {
  if (ev.http !== undefined)
    return ev.http.version === 2 ? http2Buffer(ev.http, name, toServer) : httpBuffer(ev.http, name, toServer);
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
