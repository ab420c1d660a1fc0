/**
 * The records of one nfcapd (nfdump 1.7, layout 2) data block, already
 * decompressed: V3 flow records (a 12-byte header, then extension elements,
 * each `type u16, length u16` with the length counting its own header),
 * exporter records (which address an exporter id stands for) and others we
 * skip. Little-endian throughout (nfdump writes host order; the file magic
 * tells the order, and the reader accepts only little-endian files).
 */
import type { Problem } from '../../schema/problem.js';
import { formatIPv6 } from '../../util/ip.js';
import type { NetflowRecord } from './record.js';

/** nfdump's record types in a data block (nfdump 1.7). */
export const NfcapdRecordType = { exporterInfo: 7, exporterStat: 8, v3: 11 } as const;

/** Extension element ids of nfdump 1.7's V3 records (nfxV3.h). */
export const NfcapdElement = {
  genericFlow: 1,
  ipv4Flow: 2,
  ipv6Flow: 3,
  flowMisc: 4,
  cntFlow: 5,
  vLan: 6,
  asRouting: 7,
  bgpNextHopV4: 8,
  bgpNextHopV6: 9,
  ipNextHopV4: 10,
  ipNextHopV6: 11,
  ipReceivedV4: 12,
  ipReceivedV6: 13,
} as const;

/** An exporter as the file's exporter records name it (nfdump's sysid → address). */
export interface NfcapdExporter {
  sysid: number;
  address: string;
  /** NetFlow version it exported (5, 9, 10), as nfcapd noted it. */
  version: number;
  /** Source id / observation domain the exporter gave. */
  id: number;
}

/** State a file reader keeps across blocks and hands to each block. */
export interface NfcapdBlockState {
  file?: string;
  /** File offset of the block's header: where problems point. */
  blockOffset: number;
  /** sysid → exporter; at most 65536 entries (the id is 16 bits). */
  exporters: Map<number, NfcapdExporter>;
  /** Records decoded so far in the file; each record's `offset` is its ordinal. */
  records: number;
  onRecord: (r: NetflowRecord) => void;
  onProblem: (p: Problem) => void;
}

const V3_HEADER = 12;
const scratch16 = new Uint8Array(16);

/** Unsigned 64-bit little-endian as a number (exact below 2^53, which counters and ms times are). */
function u64(b: Uint8Array, o: number): number {
  const lo = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  const hi = (b[o + 4]! | (b[o + 5]! << 8) | (b[o + 6]! << 16) | (b[o + 7]! << 24)) >>> 0;
  return hi * 4294967296 + lo;
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
/** nfdump keeps an IPv4 address as a host-order u32. */
function ipv4At(b: Uint8Array, o: number): string {
  return `${b[o + 3]}.${b[o + 2]}.${b[o + 1]}.${b[o]}`;
}
/** nfdump keeps an IPv6 address as two host-order u64 halves: each half's bytes reversed. */
function ipv6At(b: Uint8Array, o: number): string {
  for (let i = 0; i < 8; i++) {
    scratch16[i] = b[o + 7 - i]!;
    scratch16[8 + i] = b[o + 15 - i]!;
  }
  return formatIPv6(scratch16, 0);
}

/**
 * Decodes the records of one decompressed data block; flows go to
 * `state.onRecord`, bad records to `state.onProblem`. Returns the number of
 * flow records decoded.
 *
 * @example decodeNfcapdBlock(payload, { file, blockOffset: 40, exporters: new Map(), records: 0, onRecord, onProblem })
 */
export function decodeNfcapdBlock(data: Uint8Array, state: NfcapdBlockState): number {
  let p = 0;
  let flows = 0;
  const end = data.length;
  while (p + 4 <= end) {
    const type = u16(data, p);
    const size = u16(data, p + 2);
    if (size < 4 || p + size > end) {
      state.onProblem(
        problem(
          state,
          'netflow.nfcapd-record',
          `a record of type ${type} at byte ${p} of the block says it is ${size} bytes, but the block has ${end - p} left; the rest of the block is skipped`,
        ),
      );
      return flows;
    }
    if (type === NfcapdRecordType.v3) {
      if (decodeV3(data, p, size, state)) flows++;
    } else if (type === NfcapdRecordType.exporterInfo) {
      learnExporter(data, p, size, state);
    }
    // Exporter statistics, samplers and older record types say nothing about single flows: skipped.
    p += size;
  }
  return flows;
}

function learnExporter(b: Uint8Array, p: number, size: number, state: NfcapdBlockState): void {
  if (size < 32) {
    state.onProblem(
      problem(state, 'netflow.nfcapd-record', `an exporter record of ${size} bytes (32 expected)`),
    );
    return;
  }
  const family = u16(b, p + 24);
  // The address is nfdump's ip_addr_t: an IPv4 address sits in its third host-order word.
  const address = family === 10 ? ipv6At(b, p + 8) : ipv4At(b, p + 16);
  const sysid = u16(b, p + 26);
  state.exporters.set(sysid, { sysid, address, version: u32(b, p + 4), id: u32(b, p + 28) });
}

function decodeV3(b: Uint8Array, p: number, size: number, state: NfcapdBlockState): boolean {
  if (size < V3_HEADER) {
    state.onProblem(problem(state, 'netflow.nfcapd-record', `a flow record of ${size} bytes (header is 12)`));
    return false;
  }
  const engineType = b[p + 6]!;
  const engineId = b[p + 7]!;
  const exporterId = u16(b, p + 8);
  const nfversion = b[p + 11]!;
  const r: NetflowRecord = {
    kind: 'flow',
    version: 0,
    exporter: '',
    domain: (engineType << 8) | engineId,
    templateId: 0,
    sequence: 0,
    exportTime: 0,
    recvTs: 0,
    offset: state.records,
    fields: { exporterId, nfversion },
  };
  let received: string | undefined;
  let q = p + V3_HEADER;
  const end = p + size;
  while (q + 4 <= end) {
    const id = u16(b, q);
    const len = u16(b, q + 2);
    if (len < 4 || q + len > end) {
      state.onProblem(
        problem(
          state,
          'netflow.nfcapd-element',
          `element ${id} of a flow record says it is ${len} bytes, but the record has ${end - q} left; the record is skipped`,
        ),
      );
      return false;
    }
    const o = q + 4;
    const n = len - 4;
    if (!decodeElement(b, id, o, n, r)) {
      state.onProblem(
        problem(
          state,
          'netflow.nfcapd-element',
          `element ${id} of a flow record is too short (${n} bytes); the record is skipped`,
        ),
      );
      return false;
    }
    if (id === NfcapdElement.ipReceivedV4 && n >= 4) received = ipv4At(b, o);
    else if (id === NfcapdElement.ipReceivedV6 && n >= 16) received = ipv6At(b, o);
    q += len;
  }
  if (r.srcAddr === undefined) {
    state.onProblem(problem(state, 'netflow.nfcapd-record', 'a flow record without addresses; skipped'));
    return false;
  }
  // The exporter: the address nfcapd received the flow from, else what the exporter record says.
  r.exporter = received ?? state.exporters.get(exporterId)?.address ?? '';
  state.records++;
  state.onRecord(r);
  return true;
}

/** Fills `r` from one element; false when the element is shorter than its type needs. */
function decodeElement(b: Uint8Array, id: number, o: number, n: number, r: NetflowRecord): boolean {
  switch (id) {
    case NfcapdElement.genericFlow:
      if (n < 48) return false;
      r.start = u64(b, o) / 1000;
      r.end = u64(b, o + 8) / 1000;
      r.recvTs = r.exportTime = u64(b, o + 16) / 1000;
      r.packets = u64(b, o + 24);
      r.bytes = u64(b, o + 32);
      r.srcPort = u16(b, o + 40);
      // For ICMP this word is type << 8 | code, as v5 and nfdump's CSV carry it.
      r.dstPort = u16(b, o + 42);
      r.proto = b[o + 44]!;
      r.tcpFlags = b[o + 45]!;
      if (b[o + 46]) r.fields.fwd = b[o + 46]!;
      r.tos = b[o + 47]!;
      return true;
    case NfcapdElement.ipv4Flow:
      if (n < 8) return false;
      r.srcAddr = ipv4At(b, o);
      r.dstAddr = ipv4At(b, o + 4);
      return true;
    case NfcapdElement.ipv6Flow:
      if (n < 32) return false;
      r.srcAddr = ipv6At(b, o);
      r.dstAddr = ipv6At(b, o + 16);
      return true;
    case NfcapdElement.flowMisc:
      if (n < 12) return false;
      r.inputIf = u32(b, o);
      r.outputIf = u32(b, o + 4);
      r.srcMask = b[o + 8]!;
      r.dstMask = b[o + 9]!;
      r.direction = b[o + 10]!;
      if (b[o + 11]) r.fields.dtos = b[o + 11]!;
      return true;
    case NfcapdElement.cntFlow: {
      if (n < 24) return false;
      const flows = u64(b, o);
      const opkt = u64(b, o + 8);
      const obyt = u64(b, o + 16);
      if (flows > 1) r.fields.aggregatedFlows = flows;
      if (opkt) r.fields.opkt = opkt;
      if (obyt) r.fields.obyt = obyt;
      return true;
    }
    case NfcapdElement.vLan:
      if (n < 8) return false;
      if (u32(b, o)) r.fields.srcVlan = u32(b, o);
      if (u32(b, o + 4)) r.fields.dstVlan = u32(b, o + 4);
      return true;
    case NfcapdElement.asRouting:
      if (n < 8) return false;
      r.srcAs = u32(b, o);
      r.dstAs = u32(b, o + 4);
      return true;
    case NfcapdElement.bgpNextHopV4:
      if (n < 4) return false;
      r.fields.bgpNextHop = ipv4At(b, o);
      return true;
    case NfcapdElement.bgpNextHopV6:
      if (n < 16) return false;
      r.fields.bgpNextHop = ipv6At(b, o);
      return true;
    case NfcapdElement.ipNextHopV4:
      if (n < 4) return false;
      r.nextHop = ipv4At(b, o);
      return true;
    case NfcapdElement.ipNextHopV6:
      if (n < 16) return false;
      r.nextHop = ipv6At(b, o);
      return true;
    case NfcapdElement.ipReceivedV4:
      return n >= 4;
    case NfcapdElement.ipReceivedV6:
      return n >= 16;
    default:
      // MPLS, MACs, NSEL/NEL, latency, payload...: not needed for a connection event; skipped by length.
      return true;
  }
}

function problem(state: NfcapdBlockState, code: string, message: string): Problem {
  const p: Problem = { stage: 'read', code, message, offset: state.blockOffset };
  if (state.file !== undefined) p.file = state.file;
  return p;
}
