/**
 * Files carried by SMB (port 445 direct TCP, port 139 NetBIOS session): the
 * bytes written by WRITE requests and returned by READ responses, placed at
 * their file offsets, named by the CREATE that opened the handle. SMB1 and
 * SMB2/3 share one parser; each message says which it is. Named-pipe traffic
 * (handles on the IPC$ tree) is RPC, not files, and is left out; the share
 * and pipe names are kept for smb.share / smb.named_pipe.
 *
 * Bounded: one message buffer per direction (maxFileBytes + 128 KiB), at most
 * maxFiles files being put together, each at most maxFileBytes; pending
 * requests and handles in fixed-size tables. What a bound drops is counted in
 * `stats`; malformed input becomes problems (stage `session`, codes `smb.*`).
 */
import type { FileTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import { isSmbMagic, NbssFramer, type NbssSink } from './nbss.js';
import { parseSmb1 } from './smb1.js';
import { parseSmb2 } from './smb2.js';
import { SmbState, type SmbStats } from './state.js';

export type { SmbStats } from './state.js';

export interface SmbParserOptions {
  /** A file got more gap-free data, or is complete ('done': after CLOSE, or at end()). Same object each time. */
  onFile(f: FileTx, what: 'data' | 'done'): void;
  /** Bytes kept per file (default 1 MiB); more sets `truncated`. */
  maxFileBytes?: number;
  /** Files being put together at once (default 64); data of further files is counted and dropped. */
  maxFiles?: number;
  problems?: ProblemLog;
  /** Capture file name for problem reports. */
  file?: string;
}

export interface SmbParser {
  /** Next in-order bytes from client to server (a `bytes` view is not kept). */
  toServer(bytes: Uint8Array): void;
  /** Next in-order bytes from server to client. */
  toClient(bytes: Uint8Array): void;
  /** `len` bytes of one direction were lost from the capture. */
  gap(toServer: boolean, len: number): void;
  /** Connection over: open files are reported done. */
  end(): void;
  /** Share paths of TREE_CONNECT requests as sent (UTF-8), distinct, at most 64: smb.share. */
  readonly shares: readonly Uint8Array[];
  /** Names opened on the IPC$ tree (UTF-8), distinct, at most 64: smb.named_pipe. */
  readonly namedPipes: readonly Uint8Array[];
  readonly stats: SmbStats;
}

const DEFAULT_MAX_FILE = 1 << 20;
const DEFAULT_MAX_FILES = 64;
/** Room in a message beyond the file bytes it may carry: headers, padding, AndX blocks. */
const MESSAGE_SLACK = 128 * 1024;

/**
 * Creates the parser for one connection.
 *
 * @example
 * const smb = createSmbParser({ onFile: (f, what) => what === 'done' && files.push(f) });
 * smb.toServer(clientBytes); // reassembled client → server stream
 * smb.toClient(serverBytes);
 * smb.end();
 */
export function createSmbParser(opts: SmbParserOptions): SmbParser {
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE;
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  if (!(maxFileBytes >= 0) || !(maxFiles >= 0))
    throw new Error('createSmbParser: maxFileBytes and maxFiles must be ≥ 0');
  const state = new SmbState({
    onFile: opts.onFile,
    maxFileBytes,
    maxFiles,
    ...(opts.problems !== undefined ? { problems: opts.problems } : {}),
    ...(opts.file !== undefined ? { file: opts.file } : {}),
  });
  const up = new NbssFramer(sink(state, true), state.stats, maxFileBytes + MESSAGE_SLACK);
  const down = new NbssFramer(sink(state, false), state.stats, maxFileBytes + MESSAGE_SLACK);
  let ended = false;
  return {
    toServer(bytes) {
      if (!ended) up.push(bytes);
    },
    toClient(bytes) {
      if (!ended) down.push(bytes);
    },
    gap(toServer, len) {
      if (!ended) (toServer ? up : down).gap(len);
    },
    end() {
      if (ended) return;
      ended = true;
      state.end();
    },
    shares: state.shares,
    namedPipes: state.namedPipes,
    stats: state.stats,
  };
}

function sink(state: SmbState, toServer: boolean): NbssSink {
  const dir = toServer ? 'client → server' : 'server → client';
  return {
    message(msg, clipped) {
      state.where = '';
      state.clipped = clipped;
      switch (msg[0]) {
        case 0xff:
          parseSmb1(msg, toServer, state);
          break;
        case 0xfe:
          parseSmb2(msg, toServer, state);
          break;
        case 0xfd:
          state.stats.encryptedMessages++;
          break;
        default:
          state.stats.compressedMessages++;
      }
    },
    lostSync(at, why) {
      state.where = '';
      state.problem(
        'smb.bad-framing',
        `${why} at stream byte ${at} (${dir}); looking for the next SMB message`,
      );
    },
  };
}

/**
 * True when a connection's first bytes (either side) look like SMB over
 * NetBIOS or direct TCP: a session message holding an SMB header, or a
 * NetBIOS session request/response.
 *
 * @example
 * looksLikeSmb(Uint8Array.of(0, 0, 0, 0x45, 0xff, 0x53, 0x4d, 0x42)); // true
 */
export function looksLikeSmb(firstBytes: Uint8Array): boolean {
  const b = firstBytes;
  if (b.length < 4) return false;
  if (b[0] === 0x00) return b.length >= 8 && isSmbMagic(b, 4) && ((b[1]! << 16) | (b[2]! << 8) | b[3]!) >= 35;
  // Session request: two encoded NetBIOS names (34 bytes each, starting with length 0x20).
  if (b[0] === 0x81) return b[1] === 0 && b[2] === 0 && b[3] === 68 && (b.length < 5 || b[4] === 0x20);
  // Positive session response, no payload.
  if (b[0] === 0x82) return b[1] === 0 && b[2] === 0 && b[3] === 0;
  return false;
}
