/** Maps a transaction event and a buffer name onto the bytes a rule inspects. */
import type { AppEvent } from './app-layer.js';

/** The buffer, several buffers (any may match), or undefined when the transaction has none. */
export function txBuffer(ev: AppEvent, name: string, toServer: boolean): Uint8Array | readonly Uint8Array[] | undefined {
  if (ev.ssh !== undefined) {
    const s = ev.ssh;
    if (name === 'ssh.proto') return toServer ? s.clientProto : s.serverProto;
    if (name === 'ssh.software') return toServer ? s.clientSoftware : s.serverSoftware;
    return undefined;
  }
  return undefined;
}

/** URI length for urilen (normalized, or raw). */
export function txUriLength(ev: AppEvent, raw: boolean): number | undefined {
  const h = ev.http;
  if (h === undefined) return undefined;
  const u = raw ? h.rawUri : h.uri;
  return u?.length;
}
