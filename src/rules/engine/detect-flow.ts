/**
 * The rule engine's own view of connections, with Suricata's semantics
 * rather than Zeek's (the flow table in flow/ follows Zeek): the client is
 * the sender of the first packet (or the receiver of a first SYN/ACK), a TCP
 * flow is established once the three-way handshake completes (at once for
 * flows picked up midstream when that is allowed), a UDP or ICMP flow once
 * both sides have spoken. ICMP echo and reply share a flow.
 *
 * Bounded: at most `maxFlows` flows, least recently used evicted first, and
 * each flow's stream window and per-rule state have fixed caps.
 */
import type { DecodedPacket } from '../../schema/packet.js';
import { ipv4Word } from '../../util/ip.js';
import type { AppEvent } from './app-layer.js';
import type { FlowState } from './flowbits.js';

const SYN = 0x02;
const ACK = 0x10;
const RST = 0x04;
const FIN = 0x01;

/** Per-direction stream state: a window of the most recent in-order bytes. */
export interface StreamWindow {
  /** Bytes [base, base + len) of the direction's stream. */
  buf: Uint8Array;
  len: number;
  base: number;
}

export interface DetectFlow {
  /** IPv6 (and other non-IPv4) flows: the text key; IPv4 flows: '' and the numeric key below. */
  key: string;
  /** IPv4 canonical key: lower (address, port) first, then protocol and VLAN; and its hash. */
  kA: number;
  kPa: number;
  kB: number;
  kPb: number;
  kProto: number;
  kVlan: number;
  hash: number;
  /** Addresses and ports of the client side, as bytes and numbers. */
  clientAddr: Uint8Array;
  clientPort: number;
  serverAddr: Uint8Array;
  serverPort: number;
  /** Frame index of the flow's latest packet (alerts raised at flow end point at it). */
  lastFrame: number;
  ipProto: number;
  firstTs: number;
  firstSec: number;
  firstNsec: number;
  lastTs: number;
  /** TCP: 0 new, 1 SYN seen, 2 SYN/ACK seen, 3 established, 4 closing (FIN/RST seen). */
  tcpState: number;
  /** Packets seen per direction: [to server, to client]. */
  pkts: [number, number];
  /** Payload bytes per direction (stream_size). */
  bytes: [number, number];
  /** Frame bytes on the wire per direction (EVE flow.bytes_toserver/toclient). */
  wire: [number, number];
  /** True once the flow is tracked as a stream (SYN seen, or midstream allowed). */
  streamTracked: boolean;
  established: boolean;
  /** A drop rule fired under IPS simulation: the rest of the flow is dropped, not inspected. */
  dropped: boolean;
  /** Application protocol once recognised; null when recognition gave up. */
  appProto: string | null | undefined;
  /** The protocol each direction's first data looks like: [to server, to client]. */
  dirProto: [string | null | undefined, string | null | undefined];
  /** Flowbit names set (for reporting) and the rule state (flowbits, flowint); made on first use. */
  bits: Set<string> | null;
  state: FlowState | null;
  ints: Map<string, number> | null;
  /** `${ruleIndex}:${txKey}:${dir}` already alerted or settled. */
  txDone: Set<string> | null;
  /** Per rule, the stream offset up to which stream matches were already reported, per direction. */
  streamSeen: Map<number, number[]> | null;
  windows: [StreamWindow | null, StreamWindow | null];
  /** Stream offset up to which each direction's data was acknowledged by the other side. */
  acked: [number, number];
  /** Transaction events waiting for a packet in their direction (IDS timing). */
  deferred: AppEvent[] | null;
  /** Opaque application-layer state owned by the engine. */
  app: unknown;
  /** Set for the lifetime of the flow; numeric id for EVE. */
  id: number;
  prev: DetectFlow | null;
  next: DetectFlow | null;
}

function addrEq(a: Uint8Array, b: Uint8Array, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false;
  return true;
}

function addrText(b: Uint8Array, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += `${b[i]!}.`;
  return s;
}

/**
 * Idle timeouts in seconds, Suricata's defaults: TCP 60 before established,
 * 3600 established, 120 once closing; UDP and others 30 before both sides
 * spoke, 300 after.
 */
function timeoutOf(f: DetectFlow): number {
  if (f.ipProto === 6) return f.tcpState === 3 ? 3600 : f.tcpState === 4 ? 120 : 60;
  return f.established ? 300 : 30;
}

/** A 32-bit hash of the canonical IPv4 key. */
function mix(a: number, b: number, ports: number, proto: number, vlan: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ports, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ ((proto << 16) | (vlan & 0xffff)), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The same key for both directions of a non-IPv4 connection (IPv4 ones use the numeric key). */
function flowKey(p: DecodedPacket, len: number, sp: number, dp: number): string {
  const a = `${addrText(p.src, len)}${sp}`;
  const b = `${addrText(p.dst, len)}${dp}`;
  return a < b ? `${p.ipProto}|${p.vlan}|${a}|${b}` : `${p.ipProto}|${p.vlan}|${b}|${a}`;
}

const HTTP_RESPONSE = [0x48, 0x54, 0x54, 0x50, 0x2f];

function serverFirst(p: DecodedPacket): boolean {
  if ((p.tcpFlags & SYN) !== 0) return false;
  const b = p.payload;
  if (b.length >= 5 && HTTP_RESPONSE.every((c, i) => b[i] === c)) return true;
  return p.srcPort < 1024 && p.dstPort >= 1024;
}

export interface DetectFlowTableOptions {
  maxFlows: number;
  midstream: boolean;
  /** Only one direction of TCP flows is captured (Suricata's stream.async-oneside): SYN then ACK establishes. */
  asyncOneside?: boolean;
  /** A flow evicted from the table (capacity): the engine finishes its app layer. */
  onEvict?(f: DetectFlow): void;
  /** A flow that timed out (idle): finished like an evicted one, but not counted as eviction. */
  onEnd?(f: DetectFlow): void;
}

export class DetectFlowTable {
  private readonly map = new Map<string, DetectFlow>();
  /** IPv4 flows by hash; a bucket holds one flow or, on collision, several. */
  private readonly v4 = new Map<number, DetectFlow | DetectFlow[]>();
  private count = 0;
  /** Scratch for the canonical IPv4 key of the packet being looked up. */
  private ka = 0;
  private kpa = 0;
  private kb = 0;
  private kpb = 0;
  private head: DetectFlow | null = null;
  private tail: DetectFlow | null = null;
  private nextId = 1;
  evicted = 0;

  constructor(private readonly opts: DetectFlowTableOptions) {}

  get size(): number {
    return this.count;
  }

  /** Finds or creates the packet's flow and updates its state; returns it with the direction. */
  lookup(p: DecodedPacket): { flow: DetectFlow; toServer: boolean; isNew: boolean } {
    const len = p.addrLen;
    const ported = p.srcPort >= 0;
    const sp = ported ? p.srcPort : 0;
    const dp = ported ? p.dstPort : 0;
    let key = '';
    let hash = 0;
    let f: DetectFlow | undefined;
    if (len === 4) {
      this.canonical(p, sp, dp);
      hash = mix(this.ka, this.kb, (this.kpa << 16) | this.kpb, p.ipProto, p.vlan);
      f = this.findV4(hash, p.ipProto, p.vlan);
    } else {
      key = flowKey(p, len, sp, dp);
      f = this.map.get(key);
    }
    // A flow idle past its timeout is over; the same 5-tuple later is a new flow.
    if (f !== undefined && p.ts - f.lastTs > timeoutOf(f)) {
      this.remove(f);
      this.opts.onEnd?.(f);
      f = undefined;
      if (len === 4) this.canonical(p, sp, dp);
    }
    let isNew = false;
    if (f === undefined) {
      isNew = true;
      f = this.create(key, hash, p, sp);
    } else this.touch(f);
    const toServer =
      addrEq(p.src, f.clientAddr, len) &&
      (p.srcPort < 0 || sp === f.clientPort) &&
      !(
        // Same address both sides (loopback): decide by port.
        addrEq(p.src, p.dst, len) && sp !== f.clientPort
      );
    this.update(f, p, toServer, isNew);
    return { flow: f, toServer, isNew };
  }

  private canonical(p: DecodedPacket, sp: number, dp: number): void {
    const a = ipv4Word(p.src);
    const b = ipv4Word(p.dst);
    if (a < b || (a === b && sp <= dp)) {
      this.ka = a;
      this.kpa = sp;
      this.kb = b;
      this.kpb = dp;
    } else {
      this.ka = b;
      this.kpa = dp;
      this.kb = a;
      this.kpb = sp;
    }
  }

  private sameV4(f: DetectFlow, proto: number, vlan: number): boolean {
    return (
      f.kA === this.ka &&
      f.kB === this.kb &&
      f.kPa === this.kpa &&
      f.kPb === this.kpb &&
      f.kProto === proto &&
      f.kVlan === vlan
    );
  }

  private findV4(hash: number, proto: number, vlan: number): DetectFlow | undefined {
    const b = this.v4.get(hash);
    if (b === undefined) return undefined;
    if (!Array.isArray(b)) return this.sameV4(b, proto, vlan) ? b : undefined;
    for (const f of b) if (this.sameV4(f, proto, vlan)) return f;
    return undefined;
  }

  private create(key: string, hash: number, p: DecodedPacket, sp: number): DetectFlow {
    const len = p.addrLen;
    let clientAddr = p.src.slice(0, len);
    let clientPort = sp;
    let serverAddr = p.dst.slice(0, len);
    let serverPort = p.srcPort >= 0 ? p.dstPort : 0;
    // A SYN/ACK seen first means we missed the SYN: its receiver is the client. Picked up
    // midstream, a packet that starts an HTTP response, or goes from a low port to a high one, is the server's.
    if (p.ipProto === 6 && ((p.tcpFlags & (SYN | ACK)) === (SYN | ACK) || serverFirst(p))) {
      [clientAddr, serverAddr] = [serverAddr, clientAddr];
      [clientPort, serverPort] = [serverPort, clientPort];
    }
    const v4 = p.addrLen === 4;
    const f: DetectFlow = {
      key,
      kA: v4 ? this.ka : 0,
      kPa: v4 ? this.kpa : 0,
      kB: v4 ? this.kb : 0,
      kPb: v4 ? this.kpb : 0,
      kProto: p.ipProto,
      kVlan: p.vlan,
      hash,
      clientAddr,
      clientPort,
      serverAddr,
      serverPort,
      lastFrame: p.frame.index,
      ipProto: p.ipProto,
      firstTs: p.ts,
      firstSec: p.frame.tsSec,
      firstNsec: p.frame.tsNsec,
      lastTs: p.ts,
      tcpState: 0,
      pkts: [0, 0],
      bytes: [0, 0],
      wire: [0, 0],
      streamTracked: false,
      established: false,
      dropped: false,
      appProto: undefined,
      dirProto: [undefined, undefined],
      bits: null,
      state: null,
      ints: null,
      txDone: null,
      streamSeen: null,
      windows: [null, null],
      acked: [0, 0],
      app: undefined,
      deferred: null,
      id: this.nextId++,
      prev: null,
      next: null,
    };
    if (v4) {
      const b = this.v4.get(hash);
      if (b === undefined) this.v4.set(hash, f);
      else if (Array.isArray(b)) b.push(f);
      else this.v4.set(hash, [b, f]);
    } else this.map.set(key, f);
    this.count++;
    this.pushFront(f);
    if (this.count > this.opts.maxFlows && this.tail !== null && this.tail !== f) {
      const old = this.tail;
      this.remove(old);
      this.evicted++;
      this.opts.onEvict?.(old);
    }
    return f;
  }

  private update(f: DetectFlow, p: DecodedPacket, toServer: boolean, isNew: boolean): void {
    f.lastTs = p.ts;
    f.lastFrame = p.frame.index;
    const d = toServer ? 0 : 1;
    f.pkts[d]++;
    f.bytes[d] += p.payload.length;
    f.wire[d] += p.frame.origLen;
    if (p.ipProto === 6) {
      const fl = p.tcpFlags;
      if (isNew) {
        if ((fl & (SYN | ACK)) === SYN) {
          f.tcpState = 1;
          f.streamTracked = true;
        } else if ((fl & (SYN | ACK)) === (SYN | ACK)) {
          f.tcpState = 2;
          f.streamTracked = this.opts.midstream;
        } else if (this.opts.midstream) {
          f.tcpState = 3;
          f.streamTracked = true;
          f.established = true;
        }
      } else if (f.tcpState === 1 && !toServer && (fl & (SYN | ACK)) === (SYN | ACK)) f.tcpState = 2;
      else if (
        f.tcpState === 1 &&
        toServer &&
        this.opts.asyncOneside === true &&
        (fl & (SYN | ACK)) === ACK
      ) {
        f.tcpState = 3;
        f.established = true;
      } else if (f.tcpState === 2 && toServer && (fl & (SYN | ACK)) === ACK) {
        f.tcpState = 3;
        f.established = true;
      }
      if ((fl & (RST | FIN)) !== 0 && f.tcpState === 3) f.tcpState = 4;
    } else if (!f.established && f.pkts[0] > 0 && f.pkts[1] > 0) f.established = true;
  }

  /** Every flow, oldest first (for end of input). */
  *all(): IterableIterator<DetectFlow> {
    for (let f = this.tail; f !== null; f = f.prev) yield f;
  }

  clear(): void {
    this.map.clear();
    this.v4.clear();
    this.count = 0;
    this.head = null;
    this.tail = null;
  }

  private pushFront(f: DetectFlow): void {
    f.prev = null;
    f.next = this.head;
    if (this.head !== null) this.head.prev = f;
    this.head = f;
    if (this.tail === null) this.tail = f;
  }

  private touch(f: DetectFlow): void {
    if (this.head === f) return;
    this.unlink(f);
    this.pushFront(f);
  }

  private unlink(f: DetectFlow): void {
    if (f.prev !== null) f.prev.next = f.next;
    else this.head = f.next;
    if (f.next !== null) f.next.prev = f.prev;
    else this.tail = f.prev;
    f.prev = null;
    f.next = null;
  }

  private remove(f: DetectFlow): void {
    this.unlink(f);
    this.count--;
    if (f.key !== '') {
      this.map.delete(f.key);
      return;
    }
    const b = this.v4.get(f.hash);
    if (b === f) this.v4.delete(f.hash);
    else if (Array.isArray(b)) {
      const i = b.indexOf(f);
      if (i >= 0) b.splice(i, 1);
      if (b.length === 1) this.v4.set(f.hash, b[0]!);
      else if (b.length === 0) this.v4.delete(f.hash);
    }
  }
}

/** Memory shared by every flow's stream windows: past `limit`, windows stop growing beyond a small floor. */
export interface WindowBudget {
  used: number;
  limit: number;
  /** Appends that were held to the floor because the budget was spent. */
  squeezed: number;
}

const WINDOW_FLOOR = 4096;

export function createWindowBudget(limit: number): WindowBudget {
  return { used: 0, limit, squeezed: 0 };
}

/** Returns a flow's window memory to the budget (flow ended or evicted). */
export function releaseWindows(f: DetectFlow, budget: WindowBudget): void {
  for (let d = 0; d < 2; d++) {
    const w = f.windows[d];
    if (w !== null) budget.used -= w.buf.length;
    f.windows[d] = null;
  }
}

/**
 * Appends in-order stream bytes to a direction's window, keeping the last
 * `cap` bytes (fewer once the shared budget is spent).
 */
export function appendWindow(
  f: DetectFlow,
  d: number,
  bytes: Uint8Array,
  offset: number,
  maxCap: number,
  budget: WindowBudget,
): StreamWindow {
  let cap = maxCap;
  if (budget.used >= budget.limit) {
    cap = WINDOW_FLOOR;
    budget.squeezed++;
  }
  let w = f.windows[d];
  if (w === null) {
    const size = Math.min(cap, Math.max(WINDOW_FLOOR, bytes.length * 2));
    w = { buf: new Uint8Array(size), len: 0, base: offset };
    budget.used += size;
    f.windows[d] = w;
  }
  if (offset !== w.base + w.len) {
    // A gap: start the window afresh at the new offset.
    w.len = 0;
    w.base = offset;
  }
  const need = w.len + bytes.length;
  if (need > w.buf.length && w.buf.length < cap) {
    const grown = new Uint8Array(Math.min(cap, Math.max(need, w.buf.length * 2)));
    grown.set(w.buf.subarray(0, w.len));
    budget.used += grown.length - w.buf.length;
    w.buf = grown;
  }
  if (need > w.buf.length) {
    const keep = Math.max(0, w.buf.length - bytes.length);
    const drop = w.len - keep;
    if (drop > 0) {
      w.buf.copyWithin(0, drop, w.len);
      w.len -= drop;
      w.base += drop;
    }
    const src = bytes.length > w.buf.length ? bytes.subarray(bytes.length - w.buf.length) : bytes;
    if (src !== bytes) {
      w.base += w.len + (bytes.length - src.length);
      w.len = 0;
    }
    w.buf.set(src, w.len);
    w.len += src.length;
    return w;
  }
  w.buf.set(bytes, w.len);
  w.len += bytes.length;
  return w;
}
