/**
 * One direction of a TCP stream put back in order.
 *
 * Stream offsets are plain numbers counted from the first byte after the ISN
 * (or from the first byte seen when the capture starts midstream), so 32-bit
 * sequence wraparound only matters when turning a header `seq` into an offset:
 * that is a signed 32-bit difference from the next expected sequence number.
 *
 * Overlap policy: **first received wins**. Bytes already delivered (or already
 * buffered out of order) are never replaced by a later segment covering the
 * same range; only the new part of a segment is used. When the overlapping
 * bytes differ from what was received first, `inconsistentOverlaps` counts it:
 * end hosts may resolve such ambiguity differently than we do (the classic
 * IDS-evasion trick), so the analyst should know.
 *
 * In-order data is handed to `onData` without copying (valid only during the
 * call); out-of-order data is copied, since the reader reuses its buffer.
 */
import type { ReassemblyStats } from '../schema/session.js';

export interface StreamReassemblerOptions {
  /**
   * Bound on out-of-order bytes held (default 1 MiB). When full, the oldest hole
   * is declared a gap so the stream moves on; bytes of a single piece beyond
   * the bound are dropped and counted as truncated.
   */
  maxBuffered?: number;
  /** Bound on out-of-order pieces held (default 4096), so tiny segments cannot cost unbounded objects. */
  maxPieces?: number;
  /** Recently delivered bytes kept to tell retransmissions from inconsistent overlaps (default 16 KiB). */
  historyBytes?: number;
  /** In-order bytes at stream offset `seqOffset`; `bytes` is valid only during the call. */
  onData(bytes: Uint8Array, seqOffset: number): void;
  /** `len` bytes at the current offset were never seen (lost from the capture). */
  onGap?(len: number): void;
  /** Counters to add to; pass one shared object to get totals over many streams. */
  stats?: ReassemblyStats;
}

export interface StreamReassembler {
  /** Feeds one segment of this direction: header `seq`, TCP flags byte(s), payload (may be empty). */
  segment(seq: number, flags: number, payload: Uint8Array): void;
  /** The other direction acknowledged up to `ackNo`: a hole below it is data the capture lost. */
  ack(ackNo: number): void;
  /** End of input: deliver buffered data, reporting the holes between as gaps. */
  finish(): void;
  /** Bytes delivered so far, gaps included (the next stream offset). */
  readonly offset: number;
  /** True once FIN/RST was seen and everything before it delivered, or after finish(). */
  readonly closed: boolean;
  readonly stats: ReassemblyStats;
}

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
/** An ACK more than this far past what we delivered is implausible; ignore it rather than invent a huge gap. */
const MAX_ACK_JUMP = 1 << 30;

/** Zeroed counters. */
export function createReassemblyStats(): ReassemblyStats {
  return {
    segments: 0,
    outOfOrder: 0,
    retransmissions: 0,
    overlaps: 0,
    inconsistentOverlaps: 0,
    gaps: 0,
    gapBytes: 0,
    truncatedBytes: 0,
  };
}

/** Adds `b` into `a`. */
export function addReassemblyStats(a: ReassemblyStats, b: ReassemblyStats): void {
  a.segments += b.segments;
  a.outOfOrder += b.outOfOrder;
  a.retransmissions += b.retransmissions;
  a.overlaps += b.overlaps;
  a.inconsistentOverlaps += b.inconsistentOverlaps;
  a.gaps += b.gaps;
  a.gapBytes += b.gapBytes;
  a.truncatedBytes += b.truncatedBytes;
}

interface Piece {
  start: number;
  data: Uint8Array;
}

/**
 * Creates the reassembler for one direction.
 *
 * @example
 * const r = createStreamReassembler({ onData: (b, off) => parser.feed(b), onGap: (n) => parser.gap(n) });
 * r.segment(pkt.seq, pkt.tcpFlags, pkt.payload); // this direction's packets
 * r.ack(otherPkt.ack);                             // the other direction's ACKs
 * r.finish();
 */
export function createStreamReassembler(opts: StreamReassemblerOptions): StreamReassembler {
  const maxBuffered = opts.maxBuffered ?? 1 << 20;
  const maxPieces = opts.maxPieces ?? 4096;
  const historyMax = opts.historyBytes ?? 16 * 1024;
  const onData = opts.onData;
  const onGap = opts.onGap;
  const stats = opts.stats ?? createReassemblyStats();

  let started = false;
  /** Absolute sequence number of stream offset 0. */
  let baseSeq = 0;
  /** Next stream offset to deliver. */
  let delivered = 0;
  /** Stream offset of the FIN (end of data), -1 until seen. */
  let finOffset = -1;
  let closed = false;
  const pieces: Piece[] = [];
  let bufferedBytes = 0;

  // Ring of recently delivered bytes, grown on demand up to historyMax (a power of two).
  let hist: Uint8Array | null = null;
  let histFilled = 0;

  function remember(bytes: Uint8Array, at: number): void {
    if (historyMax <= 0) return;
    const need = Math.min(historyMax, histFilled + bytes.length);
    if (hist === null || (hist.length < need && hist.length < historyMax)) {
      let cap = hist === null ? 1024 : hist.length;
      while (cap < need && cap < historyMax) cap *= 2;
      cap = Math.min(cap, historyMax);
      const grown = new Uint8Array(cap);
      if (hist !== null) {
        // Re-place kept bytes at their offsets modulo the new capacity.
        for (let o = at - histFilled; o < at; o++) grown[o & (cap - 1)] = hist[o & (hist.length - 1)]!;
      }
      hist = grown;
    }
    const cap = hist.length;
    const mask = cap - 1;
    let src = 0;
    let len = bytes.length;
    if (len > cap) {
      src = len - cap;
      len = cap;
    }
    let pos = (at + src) & mask;
    while (len > 0) {
      const n = Math.min(len, cap - pos);
      hist.set(bytes.subarray(src, src + n), pos);
      src += n;
      len -= n;
      pos = 0;
    }
    histFilled = Math.min(cap, histFilled + bytes.length);
  }

  /** Compares bytes[from..to) (stream offsets start+from..) against history; true when any known byte differs. */
  function differsFromHistory(bytes: Uint8Array, start: number, from: number, to: number): boolean {
    if (hist === null) return false;
    const mask = hist.length - 1;
    const oldest = delivered - histFilled;
    for (let i = from; i < to; i++) {
      const o = start + i;
      if (o < oldest || o >= delivered) continue;
      if (hist[o & mask] !== bytes[i]) return true;
    }
    return false;
  }

  function deliver(bytes: Uint8Array): void {
    const at = delivered;
    remember(bytes, at);
    delivered += bytes.length;
    onData(bytes, at);
  }

  function gap(len: number): void {
    if (len <= 0) return;
    stats.gaps++;
    stats.gapBytes += len;
    delivered += len;
    histFilled = 0; // history no longer ends at `delivered`
    onGap?.(len);
  }

  /** Delivers buffered pieces that now start at (or before) the delivered offset. */
  function flush(): void {
    while (pieces.length > 0 && pieces[0]!.start <= delivered) {
      const p = pieces.shift()!;
      bufferedBytes -= p.data.length;
      const skip = delivered - p.start;
      if (skip < p.data.length) deliver(skip > 0 ? p.data.subarray(skip) : p.data);
    }
    checkClosed();
  }

  function checkClosed(): void {
    if (finOffset >= 0 && delivered >= finOffset && pieces.length === 0) closed = true;
  }

  /** Stores [start, start+len) of `payload` (from index `from`) out of order, first received wins. */
  function buffer(payload: Uint8Array, from: number, start: number): void {
    const end = start + (payload.length - from);
    let cursor = start;
    let overlapped = false;
    let inconsistent = false;
    const fresh: Piece[] = [];
    for (let i = 0; i < pieces.length && cursor < end; i++) {
      const p = pieces[i]!;
      const pEnd = p.start + p.data.length;
      if (pEnd <= cursor) continue;
      if (p.start >= end) break;
      if (p.start > cursor)
        fresh.push({ start: cursor, data: payload.subarray(from + cursor - start, from + p.start - start) });
      const oFrom = Math.max(cursor, p.start);
      const oTo = Math.min(end, pEnd);
      overlapped = true;
      for (let o = oFrom; o < oTo && !inconsistent; o++) {
        if (p.data[o - p.start] !== payload[from + o - start]) inconsistent = true;
      }
      cursor = pEnd;
    }
    if (cursor < end)
      fresh.push({ start: cursor, data: payload.subarray(from + cursor - start, from + end - start) });
    if (overlapped) {
      if (fresh.length === 0 && !inconsistent) stats.retransmissions++;
      else stats.overlaps++;
      if (inconsistent) stats.inconsistentOverlaps++;
    }
    for (const f of fresh) insert(f.start, f.data);
  }

  /**
   * Keeps a copy of a piece that overlaps nothing buffered. When the bound is
   * reached the oldest hole is given up as a gap (a one-sided capture never
   * sees the ACK that would do it); only a piece larger than the bound itself
   * loses bytes, counted as truncated.
   */
  function insert(start: number, data: Uint8Array): void {
    while (pieces.length > 0 && (data.length > maxBuffered - bufferedBytes || pieces.length >= maxPieces)) {
      const first = pieces[0]!.start;
      if (start < first) {
        gap(start - delivered);
        deliver(data);
        flush();
        return;
      }
      gap(first - delivered);
      flush();
    }
    let len = data.length;
    if (len > maxBuffered) {
      stats.truncatedBytes += len - maxBuffered;
      len = maxBuffered;
    }
    const piece = { start, data: data.slice(0, len) }; // copy: the reader reuses its buffer
    bufferedBytes += len;
    let at = pieces.length;
    while (at > 0 && pieces[at - 1]!.start > start) at--;
    pieces.splice(at, 0, piece);
  }

  function segment(seq: number, flags: number, payload: Uint8Array): void {
    if (closed) return;
    if (!started) {
      if (flags & SYN) {
        baseSeq = (seq + 1) >>> 0;
      } else if (payload.length > 0 || flags & FIN) {
        baseSeq = seq >>> 0;
      } else return;
      started = true;
    }
    // Data on a SYN (TCP Fast Open) starts after the SYN's sequence number.
    if (flags & SYN) seq = (seq + 1) >>> 0;
    const start = delivered + ((seq - ((baseSeq + delivered) >>> 0)) | 0);
    const len = payload.length;
    const end = start + len;

    if (flags & FIN) {
      if (finOffset < 0 || end < finOffset) finOffset = Math.max(end, delivered);
    }
    if (len > 0) {
      stats.segments++;
      if (end <= delivered) {
        // Entirely old data; a 1-byte probe just below the edge is a keep-alive, not a retransmission.
        if (!(len === 1 && start === delivered - 1)) {
          if (differsFromHistory(payload, start, 0, len)) {
            stats.overlaps++;
            stats.inconsistentOverlaps++;
          } else stats.retransmissions++;
        }
      } else if (start < delivered) {
        // Partly old: count the overlap, use only the new part.
        const oldLen = delivered - start;
        stats.overlaps++;
        if (differsFromHistory(payload, start, 0, oldLen)) stats.inconsistentOverlaps++;
        if (pieces.length === 0) deliver(payload.subarray(oldLen));
        else buffer(payload, oldLen, delivered);
      } else if (start === delivered && pieces.length === 0) {
        deliver(payload);
      } else {
        if (start > delivered) stats.outOfOrder++;
        buffer(payload, 0, start);
      }
      flush();
    }
    if (flags & RST) finish();
    else checkClosed();
  }

  function ack(ackNo: number): void {
    if (!started || closed) return;
    const jump = (ackNo - ((baseSeq + delivered) >>> 0)) | 0;
    if (jump <= 0 || jump > MAX_ACK_JUMP) return;
    let target = delivered + jump;
    if (finOffset >= 0 && target > finOffset) target = finOffset; // the FIN takes one sequence number
    while (delivered < target) {
      const next = pieces.length > 0 ? pieces[0]!.start : target;
      gap(Math.min(next, target) - delivered);
      flush();
    }
    checkClosed();
  }

  function finish(): void {
    if (closed) return;
    while (pieces.length > 0) {
      gap(pieces[0]!.start - delivered);
      flush();
    }
    if (finOffset > delivered) gap(finOffset - delivered);
    closed = true;
  }

  return {
    segment,
    ack,
    finish,
    get offset() {
      return delivered;
    },
    get closed() {
      return closed;
    },
    stats,
  };
}
