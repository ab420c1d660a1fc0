/**
 * Recognising NetFlow v5 / v9 / IPFIX export data by content: a UDP payload in
 * a capture, or a raw payload file. Collector ports alone are not enough
 * (exporters use any port; pmacct's captures use 9991, nDPI's 2057), so a
 * datagram on another port must pass a header check that random UDP payloads
 * almost never pass.
 */
import { openCapture } from '../read/index.js';
import { extractUdp, type UdpDatagram } from '../read/netflow/udp-payload.js';
import type { Problem, ProblemLog } from '../schema/problem.js';

/** Usual collector ports: 2055 (NetFlow), 9995/9996 (nfcapd, Cisco), 4739 (IPFIX), 6343 (shared with sFlow). */
export const collectorPorts: ReadonlySet<number> = new Set([2055, 9995, 9996, 4739, 6343]);
/** DNS-style ports whose first two payload bytes are an arbitrary id: never sniffed by content. */
const idPorts: ReadonlySet<number> = new Set([53, 5353, 5355]);

/** Frames looked at when deciding whether a capture holds export traffic. */
const SNIFF_FRAMES = 256;

/** Export version (5, 9, 10) in the first two bytes, else 0. */
export function exportVersion(b: Uint8Array, o: number, len: number): 0 | 5 | 9 | 10 {
  if (len < 2 || b[o] !== 0) return 0;
  const v = b[o + 1];
  return v === 5 || v === 9 || v === 10 ? v : 0;
}

/**
 * Header check for an export message at b[o..o+len): version, counts and the
 * first set's id and length must make sense. `room` is how many bytes the
 * message may take (a file's remaining size; the datagram length otherwise).
 * @example looksLikeExport(payload, 0, payload.length, payload.length) // true for a softflowd datagram
 */
export function looksLikeExport(b: Uint8Array, o: number, len: number, room = len): boolean {
  const v = exportVersion(b, o, len);
  const u16 = (at: number) => (b[o + at]! << 8) | b[o + at + 1]!;
  if (v === 5) {
    const count = u16(2);
    return len >= 24 && count >= 1 && count <= 30 && 24 + 48 * count <= room;
  }
  if (v === 9) {
    if (len < 24) return false;
    const id = u16(20);
    const setLen = u16(22);
    return (id <= 1 || id >= 256) && setLen >= 4 && setLen <= room - 20;
  }
  if (v === 10) {
    if (len < 20) return false;
    const msgLen = u16(2);
    const id = u16(16);
    const setLen = u16(18);
    return (
      msgLen >= 20 &&
      msgLen <= room &&
      (id === 2 || id === 3 || id >= 256) &&
      setLen >= 4 &&
      setLen <= msgLen - 16
    );
  }
  return false;
}

/**
 * Whether a UDP payload is export traffic: on a collector port the version is
 * enough (bad datagrams there are reported, not ignored); elsewhere the whole
 * header check must pass.
 * @example isExportDatagram(frame.data, dg.offset, dg.length, dg.srcPort, dg.dstPort)
 */
export function isExportDatagram(
  b: Uint8Array,
  o: number,
  len: number,
  srcPort: number,
  dstPort: number,
): boolean {
  if (collectorPorts.has(dstPort)) return exportVersion(b, o, len) !== 0;
  if (idPorts.has(dstPort) || idPorts.has(srcPort)) return false;
  return looksLikeExport(b, o, len);
}

/**
 * Whether the first frames of a capture (up to 256) include an export datagram.
 * Reads only the head; problems of the capture itself are left to the real read.
 * @example captureHasExports('export.pcap') // true
 */
export function captureHasExports(path: string): boolean {
  const reader = openCapture(path, quietProblems, { chunkSize: 256 * 1024 });
  if (!reader) return false;
  const dg: UdpDatagram = { srcAddr: '', srcPort: 0, dstPort: 0, offset: 0, length: 0 };
  try {
    let n = 0;
    for (let f = reader.next(); f && n < SNIFF_FRAMES; f = reader.next(), n++) {
      if (
        extractUdp(f.data, f.linkType, dg) === 'ok' &&
        isExportDatagram(f.data, dg.offset, dg.length, dg.srcPort, dg.dstPort)
      )
        return true;
    }
    return false;
  } finally {
    reader.close();
  }
}

/**
 * Whether a file's first bytes are a raw export payload (one datagram, or
 * several one after another as `nc -u -l > file` writes them).
 * @example isExportPayloadFile(readFileSync('tpl.dat'), statSync('tpl.dat').size)
 */
export function isExportPayloadFile(head: Uint8Array, fileSize: number): boolean {
  const v = exportVersion(head, 0, head.length);
  // v5 files with a wrong record count are still v5 (reported when read) if the size fits v5's records.
  if (v === 5 && head.length >= 24 && fileSize >= 72 && (fileSize - 24) % 48 === 0) return true;
  return looksLikeExport(head, 0, head.length, fileSize);
}

const quietProblems: ProblemLog = {
  counts: new Map(),
  samples: [],
  add(_p: Problem) {},
  total: () => 0,
};
