/**
 * "Download the session PCAP": copies the frames of one connection from its
 * source capture into a new pcap file, keeping link type and timestamps.
 *
 * A frame belongs to the connection when it has the flow's addresses, IP
 * protocol and ports (either direction; ICMP by addresses and protocol, as its
 * "ports" are type/code), the flow's VLAN tags, and a timestamp within
 * [flow.ts, flow.ts + duration] widened by a small margin. Unreassembled IP
 * fragments between the two hosts with the flow's protocol are included too:
 * they are part of the conversation on the wire.
 */
import { createDecoder } from '../../decode/index.js';
import { openCapture } from '../../read/index.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { ProblemLog } from '../../schema/problem.js';
import { parseAddress } from '../../util/ip.js';
import { createProblemLog } from '../../util/problems.js';
import { createPcapWriter, type PcapWriter } from './pcap-writer.js';

export interface ExportSessionInput {
  /** Path of the capture the flow came from (FlowRecord.source). */
  source: string;
  flow: Pick<
    FlowRecord,
    'ts' | 'duration' | 'origH' | 'origP' | 'respH' | 'respP' | 'ipProto' | 'vlan' | 'innerVlan' | 'uid'
  >;
}

export interface ExportSessionOptions {
  /** Seconds added on both sides of the flow's time span (default 0.001, for timestamp rounding). */
  margin?: number;
  /** Problems met while reading the source (bad records are skipped). */
  problems?: ProblemLog;
}

const TCP = 6;
const UDP = 17;
const SCTP = 132;

function sameBytes(a: Uint8Array, b: Uint8Array, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes the packets of `flow` from `source` into a new pcap at `outPath`;
 * returns how many were written. Throws when the source cannot be opened
 * or the flow's addresses are not addresses (unusable input, not bad data).
 *
 * @example
 * const n = exportSession({ source: 'day1.pcap', flow }, 'CHhAvVGS1DHFjwGM9.pcap'); // n === 12
 */
export function exportSession(
  input: ExportSessionInput,
  outPath: string,
  opts: ExportSessionOptions = {},
): number {
  const { source, flow } = input;
  const problems = opts.problems ?? createProblemLog();
  const margin = opts.margin ?? 0.001;
  const orig = parseAddress(flow.origH);
  const resp = parseAddress(flow.respH);
  if (orig === undefined || resp === undefined || orig.length !== resp.length) {
    throw new Error(`exportSession: flow ${flow.uid} has unusable addresses ${flow.origH} / ${flow.respH}`);
  }
  const reader = openCapture(source, problems);
  if (reader === undefined) {
    const why = problems.samples.at(-1)?.message ?? 'not a capture file';
    throw new Error(`exportSession: cannot read ${source}: ${why}`);
  }
  const addrLen = orig.length;
  const hasPorts = flow.ipProto === TCP || flow.ipProto === UDP || flow.ipProto === SCTP;
  const vlan = flow.vlan ?? -1;
  const innerVlan = flow.innerVlan ?? -1;
  const from = flow.ts - margin;
  const to = flow.ts + flow.duration + margin;
  // pcapng carries per-interface resolution; nanoseconds keep whatever it had.
  const nanosecond = reader.nanosecond || reader.format === 'pcapng';
  const decoder = createDecoder(problems, { file: source });
  let writer: PcapWriter | undefined;
  let linkType = -1;
  try {
    for (let f = reader.next(); f !== undefined; f = reader.next()) {
      const t = f.tsSec + f.tsNsec / 1e9;
      if (t < from || t > to) continue;
      const p = decoder.decode(f);
      if (p.addrLen !== addrLen || p.ipProto !== flow.ipProto || p.vlan !== vlan || p.innerVlan !== innerVlan)
        continue;
      let fwd: boolean;
      if (sameBytes(p.src, orig, addrLen) && sameBytes(p.dst, resp, addrLen)) fwd = true;
      else if (sameBytes(p.src, resp, addrLen) && sameBytes(p.dst, orig, addrLen)) fwd = false;
      else continue;
      if (hasPorts && !p.fragment) {
        const ok = fwd
          ? p.srcPort === flow.origP && p.dstPort === flow.respP
          : p.srcPort === flow.respP && p.dstPort === flow.origP;
        if (!ok) continue;
      }
      if (writer === undefined) {
        linkType = f.linkType;
        writer = createPcapWriter(outPath, { linkType, nanosecond });
      } else if (f.linkType !== linkType) {
        problems.add({
          stage: 'flow',
          code: 'export.mixed-link-types',
          message: `Frame has link type ${f.linkType} but the exported pcap is ${linkType}; frame left out.`,
          file: source,
          offset: f.offset,
          frame: f.index,
        });
        continue;
      }
      writer.write(f.tsSec, f.tsNsec, f.origLen, f.data);
    }
  } finally {
    reader.close();
    writer?.close();
  }
  if (writer === undefined) {
    // No frame matched: still leave a valid, empty capture behind.
    createPcapWriter(outPath, { linkType: 1, nanosecond }).close();
    return 0;
  }
  return writer.count;
}
