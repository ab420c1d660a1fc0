/**
 * NetFlow v5: a 24-byte header and fixed 48-byte records. The header's
 * record count is checked against the datagram length; whole records that
 * are present are decoded, the rest is a problem.
 */
import { formatIPv4 } from '../../util/ip.js';
import type { NetflowRecord, NetflowStats } from './record.js';

const HEADER = 24;
const RECORD = 48;
/** Cisco's limit per v5 datagram; more means a corrupt header. */
const MAX_COUNT = 30;

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Decodes a v5 datagram (version already checked). */
export function decodeV5(
  b: Uint8Array,
  exporter: string,
  recvTs: number,
  onRecord: (r: NetflowRecord) => void,
  problem: (code: string, message: string, at: number) => void,
  stats: NetflowStats,
): void {
  if (b.length < HEADER) {
    problem('netflow.short-datagram', `${b.length}-byte v5 datagram`, 0);
    return;
  }
  const count = u16(b, 2);
  const uptime = u32(b, 4);
  const exportTime = u32(b, 8) + u32(b, 12) / 1e9;
  const sequence = u32(b, 16);
  const domain = (b[20]! << 8) | b[21]!;
  const sampling = u16(b, 22) & 0x3fff;
  const whole = Math.floor((b.length - HEADER) / RECORD);
  let n = count;
  if (count > MAX_COUNT)
    problem('netflow.v5-count', `v5 header claims ${count} records (at most ${MAX_COUNT})`, 2);
  if (count > whole) {
    problem('netflow.v5-count', `v5 header claims ${count} records, the datagram holds ${whole}`, 2);
    n = whole;
  } else if (HEADER + count * RECORD < b.length)
    problem(
      'netflow.v5-trailing',
      `${b.length - HEADER - count * RECORD} bytes after ${count} v5 records`,
      HEADER + count * RECORD,
    );
  for (let i = 0; i < n; i++) {
    const o = HEADER + i * RECORD;
    const r: NetflowRecord = {
      kind: 'flow',
      version: 5,
      exporter,
      domain,
      templateId: 0,
      sequence,
      exportTime,
      recvTs,
      offset: o,
      srcAddr: formatIPv4(b, o),
      dstAddr: formatIPv4(b, o + 4),
      nextHop: formatIPv4(b, o + 8),
      inputIf: u16(b, o + 12),
      outputIf: u16(b, o + 14),
      packets: u32(b, o + 16),
      bytes: u32(b, o + 20),
      // Uptime-relative ms; the signed 32-bit difference survives uptime wrap.
      start: exportTime - ((uptime - u32(b, o + 24)) | 0) / 1000,
      end: exportTime - ((uptime - u32(b, o + 28)) | 0) / 1000,
      srcPort: u16(b, o + 32),
      dstPort: u16(b, o + 34),
      tcpFlags: b[o + 37]!,
      proto: b[o + 38]!,
      tos: b[o + 39]!,
      srcAs: u16(b, o + 40),
      dstAs: u16(b, o + 42),
      srcMask: b[o + 44]!,
      dstMask: b[o + 45]!,
      fields: {},
    };
    if (sampling > 0) r.samplingInterval = sampling;
    stats.records++;
    onRecord(r);
  }
}
