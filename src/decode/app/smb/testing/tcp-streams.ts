/**
 * Test support: replays a capture's TCP connections through the real reader,
 * decoder and stream reassembler, handing each connection's two reassembled
 * directions to a parser made for it. Test-only; the pipeline does this with
 * its own flow table.
 */
import { openCapture } from '../../../../read/index.js';
import type { ProblemLog } from '../../../../schema/problem.js';
import { formatAddress } from '../../../../util/ip.js';
import { createProblemLog } from '../../../../util/problems.js';
import { createDecoder } from '../../../index.js';
import { createStreamReassembler, type StreamReassembler } from '../../../reassembly.js';

export interface StreamParser {
  toServer(bytes: Uint8Array): void;
  toClient(bytes: Uint8Array): void;
  gap?(toServer: boolean, len: number): void;
  end(): void;
}

export interface Connection {
  client: string;
  server: string;
  serverPort: number;
}

const SYN = 0x02;
const ACK = 0x10;

/**
 * Feeds every TCP connection of the capture at `path` to the parser `open`
 * returns for it (null: ignore the connection). The client is the side that
 * sent the SYN, else the side of the first packet.
 *
 * @example
 * replayTcp(path, (c) => (c.serverPort === 445 ? createSmbParser({ onFile }) : null));
 */
export function replayTcp(
  path: string,
  open: (c: Connection) => StreamParser | null,
  problems: ProblemLog = createProblemLog(),
): void {
  const reader = openCapture(path, problems);
  if (reader === undefined) throw new Error(`cannot open ${path}`);
  const decoder = createDecoder(problems);
  const conns = new Map<
    string,
    { client: string; parser: StreamParser | null; r: [StreamReassembler, StreamReassembler] | null }
  >();
  for (let f = reader.next(); f; f = reader.next()) {
    const p = decoder.decode(f);
    if (p.ipProto !== 6 || p.addrLen === 0 || p.fragment) continue;
    const a = `${formatAddress(p.src, p.addrLen)}:${p.srcPort}`;
    const b = `${formatAddress(p.dst, p.addrLen)}:${p.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = conns.get(key);
    if (c === undefined) {
      const synFromB = (p.tcpFlags & (SYN | ACK)) === (SYN | ACK);
      const client = synFromB ? b : a;
      const server = synFromB ? a : b;
      const serverPort = synFromB ? p.srcPort : p.dstPort;
      const parser = open({ client, server, serverPort });
      c = { client, parser, r: null };
      if (parser !== null) {
        const mk = (toServer: boolean) =>
          createStreamReassembler({
            onData: (bytes) => (toServer ? parser.toServer(bytes) : parser.toClient(bytes)),
            onGap: (len) => parser.gap?.(toServer, len),
          });
        c.r = [mk(true), mk(false)];
      }
      conns.set(key, c);
    }
    if (c.r === null) continue;
    const fromClient = a === c.client;
    c.r[fromClient ? 0 : 1].segment(p.seq, p.tcpFlags, p.payload);
    if (p.tcpFlags & ACK) c.r[fromClient ? 1 : 0].ack(p.ack);
  }
  reader.close();
  for (const c of conns.values()) {
    if (c.r === null) continue;
    c.r[0].finish();
    c.r[1].finish();
    c.parser!.end();
  }
}
