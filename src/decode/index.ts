/**
 * Picket's packet decoder: link, network and transport layers of one frame
 * into a reused DecodedPacket, with IP fragment reassembly and per-problem
 * counting (malformed packets set `error`, add a Problem, and decoding goes on).
 */
import type { DecodedPacket, Frame } from '../schema/packet.js';
import type { ProblemLog } from '../schema/problem.js';
import { createStats, type DecodeContext, type DecodeStats } from './context.js';
import { createFragmentTable } from './fragments.js';
import { decodeLink } from './link.js';
import { createDecodedPacket, resetPacket } from './packet.js';

export type { DecodeStats } from './context.js';
export { createDecodedPacket } from './packet.js';

export interface Decoder {
  /** Decodes one frame into the same reused DecodedPacket (copy what you keep). */
  decode(frame: Frame): DecodedPacket;
  readonly stats: DecodeStats;
}

export interface DecoderOptions {
  /** Reassemble IPv4/IPv6 fragments (default true). */
  reassembleFragments?: boolean;
  /** Budget for all buffered fragment data, in bytes (default 16 MiB). */
  maxFragmentBytes?: number;
  /** Seconds of packet time after which an incomplete datagram is dropped (default 30). */
  fragmentTimeout?: number;
  /** File name to put into problems, when known. */
  file?: string;
}

/**
 * Creates a decoder. The returned packet is the same object on every call and
 * its `payload` may point into the frame or into a reassembly buffer, both
 * valid only until the next call.
 *
 * @example
 * const dec = createDecoder(createProblemLog());
 * for (const frame of frames) { const p = dec.decode(frame); if (p.ipProto === 6) flows.add(p); }
 */
export function createDecoder(problems: ProblemLog, opts: DecoderOptions = {}): Decoder {
  const maxBytes = opts.maxFragmentBytes ?? 16 * 1024 * 1024;
  const timeout = opts.fragmentTimeout ?? 30;
  if (!(maxBytes >= 0) || !(timeout >= 0))
    throw new Error('createDecoder: fragment budget and timeout must be >= 0');
  const stats = createStats();
  const pkt = createDecodedPacket();
  const frags =
    opts.reassembleFragments === false ? null : createFragmentTable(stats.fragments, maxBytes, timeout);
  const ctx: DecodeContext = { pkt, frame: pkt.frame, stats, problems, file: opts.file, frags };
  return {
    decode(frame: Frame): DecodedPacket {
      resetPacket(pkt, frame);
      ctx.frame = frame;
      stats.packets++;
      if (frags !== null) frags.expire(pkt.ts); // O(1) unless something is due
      decodeLink(ctx, frame.data, frame.linkType);
      if (pkt.l3 === 0) stats.byL3.none++;
      else if (pkt.l3 === 0xffff) stats.byL3.other++;
      return pkt;
    },
    stats,
  };
}
