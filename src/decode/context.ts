/**
 * State shared by the layer decoders of one Decoder: the reused packet, the
 * counters and the problem log. Layer decoders are plain functions over this
 * context so the hot path has no closures or per-packet objects.
 */
import type { Frame } from '../schema/packet.js';
import type { ProblemLog } from '../schema/problem.js';
import type { FragmentTable } from './fragments.js';
import type { ReusedPacket } from './packet.js';

/** Counters a Decoder keeps; keys of byL3/byL4 are protocol names ('ipv4', 'tcp', ...). */
export interface DecodeStats {
  packets: number;
  byL3: Record<string, number>;
  byL4: Record<string, number>;
  fragments: {
    seen: number;
    reassembled: number;
    expired: number;
    droppedOverBudget: number;
    overlaps: number;
  };
  errors: number;
}

export interface DecodeContext {
  pkt: ReusedPacket;
  frame: Frame;
  stats: DecodeStats;
  problems: ProblemLog;
  file: string | undefined;
  /** null when fragment reassembly is off. */
  frags: FragmentTable | null;
}

/** Fresh zeroed counters. */
export function createStats(): DecodeStats {
  return {
    packets: 0,
    byL3: { none: 0, ipv4: 0, ipv6: 0, arp: 0, other: 0 },
    byL4: { tcp: 0, udp: 0, icmp: 0, icmpv6: 0, sctp: 0, other: 0 },
    fragments: { seen: 0, reassembled: 0, expired: 0, droppedOverBudget: 0, overlaps: 0 },
    errors: 0,
  };
}

/**
 * Records a malformed-input problem: sets pkt.error (first one wins), counts
 * it and adds it to the log. `message` should be a constant string so that a
 * flood of bad packets builds no strings; the log keeps only a few samples.
 */
export function fail(ctx: DecodeContext, code: string, message: string): void {
  if (ctx.pkt.error === '') ctx.pkt.error = code;
  ctx.stats.errors++;
  const p = { stage: 'decode' as const, code, message, frame: ctx.frame.index, offset: ctx.frame.offset };
  if (ctx.file !== undefined) (p as { file?: string }).file = ctx.file;
  ctx.problems.add(p);
}

/**
 * True when the capture itself cut the frame short (snap length), in which
 * case a length field larger than the captured bytes is expected, not an error.
 */
export function snapTruncated(ctx: DecodeContext): boolean {
  return ctx.frame.capLen < ctx.frame.origLen;
}
