/** Small per-rule checks the detector runs around a match (direction, app protocol, app events, flowbit names). */
import type { DecodedPacket } from '../../schema/packet.js';
import type { AppEvent } from './app-layer.js';
import type { CompiledRule } from './compile.js';
import type { DetectFlow } from './detect-flow.js';

export function isFromClient(flow: DetectFlow, p: DecodedPacket): boolean {
  const len = flow.clientAddr.length;
  for (let i = 0; i < len; i++) if (p.src[i] !== flow.clientAddr[i]) return false;
  return p.srcPort < 0 || p.srcPort === flow.clientPort;
}

/** `http` covers HTTP/1 and HTTP/2; `tls` covers the `ssl` spelling. */
export function appProtoMatches(want: string, have: string | null | undefined): boolean {
  if (have === undefined || have === null) return false;
  if (want === have) return true;
  if (want === 'http') return have === 'http1' || have === 'http2';
  if (want === 'ssl') return have === 'tls';
  return false;
}

/** app-layer-event: the transaction's parser reported each named anomaly (e.g. http.request_body_unexpected). */
export function appEventsHold(c: CompiledRule, tx: AppEvent | undefined): boolean {
  for (const name of c.appEvents) {
    const dot = name.indexOf('.');
    const proto = dot < 0 ? '' : name.slice(0, dot);
    const event = dot < 0 ? name : name.slice(dot + 1);
    if (proto === 'http' && tx?.http !== undefined) {
      if (!tx.http.events.includes(event)) return false;
    } else return false;
  }
  return true;
}

export function applyFlowbits(c: CompiledRule, flow: DetectFlow | null): void {
  if (flow === null || c.flowbitActions.length === 0) return;
  flow.bits ??= new Set();
  const bits = flow.bits;
  for (const a of c.flowbitActions) {
    for (const n of a.names) {
      if (a.command === 'set' || (a.command as string) === 'setx') bits.add(n);
      else if (a.command === 'unset') bits.delete(n);
      else if (a.command === 'toggle') {
        if (bits.has(n)) bits.delete(n);
        else bits.add(n);
      }
    }
  }
}
