/**
 * The flow table: decoded packets in, Zeek-style connection records out.
 * Keys are hashed from raw address words and ports (no per-packet strings or
 * objects); timeouts run in packet time; the table is bounded and evicts the
 * least-recently-active connection when full, counting it.
 */
import { type DecodedPacket, IpProto } from '../schema/packet.js';
import { icmpCounterpart } from '../util/community-id.js';
import { Flow } from './flow.js';
import { endpointHash, mix, word } from './key-hash.js';
import { LruList, TimerList } from './lists.js';
import { buildRecord } from './record.js';
import { isLikelyTcpServerPort, isLikelyUdpServerPort } from './server-ports.js';
import type { FlowStats, FlowTable, FlowTableOptions } from './table-types.js';
import { TcpConn } from './tcp-analyzer.js';
import { TcpState } from './tcp-endpoint.js';

export type { FlowObserver } from './observer.js';
export { toZeekJson } from './record.js';
export type { FlowStats, FlowTable, FlowTableOptions } from './table-types.js';

/** Finished Flow objects kept for reuse at most (beyond this they are left to the collector). */
const MAX_FREE = 65536;

const CLASS_ATTEMPT = 0;
const CLASS_CLOSED = 1;
const CLASS_UDP = 2;
const CLASS_ICMP = 3;
const CLASS_TCP = 4;

/**
 * Creates a flow table.
 *
 * @example
 * const table = createFlowTable({ onFlow: (f) => console.log(f.connState, f.history) });
 * for (const frame of reader) table.packet(decoder.decode(frame));
 * table.flush();
 */
export function createFlowTable(opts: FlowTableOptions): FlowTable {
  const maxFlows = opts.maxFlows ?? 1_000_000;
  const timeouts = [
    opts.tcpAttemptDelay ?? 5,
    opts.tcpCloseDelay ?? 5,
    opts.udpInactivityTimeout ?? 60,
    opts.icmpInactivityTimeout ?? 60,
    opts.tcpInactivityTimeout ?? 300,
  ];
  if (!(maxFlows >= 1) || timeouts.some((t) => !(t >= 0)))
    throw new Error('createFlowTable: maxFlows must be >= 1 and timeouts >= 0');
  const stats: FlowStats = {
    packets: 0,
    flowPackets: 0,
    skippedNonIp: 0,
    skippedFragments: 0,
    skippedTruncated: 0,
    flowsCreated: 0,
    flowsEmitted: 0,
    timedOut: 0,
    reused: 0,
    evicted: 0,
    flushed: 0,
    active: 0,
    peakActive: 0,
  };
  let buckets: (Flow | null)[] = new Array(1024).fill(null);
  let mask = 1023;
  const lru = new LruList();
  const timers = [new TimerList(), new TimerList(), new TimerList(), new TimerList(), new TimerList()];
  let now = Number.NEGATIVE_INFINITY;
  /** Finished flows kept for reuse, linked through `next`. */
  let free: Flow | null = null;
  let freeCount = 0;

  function grow(): void {
    const size = buckets.length * 2;
    const nb: (Flow | null)[] = new Array(size).fill(null);
    const m = size - 1;
    for (let i = 0; i < buckets.length; i++) {
      let f = buckets[i]!;
      while (f) {
        const next = f.next;
        const j = f.hash & m;
        f.next = nb[j]!;
        nb[j] = f;
        f = next!;
      }
    }
    buckets = nb;
    mask = m;
  }

  function removeFromHash(f: Flow): void {
    const i = f.hash & mask;
    let cur = buckets[i]!;
    let prev: Flow | null = null;
    while (cur) {
      if (cur === f) {
        if (prev) prev.next = cur.next;
        else buckets[i] = cur.next;
        break;
      }
      prev = cur;
      cur = cur.next!;
    }
    f.next = null;
  }

  function finish(f: Flow): void {
    removeFromHash(f);
    lru.unlink(f);
    if (f.tClass >= 0) timers[f.tClass]!.unlink(f);
    f.tClass = -1;
    stats.active--;
    stats.flowsEmitted++;
    const obs = f.observer;
    let service = '';
    if (obs) {
      const list = obs.services();
      service = list.length === 1 ? list[0]! : list.length === 0 ? '' : list.join(',');
    }
    const rec = buildRecord(f, service, opts.source);
    obs?.end(rec);
    opts.onFlow(rec);
    // The record copied what it needs: keep the object for the next connection.
    if (freeCount < MAX_FREE) {
      f.recycle();
      f.next = free;
      free = f;
      freeCount++;
    }
  }

  function expire(t: number): void {
    for (let c = 0; c < 5; c++) {
      const list = timers[c]!;
      while (list.headDeadline <= t) {
        stats.timedOut++;
        finish(list.head!);
      }
    }
  }

  /** Puts the flow into the timer class its state calls for (Zeek's timers, in packet time). */
  function schedule(f: Flow): void {
    let cls: number;
    let deadline: number;
    const tcp = f.tcp;
    if (tcp) {
      const o = tcp.orig;
      const r = tcp.resp;
      if (
        f.closedTs < 0 &&
        (o.didClose || r.didClose) &&
        ((o.didClose && r.didClose) ||
          o.state === TcpState.RESET ||
          r.state === TcpState.RESET ||
          o.state === TcpState.INACTIVE ||
          r.state === TcpState.INACTIVE)
      )
        f.closedTs = f.lastTs;
      if (f.closedTs >= 0) {
        cls = CLASS_CLOSED;
        deadline = f.closedTs + timeouts[CLASS_CLOSED]!;
      } else if (
        f.attemptTs >= 0 &&
        (o.state === TcpState.SYN_SENT || o.state === TcpState.SYN_ACK_SENT) &&
        r.state === TcpState.INACTIVE
      ) {
        cls = CLASS_ATTEMPT;
        deadline = f.attemptTs + timeouts[CLASS_ATTEMPT]!;
      } else {
        cls = f.handshakeDone ? CLASS_TCP : CLASS_UDP;
        deadline = now + timeouts[cls]!;
      }
    } else {
      cls = f.ipProto === IpProto.UDP ? CLASS_UDP : CLASS_ICMP;
      deadline = now + timeouts[cls]!;
    }
    if (cls === f.tClass && (cls === CLASS_ATTEMPT || cls === CLASS_CLOSED)) return;
    if (f.tClass >= 0) timers[f.tClass]!.unlink(f);
    f.tClass = cls;
    f.deadline = deadline;
    timers[cls]!.append(f);
  }

  return {
    stats,
    packet(p: DecodedPacket): void {
      stats.packets++;
      const proto = p.ipProto;
      if (p.addrLen === 0 || proto < 0) {
        stats.skippedNonIp++;
        return;
      }
      if (p.fragment) {
        stats.skippedFragments++;
        return;
      }
      let sp: number;
      let dp: number;
      let oneWay = false;
      if (proto === IpProto.TCP) {
        if (p.seq < 0) {
          stats.skippedTruncated++;
          return;
        }
        sp = p.srcPort;
        dp = p.dstPort;
      } else if (proto === IpProto.UDP || proto === IpProto.SCTP) {
        if (p.srcPort < 0) {
          stats.skippedTruncated++;
          return;
        }
        sp = p.srcPort;
        dp = p.dstPort;
      } else if (proto === IpProto.ICMP || proto === IpProto.ICMPV6) {
        if (p.icmpType < 0) {
          stats.skippedTruncated++;
          return;
        }
        sp = p.icmpType;
        const c = icmpCounterpart(sp, proto === IpProto.ICMPV6);
        if (c >= 0) dp = c;
        else {
          dp = p.icmpCode;
          oneWay = true;
        }
      } else {
        sp = 0;
        dp = 0;
      }
      const t = p.ts;
      if (t > now) now = t;
      expire(now);

      const src = p.src;
      const dst = p.dst;
      const len = p.addrLen;
      const s0 = word(src, 0);
      const d0 = word(dst, 0);
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      if (len === 16) {
        s1 = word(src, 4);
        s2 = word(src, 8);
        s3 = word(src, 12);
        d1 = word(dst, 4);
        d2 = word(dst, 8);
        d3 = word(dst, 12);
      }
      const vlan = p.vlan;
      const inner = p.innerVlan;
      const hs = endpointHash(s0, s1, s2, s3, sp);
      const hd = endpointHash(d0, d1, d2, d3, dp);
      const hash = mix(
        ((oneWay ? hs ^ Math.imul(hd, 31) : hs + hd) | 0) ^ (proto * 0x01000193) ^ mix(vlan ^ (inner << 12)),
      );

      let f: Flow | null = buckets[hash & mask]!;
      let fromOrig = true;
      while (f) {
        if (
          f.hash === hash &&
          f.ipProto === proto &&
          f.vlan === vlan &&
          f.innerVlan === inner &&
          f.addrLen === len
        ) {
          if (
            f.oPort === sp &&
            f.rPort === dp &&
            f.o0 === s0 &&
            f.r0 === d0 &&
            f.o1 === s1 &&
            f.o2 === s2 &&
            f.o3 === s3 &&
            f.r1 === d1 &&
            f.r2 === d2 &&
            f.r3 === d3
          ) {
            fromOrig = true;
            break;
          }
          if (
            !f.oneWay &&
            f.oPort === dp &&
            f.rPort === sp &&
            f.o0 === d0 &&
            f.r0 === s0 &&
            f.o1 === d1 &&
            f.o2 === d2 &&
            f.o3 === d3 &&
            f.r1 === s1 &&
            f.r2 === s2 &&
            f.r3 === s3
          ) {
            fromOrig = false;
            break;
          }
        }
        f = f.next!;
      }
      if (f?.tcp?.isReuse(p.tcpFlags, p.seq)) {
        stats.reused++;
        finish(f);
        f = null;
      }
      if (!f) {
        if (stats.active >= maxFlows && lru.head) {
          stats.evicted++;
          finish(lru.head);
        }
        f = free;
        if (f !== null) {
          free = f.next;
          freeCount--;
        } else f = new Flow();
        f.hash = hash;
        f.addrLen = len;
        f.o0 = s0;
        f.o1 = s1;
        f.o2 = s2;
        f.o3 = s3;
        f.r0 = d0;
        f.r1 = d1;
        f.r2 = d2;
        f.r3 = d3;
        f.oPort = sp;
        f.rPort = dp;
        f.ipProto = proto;
        f.vlan = vlan;
        f.innerVlan = inner;
        f.oneWay = oneWay;
        f.startTs = t;
        f.lastTs = t;
        f.tsSec = p.frame.tsSec;
        f.tsNsec = p.frame.tsNsec;
        if (proto === IpProto.TCP) {
          if (f.spareTcp !== null) {
            f.tcp = f.spareTcp;
            f.spareTcp = null;
          } else f.tcp = new TcpConn();
        }
        const i = hash & mask;
        f.next = buckets[i]!;
        buckets[i] = f;
        stats.flowsCreated++;
        stats.active++;
        if (stats.active > stats.peakActive) stats.peakActive = stats.active;
        if (stats.active > buckets.length) grow();
        if (proto === IpProto.TCP) {
          const flags = p.tcpFlags;
          // Zeek guesses the responder from likely server ports when a connection starts without a plain SYN.
          if ((flags & 0x02) === 0 || (flags & 0x10) !== 0) {
            if (isLikelyTcpServerPort(sp)) {
              const flip = isLikelyTcpServerPort(dp) ? (flags & 0x02) === 0 && sp < dp : true;
              if (flip) {
                f.flip();
                fromOrig = false;
              }
            }
          }
        } else if (proto === IpProto.UDP && isLikelyUdpServerPort(sp) && !isLikelyUdpServerPort(dp)) {
          f.flip();
          fromOrig = false;
        }
        f.observer = opts.observe?.(proto);
      }
      stats.flowPackets++;

      const flipsBefore = f.flips;
      if (f.tcp) {
        if (fromOrig) f.origFlags |= p.tcpFlags;
        else f.respFlags |= p.tcpFlags;
        f.tcp.process(f, fromOrig, p.tcpFlags, p.seq, p.ack, p.window, p.payload.length, t);
      } else {
        f.lastTs = t;
        if (proto === IpProto.UDP) {
          if (fromOrig) {
            if ((f.histSeen & 1) === 0) {
              f.histSeen |= 1;
              f.history += 'D';
            }
          } else if ((f.histSeen & 2) === 0) {
            f.histSeen |= 2;
            f.history += 'd';
          }
        }
        if (fromOrig) f.origSize += p.payload.length;
        else f.respSize += p.payload.length;
      }
      if (fromOrig) {
        f.origPkts++;
        f.origIpBytes += p.ipLen;
        f.origWire += p.frame.origLen;
      } else {
        f.respPkts++;
        f.respIpBytes += p.ipLen;
        f.respWire += p.frame.origLen;
      }
      lru.touch(f);
      schedule(f);
      if (f.observer) f.observer.packet(p, f.flips !== flipsBefore ? !fromOrig : fromOrig);
    },
    flush(): void {
      while (lru.head) {
        stats.flushed++;
        finish(lru.head);
      }
    },
  };
}
