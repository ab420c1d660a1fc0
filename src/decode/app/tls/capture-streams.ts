/**
 * Test support: a capture file as application streams, through the real
 * reader, decoder and TCP reassembler. Each TCP connection gets both
 * directions in order (client = the side that sent the first packet seen);
 * each UDP datagram is handed over with its direction. Connections are keyed
 * by 5-tuple here so tests depend on nothing downstream of decode/.
 * Nothing in the production path imports this file.
 */
import { openCapture } from '../../../read/index.js';
import { formatAddress } from '../../../util/ip.js';
import { createProblemLog } from '../../../util/problems.js';
import { createDecoder } from '../../index.js';
import { createStreamReassembler, type StreamReassembler } from '../../reassembly.js';

export interface StreamSink {
  /** Ordered TCP bytes of one direction (valid only during the call). */
  data(toServer: boolean, bytes: Uint8Array): void;
  gap?(toServer: boolean, len: number): void;
  end?(): void;
}

export interface CaptureVisitor {
  /** A new TCP connection; return undefined to ignore it. */
  tcp?(client: string, server: string): StreamSink | undefined;
  /** One UDP datagram payload; `frame` is the 0-based frame index. */
  udp?(src: string, dst: string, payload: Uint8Array, frame: number): void;
}

/**
 * Walks `path` and feeds the visitor.
 *
 * @example
 * visitCapture(path, { tcp: () => ({ data: (toServer, b) => parser[toServer ? 'toServer' : 'toClient'](b) }) });
 */
export function visitCapture(path: string, v: CaptureVisitor): void {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`cannot open ${path}`);
  const decoder = createDecoder(problems);
  const conns = new Map<string, { client: string; sink: StreamSink | undefined; r: StreamReassembler[] }>();
  for (let f = reader.next(); f; f = reader.next()) {
    const p = decoder.decode(f);
    if (p.addrLen === 0 || p.fragment) continue;
    const a = `${formatAddress(p.src, p.addrLen)}:${p.srcPort}`;
    const b = `${formatAddress(p.dst, p.addrLen)}:${p.dstPort}`;
    if (p.ipProto === 17) {
      v.udp?.(a, b, p.payload, f.index);
      continue;
    }
    if (p.ipProto !== 6) continue;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = conns.get(key);
    if (c === undefined) {
      const sink = v.tcp?.(a, b);
      const make = (toServer: boolean) =>
        createStreamReassembler({
          onData: (bytes) => sink?.data(toServer, bytes),
          onGap: (len) => sink?.gap?.(toServer, len),
        });
      c = { client: a, sink, r: [make(true), make(false)] };
      conns.set(key, c);
    }
    if (c.sink === undefined) continue;
    const toServer = a === c.client;
    c.r[toServer ? 0 : 1]!.segment(p.seq, p.tcpFlags, p.payload);
    if (p.tcpFlags & 0x10) c.r[toServer ? 1 : 0]!.ack(p.ack);
  }
  reader.close();
  for (const c of conns.values()) {
    if (c.sink === undefined) continue;
    c.r[0]!.finish();
    c.r[1]!.finish();
    c.sink.end?.();
  }
}
