/**
 * The engine's application layer: per flow, TCP reassembly of both
 * directions (which also fills the stream windows for stream inspection),
 * protocol recognition by content, and the protocol parsers, which report
 * transactions as their request or response side completes.
 */

import { createStreamReassembler, type StreamReassembler } from '../../decode/reassembly.js';
import type { DnsTx, FileTx, HttpTx, SshTx, TlsTx } from '../../schema/app-tx.js';
import type { DecodedPacket } from '../../schema/packet.js';
import type { ProblemLog } from '../../schema/problem.js';
import type { TxProto } from './compile.js';
import { appendWindow, type DetectFlow, type WindowBudget } from './detect-flow.js';
import {
  createTcpParser,
  createUdpParser,
  recognize,
  type TcpAppParser,
  type UdpAppParser,
} from './parsers.js';
import type { TxBufferCache } from './tx-buffers.js';

export interface AppEvent {
  flow: DetectFlow;
  proto: TxProto;
  /** Transaction identity within the flow (dedup of alerts per rule). */
  key: string;
  txId: number;
  /** Which side of the transaction progressed. */
  progress: 'request' | 'response';
  /** Buffers already built for this event during one inspection (filled by tx-buffers.ts). */
  bufCache?: TxBufferCache | undefined;
  /** Set when the connection switched protocol (h2c upgrade): the flow's protocol from now on. */
  switchedTo?: string;
  /** HTTP: 'headers' when that side's headers are complete but not its body; otherwise 'done'. */
  stage?: 'headers' | 'done';
  http?: HttpTx;
  dns?: DnsTx;
  tls?: TlsTx;
  ssh?: SshTx;
  file?: FileTx;
}

export interface AppLayerOptions {
  onEvent(ev: AppEvent): void;
  /** Memory shared by all stream windows. */
  windowBudget: WindowBudget;
  /** Parse a direction's data only once the other side acknowledged it (Suricata's IDS stream timing). */
  ackedParsing?: boolean;
  problems?: ProblemLog;
  file?: string;
}

export interface AppLayer {
  packet(flow: DetectFlow, p: DecodedPacket, toServer: boolean, windowCap: number): void;
  /** The flow ends: flush reassembly and parsers (may emit events). */
  end(flow: DetectFlow): void;
}

const PREFIX = 512;
/** Unacknowledged bytes held per direction before they are parsed anyway. */
const MAX_PENDING = 1 << 20;
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const NO_BYTES = new Uint8Array(0);

/** Per-flow application state kept in DetectFlow.app. */
interface FlowApp {
  r: [StreamReassembler | null, StreamReassembler | null];
  /** Sequence number of the first SYN per direction while its reassembler is not made yet, else -1. */
  synSeq: [number, number];
  prefix: [Uint8Array | null, Uint8Array | null];
  prefixLen: [number, number];
  /** Bytes that arrived before the protocol was known, per direction, replayed into the parser. */
  tcp: TcpAppParser | null;
  udp: UdpAppParser | null;
  /** Recognition failed on this direction's prefix. */
  unknown: [boolean, boolean];
  /** Sequence number after the highest data segment per direction, -1 before any data. */
  seqEnd: [number, number];
  /** In-order data not yet acknowledged (IDS timing), per direction. */
  pending: [Uint8Array[], Uint8Array[]];
  pendingBytes: [number, number];
  ended: boolean;
}

export function createAppLayer(opts: AppLayerOptions): AppLayer {
  const emit = (flow: DetectFlow) => (ev: Omit<AppEvent, 'flow'>) => {
    if (ev.switchedTo !== undefined) flow.appProto = ev.switchedTo;
    opts.onEvent({ ...ev, flow });
  };

  function state(flow: DetectFlow): FlowApp {
    let s = flow.app as FlowApp | undefined;
    if (s === undefined) {
      s = {
        r: [null, null],
        synSeq: [-1, -1],
        prefix: [null, null],
        prefixLen: [0, 0],
        tcp: null,
        udp: null,
        unknown: [false, false],
        seqEnd: [-1, -1],
        pending: [[], []],
        pendingBytes: [0, 0],
        ended: false,
      };
      flow.app = s;
    }
    return s;
  }

  function onStream(flow: DetectFlow, s: FlowApp, d: number, bytes: Uint8Array, offset: number, cap: number) {
    appendWindow(flow, d, bytes, offset, cap, opts.windowBudget);
    if (flow.dirProto[d] === undefined)
      flow.dirProto[d] = recognize(bytes.subarray(0, PREFIX), d === 0, flow.serverPort, flow.ipProto);
    if (opts.ackedParsing === true) {
      // IDS timing: the parser sees a direction's data once the other side acknowledged it.
      s.pending[d].push(bytes.slice());
      s.pendingBytes[d] += bytes.length;
      if (s.pendingBytes[d] > MAX_PENDING) flushPending(flow, s, d);
      return;
    }
    toApp(flow, s, d, bytes);
  }

  function flushPending(flow: DetectFlow, s: FlowApp, d: number) {
    const chunks = s.pending[d];
    if (chunks.length === 0) return;
    s.pending[d] = [];
    s.pendingBytes[d] = 0;
    for (const c of chunks) toApp(flow, s, d, c);
  }

  function toApp(flow: DetectFlow, s: FlowApp, d: number, bytes: Uint8Array) {
    if (flow.appProto === null) return;
    if (flow.appProto === undefined) {
      // Collect a prefix per direction until one side tells the protocol.
      if (s.unknown[d]) return;
      let pre = s.prefix[d];
      if (pre === null) pre = s.prefix[d] = new Uint8Array(PREFIX);
      const n = Math.min(PREFIX - s.prefixLen[d]!, bytes.length);
      pre.set(bytes.subarray(0, n), s.prefixLen[d]!);
      s.prefixLen[d]! += n;
      const verdict = recognize(pre.subarray(0, s.prefixLen[d]!), d === 0, flow.serverPort, flow.ipProto);
      if (verdict === undefined && s.prefixLen[d]! < PREFIX) return;
      if (verdict === undefined || verdict === null) {
        // One side unknown (an HTTP/2 server's SETTINGS before the client preface): wait for the other.
        s.unknown[d] = true;
        if (s.unknown[1 - d]) flow.appProto = null;
        return;
      }
      flow.appProto = verdict;
      s.tcp = createTcpParser(verdict, emit(flow), opts);
      if (s.tcp === null) return;
      // Replay what each direction sent so far (the other side's prefix first if it spoke first).
      const other = 1 - d;
      if (s.prefixLen[other]! > 0) s.tcp.data(other === 0, s.prefix[other]!.subarray(0, s.prefixLen[other]!));
      s.tcp.data(d === 0, pre.subarray(0, s.prefixLen[d]!));
      if (bytes.length > n) s.tcp.data(d === 0, bytes.subarray(n));
      s.prefix = [null, null];
      return;
    }
    s.tcp?.data(d === 0, bytes);
  }

  /**
   * Direction d's reassembler, made on first need: most flows of a scan never
   * carry data, and a reassembler that saw only a SYN (kept in synSeq) would
   * not have acted on anything since. A SYN seen first is replayed into it.
   */
  function reassembler(flow: DetectFlow, s: FlowApp, d: number, windowCap: number): StreamReassembler {
    const r = createStreamReassembler({
      // Its history only tells retransmissions from inconsistent overlaps in stats this engine never reads.
      historyBytes: 0,
      onData: (bytes, off) => onStream(flow, s, d, bytes, off, windowCap),
      onGap: (len) => s.tcp?.gap(d === 0, len),
    });
    s.r[d] = r;
    if (s.synSeq[d] >= 0) r.segment(s.synSeq[d]!, SYN, NO_BYTES);
    return r;
  }

  return {
    packet(flow, p, toServer, windowCap) {
      const d = toServer ? 0 : 1;
      if (p.ipProto === 6) {
        if (!flow.streamTracked) return;
        const s = state(flow);
        const r = s.r[d];
        if (r !== null) r.segment(p.seq >>> 0, p.tcpFlags, p.payload);
        else if (p.payload.length > 0 || (p.tcpFlags & (FIN | RST)) !== 0)
          reassembler(flow, s, d, windowCap).segment(p.seq >>> 0, p.tcpFlags, p.payload);
        else if ((p.tcpFlags & SYN) !== 0 && s.synSeq[d] < 0) s.synSeq[d] = p.seq >>> 0;
        // Otherwise a segment without data, SYN, FIN or RST: a reassembler would not change.
        if (p.payload.length > 0) {
          const end = (p.seq + p.payload.length) >>> 0;
          if (s.seqEnd[d] < 0 || ((end - s.seqEnd[d]) | 0) > 0) s.seqEnd[d] = end;
        }
        if ((p.tcpFlags & ACK) !== 0 && (p.tcpFlags & SYN) === 0) {
          const o = 1 - d;
          const ackNo = p.ack >>> 0;
          if (s.r[o] !== null) s.r[o]!.ack(ackNo);
          // Past the SYN: a direction whose data was never seen has a hole to report.
          else if (s.synSeq[o] >= 0 && ackNo !== (s.synSeq[o] + 1) >>> 0)
            reassembler(flow, s, o, windowCap).ack(ackNo);
          // The other side's data up to its highest segment is acknowledged: it was inspected as a stream.
          const w = flow.windows[o];
          if (w !== null && s.seqEnd[o] >= 0 && (((p.ack >>> 0) - s.seqEnd[o]) | 0) >= 0) {
            flow.acked[o] = w.base + w.len;
            flushPending(flow, s, o);
          }
        }
        return;
      }
      if (p.ipProto === 17 && p.payload.length > 0) {
        const s = state(flow);
        if (flow.appProto === undefined) {
          const v = recognize(p.payload, toServer, flow.serverPort, 17);
          flow.appProto = v ?? null;
          if (v) s.udp = createUdpParser(v, emit(flow), opts);
        }
        s.udp?.datagram(toServer, p.payload);
      }
    },
    end(flow) {
      const s = flow.app as FlowApp | undefined;
      if (s === undefined || s.ended) return;
      s.ended = true;
      s.r[0]?.finish();
      s.r[1]?.finish();
      flushPending(flow, s, 0);
      flushPending(flow, s, 1);
      s.tcp?.end();
    },
  };
}
