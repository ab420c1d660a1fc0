/**
 * One side of a TCP connection as Zeek's TCP analyzer tracks it: endpoint
 * state, sequence space (start/last/ack with 32-bit wrap counts) and the
 * counters behind the scaled history letters. Sizes come from sequence
 * space, as Zeek's orig_bytes/resp_bytes do.
 */

/** Zeek's TCP endpoint states (same order as Zeek's enum). */
export const TcpState = {
  INACTIVE: 0,
  SYN_SENT: 1,
  SYN_ACK_SENT: 2,
  PARTIAL: 3,
  ESTABLISHED: 4,
  CLOSED: 5,
  RESET: 6,
} as const;

const TWO32 = 4294967296;

/** Signed 32-bit difference a - b of two sequence numbers. */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpEndpoint {
  state: number = TcpState.INACTIVE;
  prevState: number = TcpState.INACTIVE;
  startSeq = 0;
  lastSeq = 0;
  ackSeq = 0;
  seqWraps = 0;
  ackWraps = 0;
  didClose = false;
  finCnt = 0;
  /** Relative sequence of this side's FIN (end of its data + 1). */
  finSeq = 0;
  histLastSyn = 0;
  histLastFin = 0;
  histLastRst = 0;
  rxmtCnt = 0;
  rxmtThresh = 1;
  win0Cnt = 0;
  win0Thresh = 1;
  gapCnt = 0;
  gapThresh = 1;
  /** Highest relative sequence end of data seen from this side, and how far the peer's ACKs trimmed it. */
  dataEnd = 1;
  trimSeq = 1;

  constructor(public isOrig: boolean) {}

  /** Back to a fresh endpoint, for reuse by a later connection. */
  reset(isOrig: boolean): void {
    this.isOrig = isOrig;
    this.state = TcpState.INACTIVE;
    this.prevState = TcpState.INACTIVE;
    this.startSeq = 0;
    this.lastSeq = 0;
    this.ackSeq = 0;
    this.seqWraps = 0;
    this.ackWraps = 0;
    this.didClose = false;
    this.finCnt = 0;
    this.finSeq = 0;
    this.histLastSyn = 0;
    this.histLastFin = 0;
    this.histLastRst = 0;
    this.rxmtCnt = 0;
    this.rxmtThresh = 1;
    this.win0Cnt = 0;
    this.win0Thresh = 1;
    this.gapCnt = 0;
    this.gapThresh = 1;
    this.dataEnd = 1;
    this.trimSeq = 1;
  }

  isHandshake(): boolean {
    return this.state <= TcpState.SYN_ACK_SENT;
  }

  initStart(seq: number): void {
    this.startSeq = seq >>> 0;
    this.dataEnd = 1;
    this.trimSeq = 1;
  }

  updateLastSeq(seq: number): void {
    if (seq < this.lastSeq) this.seqWraps++;
    this.lastSeq = seq;
  }

  updateAckSeq(seq: number): void {
    if (seq < this.ackSeq) this.ackWraps++;
    this.ackSeq = seq;
  }

  noDataAcked(): boolean {
    return (
      (this.ackSeq === this.startSeq || this.ackSeq === (this.startSeq + 1) >>> 0) && this.ackWraps === 0
    );
  }

  /** Payload bytes by sequence space, excluding SYN and FIN octets (Zeek's endpoint size). */
  size(peer: TcpEndpoint): number {
    if (
      this.prevState === TcpState.SYN_SENT &&
      this.state === TcpState.RESET &&
      peer.state === TcpState.INACTIVE &&
      !this.noDataAcked()
    )
      return 0;
    const last = this.seqWraps * TWO32 + this.lastSeq;
    const ack = this.ackWraps * TWO32 + this.ackSeq;
    let size = Math.max(last, ack) - this.startSeq;
    if (size < 0) return 0;
    if (size !== 0) size--;
    if (this.finCnt > 0 && size !== 0) size--;
    return size;
  }
}

/** Set by relativeSeq when the sequence lies before the endpoint's start (a misorder or garbage). */
export let seqUnderflow = false;

/** Zeek's relative sequence number of `cur` within `ep`'s space, tracking wraps against `last`. */
export function relativeSeq(ep: TcpEndpoint, cur: number, last: number, wraps: number): number {
  seqUnderflow = false;
  const delta = seqDelta(cur, last);
  if (delta < 0) {
    if (wraps && cur > last) wraps--;
  } else if (delta > 0) {
    if (cur < last) wraps++;
  }
  if (wraps === 0) {
    const d = seqDelta(cur, ep.startSeq);
    if (d < 0) seqUnderflow = true;
    return d;
  }
  return wraps * TWO32 + cur - ep.startSeq;
}
