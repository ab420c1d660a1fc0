/**
 * One connection's mutable state inside the flow table. Finished flows are
 * recycled (a bounded free list in the table), so steady traffic allocates
 * few of them; the key is kept as 32-bit address words and port numbers so
 * the hot path compares numbers, never strings.
 */
import type { ConnCore } from './history.js';
import type { FlowObserver } from './observer.js';
import type { TcpConn } from './tcp-analyzer.js';

export class Flow implements ConnCore {
  // Table links: hash chain, least-recently-active list, timer list.
  next: Flow | null = null;
  lruPrev: Flow | null = null;
  lruNext: Flow | null = null;
  tPrev: Flow | null = null;
  tNext: Flow | null = null;
  tClass = -1;
  deadline = 0;
  hash = 0;

  // Key: originator words o0..o3 / port, responder words r0..r3 / port.
  addrLen = 4;
  o0 = 0;
  o1 = 0;
  o2 = 0;
  o3 = 0;
  r0 = 0;
  r1 = 0;
  r2 = 0;
  r3 = 0;
  oPort = 0;
  rPort = 0;
  ipProto = 0;
  vlan = -1;
  innerVlan = -1;
  /** ICMP messages without a counterpart type are keyed one way only (as Zeek does). */
  oneWay = false;

  startTs = 0;
  lastTs = 0;
  tsSec = 0;
  tsNsec = 0;

  origPkts = 0;
  respPkts = 0;
  origIpBytes = 0;
  respIpBytes = 0;
  origWire = 0;
  respWire = 0;
  /** UDP/ICMP payload byte sums. */
  origSize = 0;
  respSize = 0;
  /** TCP: OR of every flag byte each side sent (as NetFlow keeps them), for scan-flag classes. */
  origFlags = 0;
  respFlags = 0;

  history = '';
  histSeen = 0;
  missedBytes = 0;
  handshakeDone = false;
  attemptTs = -1;
  closedTs = -1;
  flips = 0;

  tcp: TcpConn | null = null;
  /** The TcpConn of an earlier connection carried by this object, reset and kept for reuse. */
  spareTcp: TcpConn | null = null;
  observer: FlowObserver | undefined = undefined;

  /**
   * Clears the per-connection state so a finished Flow can carry a new
   * connection; the table sets key, times and links when it reuses it.
   */
  recycle(): void {
    this.origPkts = 0;
    this.respPkts = 0;
    this.origIpBytes = 0;
    this.respIpBytes = 0;
    this.origWire = 0;
    this.respWire = 0;
    this.origSize = 0;
    this.respSize = 0;
    this.origFlags = 0;
    this.respFlags = 0;
    this.history = '';
    this.histSeen = 0;
    this.missedBytes = 0;
    this.handshakeDone = false;
    this.attemptTs = -1;
    this.closedTs = -1;
    this.flips = 0;
    this.observer = undefined;
    if (this.tcp !== null) {
      this.tcp.reset();
      this.spareTcp = this.tcp;
      this.tcp = null;
    }
  }

  /** Swaps originator and responder (key order and per-direction counters), adding '^'. */
  flip(): void {
    let t = this.o0;
    this.o0 = this.r0;
    this.r0 = t;
    t = this.o1;
    this.o1 = this.r1;
    this.r1 = t;
    t = this.o2;
    this.o2 = this.r2;
    this.r2 = t;
    t = this.o3;
    this.o3 = this.r3;
    this.r3 = t;
    t = this.oPort;
    this.oPort = this.rPort;
    this.rPort = t;
    t = this.origPkts;
    this.origPkts = this.respPkts;
    this.respPkts = t;
    t = this.origIpBytes;
    this.origIpBytes = this.respIpBytes;
    this.respIpBytes = t;
    t = this.origWire;
    this.origWire = this.respWire;
    this.respWire = t;
    t = this.origSize;
    this.origSize = this.respSize;
    this.respSize = t;
    t = this.origFlags;
    this.origFlags = this.respFlags;
    this.respFlags = t;
    this.tcp?.flipEndpoints();
    this.flips++;
    this.history += '^';
  }
}
