/**
 * Readers that feed a NetflowSession from files: captures of export traffic
 * (pcap / pcapng, UDP payloads found with udp-payload.ts) and raw export
 * payloads (.dat, one datagram per file, as in logstash's test data).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ProblemLog } from '../../schema/problem.js';
import { openCapture } from '../index.js';
import type { NetflowSession } from './session.js';
import { extractUdp, type UdpDatagram } from './udp-payload.js';

export interface CaptureOptions {
  /** Only datagrams to these UDP ports (default: any UDP payload that starts like NetFlow v5/v9/IPFIX). */
  ports?: readonly number[];
}

export interface CaptureSummary {
  frames: number;
  datagrams: number;
  fragments: number;
}

/**
 * Feeds every export datagram in a capture to `session`; the exporter is the
 * sender's 'ip:port', the receive time the frame's timestamp. Problem offsets
 * are within the datagram and `frame` names the packet.
 * @example readNetflowCapture('export.pcap', session, problems)
 */
export function readNetflowCapture(
  path: string,
  session: NetflowSession,
  problems: ProblemLog,
  opts: CaptureOptions = {},
): CaptureSummary {
  const summary: CaptureSummary = { frames: 0, datagrams: 0, fragments: 0 };
  const reader = openCapture(path, problems);
  if (!reader) return summary;
  const dg: UdpDatagram = { srcAddr: '', srcPort: 0, dstPort: 0, offset: 0, length: 0 };
  const ports = opts.ports ? new Set(opts.ports) : undefined;
  const origin = { file: path, frame: 0 };
  try {
    for (let f = reader.next(); f; f = reader.next()) {
      summary.frames++;
      const res = extractUdp(f.data, f.linkType, dg);
      if (res === 'fragment') {
        summary.fragments++;
        problems.add({
          stage: 'read',
          code: 'netflow.ip-fragment',
          message: 'a fragmented export datagram (not reassembled); skipped',
          file: path,
          frame: f.index,
          offset: f.offset,
        });
        continue;
      }
      if (res !== 'ok' || dg.length < 4) continue;
      if (ports ? !ports.has(dg.dstPort) : !looksLikeExport(f.data, dg.offset)) continue;
      summary.datagrams++;
      origin.frame = f.index;
      session.datagram(
        f.data.subarray(dg.offset, dg.offset + dg.length),
        `${dg.srcAddr}:${dg.srcPort}`,
        f.tsSec + f.tsNsec / 1e9,
        origin,
      );
    }
  } finally {
    reader.close();
  }
  return summary;
}

function looksLikeExport(b: Uint8Array, o: number): boolean {
  if (b[o] !== 0) return false;
  const v = b[o + 1];
  return v === 5 || v === 9 || v === 10;
}

/**
 * Feeds raw export payload files (one datagram each) to `session`, in order,
 * as one exporter (templates in one file serve data in the next).
 * @example readNetflowDatFiles(['tpl.dat', 'data.dat'], session, problems)
 */
export function readNetflowDatFiles(
  paths: readonly string[],
  session: NetflowSession,
  problems: ProblemLog,
  exporter = 'file:0',
): number {
  let n = 0;
  for (const path of paths) {
    let bytes: Uint8Array;
    let mtime: number;
    try {
      bytes = readFileSync(path);
      mtime = statSync(path).mtimeMs / 1000;
    } catch (err) {
      problems.add({
        stage: 'read',
        code: 'netflow.unreadable',
        message: `cannot read ${basename(path)}: ${(err as Error).message}`,
        file: path,
      });
      continue;
    }
    session.datagram(bytes, exporter, mtime, { file: path, offset: 0 });
    n++;
  }
  return n;
}
