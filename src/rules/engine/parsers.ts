/**
 * Protocol recognition and the parser behind each protocol, adapted to the
 * engine's transaction events. Recognition is by content; ports only break
 * ties where content cannot (DNS over TCP).
 */
import type { SshTx } from '../../schema/app-tx.js';
import type { ProblemLog } from '../../schema/problem.js';
import { recognizeTcp, recognizeUdp } from '../../decode/app/recognize.js';
import { createSshBannerParser } from '../../decode/app/ssh.js';
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
  return b[0] === 0 && (b[4] === 0xff || b[4] === 0xfe || b[4] === 0xfd) && b[5] === 0x53 && b[6] === 0x4d && b[7] === 0x42;
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
export function createTcpParser(proto: string, emit: Emit, _opts: ParserOptions): TcpAppParser | null {
  switch (proto) {
    case 'ssh':
      return sshParser(emit);
    default:
      return null;
  }
}

export function createUdpParser(_proto: string, _emit: Emit, _opts: ParserOptions): UdpAppParser | null {
  return null;
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
