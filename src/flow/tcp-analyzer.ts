/**
 * Zeek's per-packet TCP processing for conn.log purposes: sequence tracking,
 * history letters, the endpoint state machine and connection close. Written
 * from Zeek's documented behaviour of its TCP session adapter; reassembly is
 * reduced to what missed_bytes needs (bytes acked but never seen).
 */
import { addHistory, type ConnCore, checkHistory, Hist, scaledHistory } from './history.js';
import { relativeSeq, seqDelta, seqUnderflow, TcpEndpoint, TcpState } from './tcp-endpoint.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
/** Sequence jumps beyond this are not trusted on SYN/RST (Zeek's TOO_LARGE_SEQ_DELTA). */
const TOO_LARGE_SEQ_DELTA = 1048576;

/** TCP state of one connection: both endpoints, originator first. */
export class TcpConn {
  orig = new TcpEndpoint(true);
  resp = new TcpEndpoint(false);

  /** Back to a fresh connection, for reuse. */
  reset(): void {
    this.orig.reset(true);
    this.resp.reset(false);
  }

  /** Zeek swaps its endpoint pointers on a role flip; the endpoints keep their data. */
  flipEndpoints(): void {
    const t = this.orig;
    this.orig = this.resp;
    this.resp = t;
    this.orig.isOrig = true;
    this.resp.isOrig = false;
  }

  /** True once either side has closed (FIN or RST handled as a close). */
  isClosed(): boolean {
    return this.orig.didClose || this.resp.didClose;
  }

  /**
   * Zeek's reuse test for a packet on an existing connection: only SYNs (or a
   * SYN-ACK on a half-seen connection) can start a new connection.
   */
  isReuse(flags: number, seq: number): boolean {
    if ((flags & SYN) === 0) return false;
    let connOrig = this.orig;
    if (flags & ACK) {
      if (this.orig.state !== TcpState.INACTIVE) return false;
      connOrig = this.resp;
    }
    if (!this.isClosed()) {
      if (seq >>> 0 === connOrig.startSeq) return false;
      if (
        (flags & ACK) === 0 &&
        connOrig.state === TcpState.SYN_ACK_SENT &&
        this.resp.state === TcpState.INACTIVE &&
        seq >>> 0 === this.resp.startSeq
      )
        return false;
    }
    return true;
  }

  /** Processes one packet sent by the originator (`isOrig`) or responder. */
  process(
    c: ConnCore,
    isOrig: boolean,
    flags: number,
    seq: number,
    ack: number,
    window: number,
    len: number,
    t: number,
  ): void {
    const ep = isOrig ? this.orig : this.resp;
    const peer = isOrig ? this.resp : this.orig;
    let segLen = len;
    if (flags & SYN) segLen++;
    if (flags & FIN) segLen++;
    if (flags & RST) segLen -= len;
    const seqEnd = (seq + segLen) >>> 0;

    initEndpoint(ep, flags, seq, seqEnd);
    const relSeq = relativeSeq(ep, seq, ep.lastSeq, ep.seqWraps);
    const underflow = seqUnderflow;
    updateHistory(c, ep, flags, relSeq, len);
    if (
      window === 0 &&
      (flags & RST) === 0 &&
      peer.state !== TcpState.CLOSED &&
      ep.state !== TcpState.RESET
    ) {
      ep.win0Cnt++;
      ep.win0Thresh = scaledHistory(c, ep.isOrig, 'W', ep.win0Cnt, ep.win0Thresh);
    }
    if (!this.orig.didClose || !this.resp.didClose) c.lastTs = t;
    if (flags & FIN) {
      ep.finCnt++;
      ep.finSeq = relSeq + segLen;
    }

    let relAck = 0;
    let ackUsable = false;
    if (flags & ACK) {
      if (peer.state === TcpState.INACTIVE) {
        relAck = 1;
        initPeer(peer, ack);
      } else {
        relAck = relativeSeq(peer, ack, peer.ackSeq, peer.ackWraps);
        if (seqUnderflow) relAck = 0;
        else {
          ackUsable = true;
          if ((flags & RST) === 0) updateAckSeq(peer, ack);
        }
      }
    }

    const deltaLast = this.updateLastSeq(c, ep, seqEnd, flags, len);
    const close = this.updateStateMachine(c, ep, peer, seq, ack, len, deltaLast, isOrig, flags, t);

    // Data accounting for content gaps, standing in for Zeek's reassembler.
    if (len > 0 && (flags & RST) === 0 && !underflow) {
      const dataEnd = ((flags & SYN) !== 0 ? relSeq + 1 : relSeq) + len;
      if (dataEnd > ep.dataEnd) ep.dataEnd = dataEnd;
    }
    if (ackUsable && (flags & RST) === 0) this.ackReceived(c, peer, relAck);

    if (close) this.connectionClosed(c, ep, peer);
  }

  private updateLastSeq(c: ConnCore, ep: TcpEndpoint, lastSeq: number, flags: number, len: number): number {
    const delta = seqDelta(lastSeq, ep.lastSeq);
    if ((flags & (SYN | RST)) !== 0 && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
      // untrusted jump
    } else if ((flags & FIN) !== 0 && ep.lastSeq === (ep.startSeq + 1) >>> 0) ep.updateLastSeq(lastSeq);
    else if (ep.state === TcpState.RESET) {
      // nothing after a RST is trusted
    } else if (delta > 0) ep.updateLastSeq(lastSeq);
    else if (len > 0) {
      ep.rxmtCnt++;
      ep.rxmtThresh = scaledHistory(c, ep.isOrig, 'T', ep.rxmtCnt, ep.rxmtThresh);
    }
    return delta;
  }

  /** The peer acknowledged up to `relAck` of `sender`'s data: bytes never seen become a content gap. */
  private ackReceived(c: ConnCore, sender: TcpEndpoint, relAck: number): void {
    let upTo = relAck;
    if (sender.finCnt > 0 && upTo >= sender.finSeq) upTo = sender.finSeq - 1;
    if (upTo <= sender.trimSeq) return;
    const seenTo = Math.max(sender.dataEnd, sender.trimSeq);
    const missing = upTo > seenTo ? upTo - seenTo : 0;
    sender.trimSeq = upTo;
    if (sender.dataEnd < upTo) sender.dataEnd = upTo;
    const peer = sender === this.orig ? this.resp : this.orig;
    if (missing > 0 && sender.state === TcpState.ESTABLISHED && peer.state === TcpState.ESTABLISHED) {
      c.missedBytes += missing;
      sender.gapCnt++;
      sender.gapThresh = scaledHistory(c, sender.isOrig, 'G', sender.gapCnt, sender.gapThresh);
    }
  }

  private setState(c: ConnCore, ep: TcpEndpoint, peer: TcpEndpoint, state: number): void {
    if (state === ep.state) return;
    if (state > TcpState.SYN_ACK_SENT && ep.isHandshake() && peer.isHandshake()) c.handshakeDone = true;
    ep.prevState = ep.state;
    ep.state = state;
  }

  /** Returns true when the connection should be considered closed by this packet. */
  private updateStateMachine(
    c: ConnCore,
    ep: TcpEndpoint,
    peer: TcpEndpoint,
    baseSeq: number,
    _ack: number,
    len: number,
    _deltaLast: number,
    isOrig: boolean,
    flags: number,
    t: number,
  ): boolean {
    switch (ep.state) {
      case TcpState.INACTIVE:
        return this.inactive(c, ep, peer, baseSeq, len, isOrig, flags, t);
      case TcpState.SYN_SENT:
      case TcpState.SYN_ACK_SENT: {
        let close = false;
        if (flags & FIN) {
          this.setState(c, ep, peer, TcpState.CLOSED);
          close = true;
        }
        if (flags & RST) {
          this.setState(c, ep, peer, TcpState.RESET);
          close = true;
        }
        return close;
      }
      case TcpState.ESTABLISHED:
      case TcpState.PARTIAL: {
        let close = false;
        if (
          flags & SYN &&
          ep.state === TcpState.PARTIAL &&
          peer.state === TcpState.INACTIVE &&
          (flags & ACK) === 0
        )
          this.setState(c, ep, peer, TcpState.SYN_SENT);
        if (flags & FIN && (flags & RST) === 0) {
          this.setState(c, ep, peer, TcpState.CLOSED);
          // FIN after the peer's FIN+RST: the peer's close was normal after all.
          if (peer.state === TcpState.RESET && peer.prevState === TcpState.CLOSED)
            this.setState(c, peer, ep, TcpState.CLOSED);
          close = true;
        }
        if (flags & RST) {
          this.setState(c, ep, peer, TcpState.RESET);
          close = true;
        }
        return close;
      }
      case TcpState.CLOSED:
        if (flags & RST && peer.state !== TcpState.CLOSED) {
          this.setState(c, ep, peer, TcpState.RESET);
          if (!ep.didClose) return true;
        }
        return false;
      default:
        return false;
    }
  }

  private inactive(
    c: ConnCore,
    ep: TcpEndpoint,
    peer: TcpEndpoint,
    baseSeq: number,
    len: number,
    isOrig: boolean,
    flags: number,
    t: number,
  ): boolean {
    let close = false;
    if (flags & SYN) {
      if (isOrig) {
        this.setState(c, ep, peer, flags & ACK ? TcpState.SYN_ACK_SENT : TcpState.SYN_SENT);
        c.attemptTs = t;
      } else {
        if ((flags & ACK) === 0 && peer.state === TcpState.SYN_ACK_SENT && baseSeq >>> 0 === ep.startSeq) {
          // SYN and SYN-ACK seen in reverse order: flip roles, establish.
          c.flip();
          this.setState(c, peer, ep, TcpState.ESTABLISHED);
        }
        if (peer.state === TcpState.SYN_SENT) this.setState(c, peer, ep, TcpState.ESTABLISHED);
        this.setState(c, ep, peer, TcpState.ESTABLISHED);
      }
    }
    if (flags & FIN) {
      this.setState(c, ep, peer, TcpState.CLOSED);
      close = true;
    }
    if (flags & RST) {
      this.setState(c, ep, peer, TcpState.RESET);
      close = true;
    }
    if (ep.state === TcpState.INACTIVE) {
      if (!isOrig && len === 0 && this.orig.state === TcpState.SYN_SENT) {
        // an early ACK of the SYN before the SYN-ACK: not a partial connection
      } else if (flags & ACK && peer.state === TcpState.ESTABLISHED) {
        this.setState(c, ep, peer, TcpState.ESTABLISHED);
      } else this.setState(c, ep, peer, TcpState.PARTIAL);
    }
    return close;
  }

  private connectionClosed(c: ConnCore, ep: TcpEndpoint, peer: TcpEndpoint): void {
    if (ep.didClose) return;
    ep.didClose = true;
    const complete = ep.state === TcpState.RESET || peer.didClose || peer.state === TcpState.INACTIVE;
    if (complete && c.closedTs < 0) c.closedTs = c.lastTs;
  }
}

function initEndpoint(ep: TcpEndpoint, flags: number, seq: number, seqEnd: number): void {
  switch (ep.state) {
    case TcpState.INACTIVE:
      if (flags & SYN) {
        ep.ackSeq = seq;
        ep.initStart(seq);
        ep.lastSeq = seqEnd;
      } else {
        // Midstream: number as if a SYN had been seen just before.
        const s = (seq - 1) >>> 0;
        ep.ackSeq = s;
        ep.initStart(s);
        ep.lastSeq = seq;
      }
      return;
    case TcpState.SYN_SENT:
    case TcpState.SYN_ACK_SENT:
      if (flags & SYN && seq !== ep.startSeq) reinit(ep, seq, seqEnd);
      return;
    case TcpState.ESTABLISHED:
    case TcpState.PARTIAL:
      if (flags & SYN) reinit(ep, seq, seqEnd);
      return;
    case TcpState.RESET:
      if (flags & SYN && ep.prevState === TcpState.INACTIVE) reinit(ep, seq, seqEnd);
      return;
  }
}

function reinit(ep: TcpEndpoint, seq: number, seqEnd: number): void {
  ep.initStart(seq);
  ep.ackSeq = seq;
  ep.lastSeq = seqEnd;
}

function initPeer(peer: TcpEndpoint, ack: number): void {
  const s = (ack - 1) >>> 0;
  peer.initStart(s);
  peer.ackSeq = s;
  peer.lastSeq = s;
}

function updateAckSeq(ep: TcpEndpoint, ack: number): void {
  const delta = seqDelta(ack, ep.ackSeq);
  if (ack === 0 && delta > TOO_LARGE_SEQ_DELTA) return;
  if (delta > 0) ep.updateAckSeq(ack);
}

function updateHistory(c: ConnCore, ep: TcpEndpoint, flags: number, relSeq: number, len: number): void {
  const isOrig = ep.isOrig;
  const bits = (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0) + (flags & RST ? 1 : 0);
  if (bits > 1) {
    if (flags & FIN && flags & RST) checkHistory(c, isOrig, Hist.FIN_RST, 'I');
    else checkHistory(c, isOrig, Hist.MULTI_FLAG, 'Q');
  } else if (bits === 1) {
    if (flags & SYN) {
      const code = flags & ACK ? 'H' : 'S';
      if (checkHistory(c, isOrig, Hist.SYN, code) && relSeq !== ep.histLastSyn) addHistory(c, isOrig, code);
      ep.histLastSyn = relSeq;
    }
    if (flags & FIN) {
      // A FIN's sequence is at the end of the data it carries.
      if (checkHistory(c, isOrig, Hist.FIN, 'F') && relSeq + len !== ep.histLastFin)
        addHistory(c, isOrig, 'F');
      ep.histLastFin = relSeq + len;
    }
    if (flags & RST) {
      if (checkHistory(c, isOrig, Hist.RST, 'R') && relSeq !== ep.histLastRst) addHistory(c, isOrig, 'R');
      ep.histLastRst = relSeq;
    }
  } else if (len) checkHistory(c, isOrig, Hist.DATA, 'D');
  else if (flags & ACK) checkHistory(c, isOrig, Hist.ACK, 'A');
}
