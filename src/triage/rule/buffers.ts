/**
 * Rule buffers over what triage has recorded: a capture's HTTP transaction
 * rebuilt as the engine's HttpTx (so `http.*` buffers mean exactly what the
 * rule engine means), an SSH connection's banners, and the few fields an EVE
 * alert carries. `pkt` is the start of the client's stream as it was sent
 * (request head, or the SSH banner line), for rules written on raw payload.
 */
import { normalizeUri } from '../../decode/app/http1-uri.js';
import { httpBuffer } from '../../rules/buffers/http.js';
import { sshBuffer } from '../../rules/buffers/ssh.js';
import type { EvidenceRef } from '../../schema/alarm.js';
import type { HttpTx, SshTx } from '../../schema/app-tx.js';
import type { Event } from '../../schema/event.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';

/** One recorded session (or alert) whose buffers a rule's matches can be run over. */
export interface PayloadSource {
  evidence: EvidenceRef;
  /** The named buffer's bytes (the request side, or the response side when `toServer` is false), undefined when absent. */
  buffer(name: string, toServer: boolean): Uint8Array | undefined;
}

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');
/** Text that came through JSON (EVE) may hold any code point; its bytes on the wire were UTF-8. */
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function toHttpTx(t: HttpTransaction): HttpTx {
  const rawUri = latin1(t.uri);
  const version = t.version === '' ? undefined : latin1(`HTTP/${t.version}`);
  const answered = t.statusCode >= 0;
  const tx: HttpTx = {
    version: 1,
    id: t.transDepth,
    requestLine: latin1(`${t.method} ${t.uri}${t.version ? ` HTTP/${t.version}` : ''}`),
    method: latin1(t.method),
    rawUri,
    requestHeaders: t.requestHeaders.map(([k, v]) => [latin1(k), latin1(v)]),
    requestBody: latin1(t.requestBodyPrefix),
    requestBodyTruncated: t.requestBodyLen > t.requestBodyPrefix.length,
    requestHeadersDone: true,
    requestDone: true,
    responseHeaders: t.responseHeaders.map(([k, v]) => [latin1(k), latin1(v)]),
    responseBody: latin1(t.responseBodyPrefix),
    responseBodyTruncated: t.responseBodyLen > t.responseBodyPrefix.length,
    responseHeadersDone: answered,
    responseDone: answered,
    events: [],
  };
  const uri = normalizeUri(rawUri);
  if (uri !== undefined) tx.uri = uri;
  if (version !== undefined) tx.protocol = version;
  if (answered) {
    tx.statusCode = latin1(String(t.statusCode));
    tx.statusMsg = latin1(t.statusMsg);
  }
  return tx;
}

/** The request head as the client sent it (line, headers, blank line) and the body's first bytes. */
function requestHead(t: HttpTransaction): Uint8Array {
  let s = `${t.method} ${t.uri}${t.version ? ` HTTP/${t.version}` : ''}\r\n`;
  for (const [k, v] of t.requestHeaders) s += `${k}: ${v}\r\n`;
  return latin1(`${s}\r\n${t.requestBodyPrefix}`);
}

/**
 * @example httpSource(tx).buffer('http.user_agent') // bytes of the User-Agent value
 */
export function httpSource(t: HttpTransaction): PayloadSource {
  let tx: HttpTx | undefined;
  return {
    evidence: { kind: 'http', ref: `${t.uid}#${t.transDepth}`, sourceKind: 'pcap' },
    buffer(name, toServer) {
      if (name === 'pkt') return toServer ? requestHead(t) : undefined;
      if (!name.startsWith('http.') && name !== 'file.data') return undefined;
      tx ??= toHttpTx(t);
      return httpBuffer(tx, name, toServer);
    },
  };
}

/** `SSH-2.0-libssh_0.10.6 comment` → proto `2.0`, software `libssh_0.10.6`. */
function splitBanner(banner: string): { proto?: Uint8Array; software?: Uint8Array } {
  const m = /^SSH-([^-\s]*)-(\S*)/.exec(banner);
  return m ? { proto: latin1(m[1]!), software: latin1(m[2]!) } : {};
}

/** The client's side of an SSH connection: its banner line as `pkt`, and ssh.proto / ssh.software. */
export function sshSource(b: SshBanner): PayloadSource {
  const c = splitBanner(b.client);
  const tx: SshTx = {};
  if (c.proto !== undefined) tx.clientProto = c.proto;
  if (c.software !== undefined) tx.clientSoftware = c.software;
  return {
    evidence: { kind: 'flow', ref: b.uid, sourceKind: 'pcap' },
    buffer(name, toServer) {
      if (!toServer) return undefined;
      if (name === 'pkt') return b.client === '' ? undefined : latin1(`${b.client}\r\n`);
      return sshBuffer(tx, name, true);
    },
  };
}

/** What an alert event itself carries (EVE alerts: the request's URI, User-Agent, host; SSH client software). */
export function alertSource(e: Event): PayloadSource {
  const h = e.http;
  const ssh = typeof e.attrs?.sshClient === 'string' ? e.attrs.sshClient : undefined;
  return {
    evidence: { kind: 'alert', ref: e.uid, sourceKind: e.source.kind },
    buffer(name, toServer) {
      if (!toServer) return undefined;
      switch (name) {
        case 'http.uri':
          return h?.uri !== undefined ? (normalizeUri(utf8(h.uri)) ?? utf8(h.uri)) : undefined;
        case 'http.uri.raw':
          return h?.uri !== undefined ? utf8(h.uri) : undefined;
        case 'http.user_agent':
          return h?.userAgent !== undefined ? utf8(h.userAgent) : undefined;
        case 'http.host':
          return h?.host !== undefined ? utf8(h.host.toLowerCase()) : undefined;
        case 'http.method':
          return h?.method !== undefined ? utf8(h.method) : undefined;
        case 'ssh.software':
          return ssh !== undefined ? utf8(ssh) : undefined;
        default:
          return undefined;
      }
    },
  };
}
