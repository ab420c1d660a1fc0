/** Test helpers: alerts and application transactions built from plain values. */
import type { DnsTx, HttpTx, SshTx, TlsTx } from '../../schema/app-tx.js';
import type { Alert } from '../engine/alert.js';
import { accepted } from '../testing.js';

const te = new TextEncoder();
export const bytes = (s: string) => te.encode(s);

/** An HTTP transaction from header pairs given as text. */
export function httpTx(p: {
  method?: string;
  uri?: string;
  protocol?: string;
  requestHeaders?: Array<[string, string]>;
  status?: string;
  responseHeaders?: Array<[string, string]>;
  responseBody?: string;
  version?: 1 | 2;
}): HttpTx {
  const hs = (h: Array<[string, string]> | undefined) =>
    (h ?? []).map(([n, v]) => [bytes(n), bytes(v)] as [Uint8Array, Uint8Array]);
  return {
    version: p.version ?? 1,
    id: 0,
    ...(p.method !== undefined ? { method: bytes(p.method) } : {}),
    ...(p.uri !== undefined ? { rawUri: bytes(p.uri), uri: bytes(p.uri) } : {}),
    ...(p.protocol !== undefined ? { protocol: bytes(p.protocol) } : {}),
    requestHeaders: hs(p.requestHeaders),
    requestBody: new Uint8Array(0),
    requestBodyTruncated: false,
    requestHeadersDone: true,
    requestDone: true,
    ...(p.status !== undefined ? { statusCode: bytes(p.status) } : {}),
    responseHeaders: hs(p.responseHeaders),
    responseBody: bytes(p.responseBody ?? ''),
    responseBodyTruncated: false,
    responseHeadersDone: p.status !== undefined,
    responseDone: p.status !== undefined,
    events: [],
  };
}

export function dnsTx(p: Partial<DnsTx> = {}): DnsTx {
  return { txId: 0x1234, response: false, rcode: 0, queries: [], answers: [], ...p };
}

export function tlsTx(p: Partial<TlsTx> = {}): TlsTx {
  return {
    clientVersion: -1,
    serverVersion: -1,
    certs: [],
    clientHelloDone: false,
    serverHelloDone: false,
    certificateDone: false,
    ...p,
  };
}

export function sshTx(p: Partial<SshTx> = {}): SshTx {
  return { ...p };
}

/** A TCP alert from 203.0.113.5:40000 to 192.168.1.10:80 for a rule given by its options. */
export function alertFor(options: string, p: Partial<Alert> = {}): Alert {
  return {
    ts: 1704164645.123456,
    rule: accepted(options),
    action: 'allowed',
    src: '203.0.113.5',
    srcPort: 40000,
    dst: '192.168.1.10',
    dstPort: 80,
    ipProto: 6,
    toServer: true,
    frame: 41,
    flowUid: 'CabcDEF123',
    communityId: '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
    flowId: 1676750115612680,
    spans: [],
    ...p,
  };
}
