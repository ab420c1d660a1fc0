/**
 * Protocol recognition and the parser behind each protocol, adapted to the
 * engine's transaction events. Recognition is by content; ports only break
 * ties where content cannot (DNS over TCP).
 */

import { isDnsError, parseDnsMessage } from '../../decode/app/dns.js';
import { createDnsTcpParser } from '../../decode/app/dns-tcp.js';
import { createHttp1TxParser } from '../../decode/app/http1-tx.js';
import {
  createH2cUpgradeParser,
  createHttp2Parser,
  type Http2Parser,
  isH2cUpgradeRequest,
} from '../../decode/app/http2/index.js';
import { recognizeTcp, recognizeUdp } from '../../decode/app/recognize.js';
import { createSmbParser } from '../../decode/app/smb/index.js';
import { createSmtpParser } from '../../decode/app/smtp/index.js';
import { createSshBannerParser } from '../../decode/app/ssh.js';
import { createTlsParser } from '../../decode/app/tls/index.js';
import type { HttpTx, SshTx } from '../../schema/app-tx.js';
import type { ProblemLog } from '../../schema/problem.js';
import type { AppEvent } from './app-layer.js';

export type Emit = (ev: Omit<AppEvent, 'flow'>) => void;

export interface TcpAppParser {
  data(toServer: boolean, bytes: Uint8Array): void;
  gap(toServer: boolean, len: number): void;
  end(): void;
}

export interface UdpAppParser {
  datagram(toServer: boolean, bytes: Uint8Array): void;
}

export interface ParserOptions {
  problems?: ProblemLog;
  file?: string;
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

function isSmb(b: Uint8Array): boolean | undefined {
  if (b.length < 8) return b.length > 0 && b[0] === 0 ? undefined : false;
  return (
    b[0] === 0 &&
    (b[4] === 0xff || b[4] === 0xfe || b[4] === 0xfd) &&
    b[5] === 0x53 &&
    b[6] === 0x4d &&
    b[7] === 0x42
  );
}

/**
 * The application protocol of a flow from its first bytes in one direction:
 * a name, undefined (need more bytes) or null (unknown).
 */
export function recognize(
  b: Uint8Array,
  fromClient: boolean,
  serverPort: number,
  ipProto: number,
): string | null | undefined {
  if (ipProto === 17) {
    const v = recognizeUdp(b);
    return v === 'dns' ? 'dns' : null;
  }
  if (fromClient) {
    const n = Math.min(b.length, H2_PREFACE.length);
    if (n > 0 && Buffer.from(b.buffer, b.byteOffset, n).equals(H2_PREFACE.subarray(0, n)))
      return n === H2_PREFACE.length ? 'http2' : undefined;
  }
  const smb = isSmb(b);
  if (smb === true) return 'smb';
  const v = recognizeTcp(b, fromClient);
  if (v === 'http') return 'http1';
  if (v === 'ssl') return 'tls';
  if (v === 'ssh' || v === 'smtp' || v === 'ftp') return v;
  if (v === undefined || smb === undefined) return undefined;
  if (serverPort === 53 && b.length >= 14) return 'dns';
  return null;
}

/** The parser for a recognised TCP protocol; null when Picket has none (the flow keeps its name). */
export function createTcpParser(proto: string, emit: Emit, opts: ParserOptions): TcpAppParser | null {
  switch (proto) {
    case 'ssh':
      return sshParser(emit);
    case 'http1':
      return http1Parser(emit, opts);
    case 'http2':
      return http2Parser(emit, opts);
    case 'tls':
      return tlsParser(emit, opts);
    case 'smb':
      return smbParser(emit, opts);
    case 'smtp':
      return smtpParser(emit, opts);
    case 'dns':
      return dnsTcpParser(emit);
    default:
      return null;
  }
}

export function createUdpParser(proto: string, emit: Emit, _opts: ParserOptions): UdpAppParser | null {
  if (proto !== 'dns') return null;
  let n = 0;
  return {
    datagram(_toServer, bytes) {
      const m = parseDnsMessage(bytes);
      if (isDnsError(m)) return;
      emit({
        proto: 'dns',
        key: `dns:${n++}`,
        txId: m.txId,
        progress: m.response ? 'response' : 'request',
        dns: m,
      });
    },
  };
}

/**
 * HTTP/1 with the h2c Upgrade: once a request asking for `Upgrade: h2c` is
 * answered by 101, the bytes after that response (and after the request) are
 * HTTP/2, with the upgraded request as stream 1.
 */
function http1Parser(emit: Emit, opts: ParserOptions): TcpAppParser {
  const common = {
    ...(opts.problems ? { problems: opts.problems } : {}),
    ...(opts.file !== undefined ? { file: opts.file } : {}),
  };
  let upgradeRequest: HttpTx | undefined;
  let h2: Http2Parser | undefined;
  const p = createHttp1TxParser({
    ...common,
    onTx: (tx, at) => {
      if (at === 'request_headers' && isH2cUpgradeRequest(tx.requestHeaders)) upgradeRequest = tx;
      const progress = at.startsWith('request') ? 'request' : 'response';
      const stage = at.endsWith('headers') ? 'headers' : 'done';
      emit({ proto: 'http', key: `http:${tx.id}`, txId: tx.id, progress, stage, http: tx });
    },
  });
  const switchTo2 = (req: HttpTx) => {
    h2 = createH2cUpgradeParser(
      {
        ...common,
        onTx: (tx, at) => {
          const progress = at.startsWith('request') ? 'request' : 'response';
          const stage = at.endsWith('headers') ? 'headers' : 'done';
          emit({
            proto: 'http',
            key: `h2:${tx.id}`,
            txId: tx.id,
            progress,
            stage,
            http: tx,
            switchedTo: 'http2',
          });
        },
      },
      req,
    );
  };
  return {
    data: (toServer, bytes) => {
      if (h2 !== undefined) {
        if (toServer) h2.toServer(bytes);
        else h2.toClient(bytes);
        return;
      }
      if (toServer) {
        p.request(bytes);
        return;
      }
      // A 101 to an h2c upgrade: HTTP/1 up to the end of its header block, HTTP/2 after.
      const req = upgradeRequest;
      const end = req !== undefined ? endOfSwitch(bytes) : -1;
      if (req === undefined || end < 0) {
        p.response(bytes);
        return;
      }
      p.response(bytes.subarray(0, end));
      switchTo2(req);
      if (end < bytes.length) h2!.toClient(bytes.subarray(end));
    },
    gap: (toServer, len) => {
      if (h2 === undefined) p.gap(toServer, len);
    },
    end: () => {
      p.end();
      h2?.end();
    },
  };
}

const SWITCH = Buffer.from('HTTP/1.1 101', 'latin1');
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

/** End of a `101` response's header block when `bytes` starts with one (and it says h2c), else -1. */
function endOfSwitch(bytes: Uint8Array): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < SWITCH.length || !b.subarray(0, SWITCH.length).equals(SWITCH)) return -1;
  const e = b.indexOf(CRLFCRLF);
  if (e < 0) return -1;
  const head = b.subarray(0, e).toString('latin1').toLowerCase();
  return /\nupgrade:[^\n]*h2c/.test(head) ? e + 4 : -1;
}

function http2Parser(emit: Emit, opts: ParserOptions): TcpAppParser {
  let broken = false;
  const p = createHttp2Parser({
    ...(opts.problems ? { problems: opts.problems } : {}),
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    onTx: (tx, at) => {
      const progress = at.startsWith('request') ? 'request' : 'response';
      const stage = at.endsWith('headers') ? 'headers' : 'done';
      emit({ proto: 'http', key: `h2:${tx.id}`, txId: tx.id, progress, stage, http: tx });
    },
  });
  return {
    data: (toServer, bytes) => {
      if (broken) return;
      if (toServer) p.toServer(bytes);
      else p.toClient(bytes);
    },
    // HTTP/2 framing cannot resynchronise after lost bytes: finish what was read.
    gap: () => {
      if (!broken) p.end();
      broken = true;
    },
    end: () => {
      if (!broken) p.end();
      broken = true;
    },
  };
}

function tlsParser(emit: Emit, opts: ParserOptions): TcpAppParser {
  const p = createTlsParser({
    ...(opts.problems ? { problems: opts.problems } : {}),
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    onUpdate: (tx, what) =>
      emit({
        proto: 'tls',
        key: `tls:${what === 'client_hello' ? 'c' : 's'}`,
        txId: 0,
        progress: what === 'client_hello' ? 'request' : 'response',
        tls: tx,
      }),
  });
  return {
    data: (toServer, bytes) => (toServer ? p.toServer(bytes) : p.toClient(bytes)),
    gap: () => {},
    end: () => p.end(),
  };
}

function smbParser(emit: Emit, opts: ParserOptions): TcpAppParser {
  const p = createSmbParser({
    ...(opts.problems ? { problems: opts.problems } : {}),
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    onFile: (f, what) => {
      if (what !== 'done') return;
      emit({
        proto: 'smb',
        key: `file:${f.id}`,
        txId: f.id,
        progress: f.toServer ? 'request' : 'response',
        file: f,
      });
    },
  });
  return {
    data: (toServer, bytes) => (toServer ? p.toServer(bytes) : p.toClient(bytes)),
    gap: (toServer, len) => p.gap(toServer, len),
    end: () => p.end(),
  };
}

function smtpParser(emit: Emit, opts: ParserOptions): TcpAppParser {
  const p = createSmtpParser({
    ...(opts.problems ? { problems: opts.problems } : {}),
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    onFile: (f, what) => {
      if (what === 'done')
        emit({ proto: 'smtp', key: `file:${f.id}`, txId: f.id, progress: 'request', file: f });
    },
  });
  return {
    data: (toServer, bytes) => (toServer ? p.toServer(bytes) : p.toClient(bytes)),
    gap: (toServer, len) => p.gap(toServer, len),
    end: () => p.end(),
  };
}

function dnsTcpParser(emit: Emit): TcpAppParser {
  let n = 0;
  const make = () =>
    createDnsTcpParser(
      (m) =>
        emit({
          proto: 'dns',
          key: `dns:${n++}`,
          txId: m.txId,
          progress: m.response ? 'response' : 'request',
          dns: m,
        }),
      () => {},
    );
  const dirs = [make(), make()];
  return {
    data: (toServer, bytes) => dirs[toServer ? 0 : 1]!.feed(bytes),
    gap: (toServer, len) => dirs[toServer ? 0 : 1]!.gap(len),
    end: () => {
      dirs[0]!.end();
      dirs[1]!.end();
    },
  };
}

function softwareOf(banner: string): { proto: Uint8Array; software: Uint8Array } | undefined {
  const m = /^SSH-([^-]*)-(.*)$/.exec(banner);
  if (!m) return undefined;
  const sw = m[2]!.split(' ')[0]!;
  return { proto: Buffer.from(m[1]!, 'latin1'), software: Buffer.from(sw, 'latin1') };
}

function sshParser(emit: Emit): TcpAppParser {
  const tx: SshTx = {};
  const client = createSshBannerParser();
  const server = createSshBannerParser();
  let sentClient = false;
  let sentServer = false;
  return {
    data(toServer, bytes) {
      const p = toServer ? client : server;
      if (p.done) return;
      p.feed(bytes);
      if (!p.done || p.banner === '') return;
      const s = softwareOf(p.banner);
      if (s === undefined) return;
      if (toServer && !sentClient) {
        sentClient = true;
        tx.clientProto = s.proto;
        tx.clientSoftware = s.software;
        emit({ proto: 'ssh', key: 'ssh', txId: 0, progress: 'request', ssh: tx });
      } else if (!toServer && !sentServer) {
        sentServer = true;
        tx.serverProto = s.proto;
        tx.serverSoftware = s.software;
        emit({ proto: 'ssh', key: 'ssh', txId: 0, progress: 'response', ssh: tx });
      }
    },
    gap() {},
    end() {},
  };
}
