/**
 * Test helper: builds synthetic DecodedPackets (via the decoder's own packet
 * factory) so flow-table tests can script exact TCP/UDP/ICMP exchanges.
 */
import { createDecodedPacket } from '../../decode/index.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { DecodedPacket } from '../../schema/packet.js';
import { parseAddress } from '../../util/ip.js';
import { createFlowTable, type FlowTable, type FlowTableOptions } from '../index.js';

export const F = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface PacketSpec {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  proto?: number;
  flags?: number;
  seq?: number;
  ack?: number;
  len?: number;
  window?: number;
  ts: number;
  vlan?: number;
  icmpType?: number;
  icmpCode?: number;
}

const p: DecodedPacket = createDecodedPacket();

/** Fills the shared packet from a spec (the table copies what it keeps, like with the real decoder). */
export function packet(s: PacketSpec): DecodedPacket {
  const src = parseAddress(s.src)!;
  const dst = parseAddress(s.dst)!;
  const proto = s.proto ?? 6;
  const len = s.len ?? 0;
  p.ts = s.ts;
  p.frame.tsSec = Math.floor(s.ts);
  p.frame.tsNsec = Math.round((s.ts - Math.floor(s.ts)) * 1e9);
  p.vlan = s.vlan ?? -1;
  p.innerVlan = -1;
  p.l3 = src.length === 4 ? 4 : 6;
  p.addrLen = src.length;
  p.src.set(src);
  p.dst.set(dst);
  p.ipProto = proto;
  p.fragment = false;
  const l4 = proto === 6 ? 20 : 8;
  p.ipLen = (src.length === 4 ? 20 : 40) + l4 + len;
  p.frame.origLen = p.ipLen + 14;
  p.frame.capLen = p.frame.origLen;
  p.srcPort = s.sport ?? -1;
  p.dstPort = s.dport ?? -1;
  p.tcpFlags = s.flags ?? 0;
  p.seq = proto === 6 ? (s.seq ?? 1000) >>> 0 : -1;
  p.ack = proto === 6 ? (s.ack ?? 0) >>> 0 : -1;
  p.window = proto === 6 ? (s.window ?? 65535) : -1;
  p.icmpType = s.icmpType ?? -1;
  p.icmpCode = s.icmpCode ?? -1;
  if (proto === 1 || proto === 58) {
    p.srcPort = p.icmpType;
    p.dstPort = p.icmpCode;
  }
  p.payload = new Uint8Array(len);
  p.error = '';
  return p;
}

/** Runs packets through a fresh table and returns the records (after flush) and the table. */
export function run(
  specs: PacketSpec[],
  opts: Partial<FlowTableOptions> = {},
): { flows: FlowRecord[]; table: FlowTable } {
  const flows: FlowRecord[] = [];
  const table = createFlowTable({ ...opts, onFlow: (f) => flows.push(f) });
  for (const s of specs) table.packet(packet(s));
  table.flush();
  return { flows, table };
}

/** A client/server pair for scripted TCP exchanges: c() sends from the client, s() from the server. */
export function tcpPair(client = '10.0.0.1', server = '10.0.0.2', cport = 40000, sport = 8081) {
  return {
    c: (ts: number, flags: number, seq: number, ack = 0, len = 0, window = 65535): PacketSpec => ({
      src: client,
      dst: server,
      sport: cport,
      dport: sport,
      flags,
      seq,
      ack,
      len,
      window,
      ts,
    }),
    s: (ts: number, flags: number, seq: number, ack = 0, len = 0, window = 65535): PacketSpec => ({
      src: server,
      dst: client,
      sport: sport,
      dport: cport,
      flags,
      seq,
      ack,
      len,
      window,
      ts,
    }),
  };
}
