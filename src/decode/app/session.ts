/**
 * Per-connection application layer: TCP reassembly of both directions,
 * content-based protocol recognition, then HTTP or SSH parsing; UDP gets
 * recognition only. One AppSession per flow, driven by the flow table through
 * the FlowObserver shape; transactions are emitted at `end(flow)` because only
 * then are the flow's uid and addresses known.
 *
 * Bounded per connection: reassembly stops once the protocol is settled (SSH
 * after both banners, unknown protocols after recognition fails), HTTP keeps
 * at most `maxTransactions` per connection, and every parser has its own caps.
 */
import type { FlowRecord } from '../../schema/flow.js';
import type { DecodedPacket } from '../../schema/packet.js';
import type { ProblemLog } from '../../schema/problem.js';
import type { HttpTransaction, ReassemblyStats, SshBanner } from '../../schema/session.js';
import { createReassemblyStats, createStreamReassembler, type StreamReassembler } from '../reassembly.js';
import type { HttpParser } from './http.js';
import { createHttpPairing, type HttpPairing } from './http-pairing.js';
import { RECOGNIZE_PREFIX, recognizeTcp, recognizeUdp } from './recognize.js';
import { createSshBannerParser, type SshBannerParser } from './ssh.js';

/** Structurally the flow table's observer (src/flow/observer.ts); decode/ may not import flow/. */
export interface FlowObserver {
  packet(p: DecodedPacket, fromOrig: boolean): void;
  services(): string[];
  end(flow: FlowRecord): void;
}

export interface AppSessionOptions {
  onHttp?(tx: HttpTransaction): void;
  onSsh?(b: SshBanner): void;
  /** Problems found in application data (stage `session`). */
  problems?: ProblemLog;
  /** Capture file name for problem reports. */
  file?: string;
  /** Shared counters: pass one object to all sessions to get run totals. */
  stats?: ReassemblyStats;
  /** Out-of-order bytes per direction (default 1 MiB). */
  maxBuffered?: number;
  /** HTTP transactions kept per connection (default 1000); more are counted as a problem. */
  maxTransactions?: number;
  /** Body bytes kept per HTTP message (default 4096). */
  bodyPrefixBytes?: number;
}

export interface AppSession extends FlowObserver {
  readonly stats: ReassemblyStats;
}

const TCP = 6;
const UDP = 17;
const SYN = 0x02;
const ACK = 0x10;
/** UDP datagrams per direction looked at for recognition. */
const UDP_PROBES = 4;

const MODE_RECOGNIZE = 0;
const MODE_HTTP = 1;
const MODE_SSH = 2;
const MODE_OFF = 3;

const HTTP_RESPONSE_START = Buffer.from('HTTP/', 'latin1');
const EMPTY = new Uint8Array(0);

/** Per-direction parsing state, made at the connection's first payload byte. */
interface Direction {
  r: StreamReassembler | null;
  prefix: Uint8Array | null;
  prefixLen: number;
  /** Data of this direction no longer fits the prefix (or had a gap): a late parser cannot start at offset 0. */
  prefixBroken: boolean;
  /** Recognition verdict: undefined pending, null unknown, else service. */
  verdict: string | null | undefined;
  http: HttpParser | null;
  ssh: SshBannerParser | null;
}

function newDirection(): Direction {
  return {
    r: null,
    prefix: null,
    prefixLen: 0,
    prefixBroken: false,
    verdict: undefined,
    http: null,
    ssh: null,
  };
}

/** What services() answers before anything is recognised; shared, so frozen. */
const NO_SERVICES = Object.freeze([]) as unknown as string[];

/**
 * Creates the application-layer observer for one flow. Cheap until the flow
 * carries payload: a connection without data costs one small object (no
 * closures, no reassembler, no per-direction state), so pass one shared
 * options object to every call.
 *
 * @example
 * const stats = createReassemblyStats();
 * const opts = { stats, onHttp: (tx) => store.http(tx) };
 * const session = createAppSession(opts);
 * for (const p of packetsOfTheFlow) session.packet(p, p.srcPort === origPort);
 * session.end(flowRecord); // emits the flow's HTTP transactions
 */
export function createAppSession(opts: AppSessionOptions = {}): AppSession {
  return new Session(opts);
}

class Session implements AppSession {
  readonly stats: ReassemblyStats;
  private readonly opts: AppSessionOptions;
  private serviceList: string[] | null = null;
  /** Both directions, made at the first payload. */
  private dirs: [Direction, Direction] | null = null;
  private mode = MODE_RECOGNIZE;
  private ts = 0;
  private frameIndex = -1;
  private transport = -1;
  /** ISN per direction seen before any payload, -1 when none; anchors the stream created later. */
  private synSeq0 = -1;
  private synSeq1 = -1;
  private udpProbes0 = 0;
  private udpProbes1 = 0;
  private pairing: HttpPairing | null = null;
  /** Direction index carrying requests (usually 0, the originator). */
  private requestDir = 0;

  constructor(opts: AppSessionOptions) {
    this.opts = opts;
    this.stats = opts.stats ?? createReassemblyStats();
  }

  packet(p: DecodedPacket, fromOrig: boolean): void {
    if (this.transport < 0) this.transport = p.ipProto;
    this.ts = p.ts;
    this.frameIndex = p.frame.index;
    const di = fromOrig ? 0 : 1;
    if (this.transport === TCP) {
      if (this.mode !== MODE_OFF) this.tcpPacket(p, di);
    } else if (this.transport === UDP) this.udpPacket(p, di);
  }

  services(): string[] {
    return this.serviceList ?? NO_SERVICES;
  }

  end(flow: FlowRecord): void {
    const dirs = this.dirs;
    if (this.transport === TCP && this.mode !== MODE_OFF && dirs !== null) {
      for (const d of dirs) d.r?.finish();
      for (const d of dirs) d.http?.end();
    }
    this.mode = MODE_OFF;
    const txs = this.pairing?.transactions;
    if (txs !== undefined && txs.length > 0) {
      const onHttp = this.opts.onHttp;
      for (const tx of txs) {
        tx.uid = flow.uid;
        tx.origH = flow.origH;
        tx.origP = flow.origP;
        tx.respH = flow.respH;
        tx.respP = flow.respP;
        onHttp?.(tx);
      }
      txs.length = 0;
    }
    if (dirs === null) return;
    const [c, s] = dirs;
    if (c.ssh !== null || s.ssh !== null) {
      const client = c.ssh?.banner ?? '';
      const server = s.ssh?.banner ?? '';
      if (client !== '' || server !== '') {
        this.opts.onSsh?.({
          ts: flow.ts,
          uid: flow.uid,
          origH: flow.origH,
          origP: flow.origP,
          respH: flow.respH,
          respP: flow.respP,
          client,
          server,
        });
      }
    }
  }

  private problem(code: string, message: string): void {
    const opts = this.opts;
    opts.problems?.add({
      stage: 'session',
      code,
      message,
      ...(opts.file !== undefined ? { file: opts.file } : {}),
      ...(this.frameIndex >= 0 ? { frame: this.frameIndex } : {}),
    });
  }

  private addService(name: string): void {
    if (this.serviceList === null) this.serviceList = [name];
    else if (!this.serviceList.includes(name)) this.serviceList.push(name);
  }

  /** Starts parsing once the protocol is known: the other side's kept prefix, then this side's data so far. */
  private replay(
    dirs: [Direction, Direction],
    di: number,
    current: Uint8Array,
    rest: Uint8Array,
    feed: (d: Direction, b: Uint8Array) => void,
  ): void {
    const other = dirs[1 - di]!;
    if (other.prefixLen > 0 && !other.prefixBroken) feed(other, other.prefix!.subarray(0, other.prefixLen));
    else if (other.prefixLen > 0) other.http?.gap(1); // its start is lost: that side's HTTP parsing stops
    const d = dirs[di]!;
    feed(d, current);
    if (rest.length > 0) feed(d, rest);
    for (const x of dirs) x.prefix = null;
  }

  private startHttp(dirs: [Direction, Direction], di: number, current: Uint8Array, rest: Uint8Array): void {
    this.mode = MODE_HTTP;
    this.addService('http');
    const pairing = createHttpPairing({
      maxTransactions: this.opts.maxTransactions ?? 1000,
      bodyPrefixBytes: this.opts.bodyPrefixBytes,
      now: () => this.ts,
      onProblem: (code, message) => this.problem(code, message),
    });
    this.pairing = pairing;
    dirs[this.requestDir]!.http = pairing.request;
    dirs[1 - this.requestDir]!.http = pairing.response;
    this.replay(dirs, di, current, rest, (d, b) => d.http!.feed(b));
  }

  private startSsh(dirs: [Direction, Direction], di: number, current: Uint8Array, rest: Uint8Array): void {
    this.mode = MODE_SSH;
    this.addService('ssh');
    const onProblem = (code: string, message: string) => this.problem(code, message);
    for (const d of dirs) d.ssh = createSshBannerParser({ onProblem });
    this.replay(dirs, di, current, rest, (d, b) => d.ssh!.feed(b));
    this.sshCheckDone(dirs);
  }

  private sshCheckDone(dirs: [Direction, Direction]): void {
    if (dirs[0].ssh!.done && dirs[1].ssh!.done) this.mode = MODE_OFF; // banners are all we parse of SSH
  }

  /**
   * Looks at this side's first bytes (at most RECOGNIZE_PREFIX of them) until
   * the protocol is known; only an undecided side keeps a copy of its prefix.
   */
  private recognize(dirs: [Direction, Direction], di: number, bytes: Uint8Array): void {
    const d = dirs[di]!;
    if (d.verdict !== undefined) return;
    let current: Uint8Array = bytes;
    let rest: Uint8Array = EMPTY;
    if (d.prefixLen > 0) {
      const take = Math.min(bytes.length, RECOGNIZE_PREFIX - d.prefixLen);
      d.prefix!.set(bytes.subarray(0, take), d.prefixLen);
      d.prefixLen += take;
      current = d.prefix!.subarray(0, d.prefixLen);
      rest = bytes.subarray(take);
    }
    const look = current.length > RECOGNIZE_PREFIX ? current.subarray(0, RECOGNIZE_PREFIX) : current;
    let v = recognizeTcp(look, di === 0);
    if (v === undefined || v === null) {
      // Undecided or unknown: keep the prefix, the other side may still name the protocol.
      if (current === bytes) {
        d.prefix = new Uint8Array(RECOGNIZE_PREFIX);
        d.prefix.set(look);
        d.prefixLen = look.length;
      }
      if (look.length < current.length || rest.length > 0) d.prefixBroken = true;
      if (v === undefined && !d.prefixBroken) return;
      v = null;
    }
    d.verdict = v;
    if (v === 'http') {
      const isResponse = look.length >= 5 && HTTP_RESPONSE_START.every((c, i) => look[i] === c);
      this.requestDir = isResponse ? 1 - di : di;
      this.startHttp(dirs, di, current, rest);
    } else if (v === 'ssh') {
      this.startSsh(dirs, di, current, rest);
    } else if (v !== null) {
      this.addService(v);
      this.mode = MODE_OFF; // recognised, nothing more we parse
    } else if (dirs[1 - di]!.verdict === null) {
      this.mode = MODE_OFF; // neither side is a protocol we know
      for (const x of dirs) x.prefix = null;
    }
  }

  private onData(di: number, bytes: Uint8Array): void {
    const dirs = this.dirs!;
    if (this.mode === MODE_RECOGNIZE) this.recognize(dirs, di, bytes);
    else if (this.mode === MODE_HTTP) {
      dirs[di]!.http!.feed(bytes);
      if (dirs[0].http!.dead && dirs[1].http!.dead) this.mode = MODE_OFF;
      else if (this.pairing!.full) this.mode = MODE_OFF;
    } else if (this.mode === MODE_SSH) {
      dirs[di]!.ssh!.feed(bytes);
      this.sshCheckDone(dirs);
    }
  }

  private onGap(di: number, len: number): void {
    const d = this.dirs![di]!;
    if (this.mode === MODE_RECOGNIZE) {
      d.prefixBroken = true;
      if (d.verdict === undefined && d.prefixLen === 0) d.verdict = null;
    } else if (this.mode === MODE_HTTP) d.http!.gap(len);
  }

  private reassembler(d: Direction, di: number): StreamReassembler {
    if (d.r === null) {
      d.r = createStreamReassembler({
        maxBuffered: this.opts.maxBuffered,
        onData: (b) => this.onData(di, b),
        onGap: (n) => this.onGap(di, n),
        stats: this.stats,
      });
      const synSeq = di === 0 ? this.synSeq0 : this.synSeq1;
      if (synSeq >= 0) d.r.segment(synSeq, SYN, EMPTY);
    }
    return d.r;
  }

  private tcpPacket(p: DecodedPacket, di: number): void {
    const flags = p.tcpFlags;
    const payload = p.payload;
    let dirs = this.dirs;
    if (dirs === null) {
      if (payload.length === 0) {
        // No data yet: remember the ISN so the stream can be anchored later, create nothing.
        if (flags & SYN) {
          if (di === 0) {
            if (this.synSeq0 < 0) this.synSeq0 = p.seq >>> 0;
          } else if (this.synSeq1 < 0) this.synSeq1 = p.seq >>> 0;
        }
        return; // no reassembler exists yet for the other side's ACK either
      }
      dirs = [newDirection(), newDirection()];
      this.dirs = dirs;
    }
    const d = dirs[di]!;
    if (this.mode === MODE_RECOGNIZE && d.verdict === null) {
      // This side is no protocol we know: stop reassembling it, the other side may still tell.
    } else if (d.r === null && payload.length === 0) {
      // No data yet on this side: remember the ISN so the stream can be anchored later.
      if (flags & SYN) {
        if (di === 0) {
          if (this.synSeq0 < 0) this.synSeq0 = p.seq >>> 0;
        } else if (this.synSeq1 < 0) this.synSeq1 = p.seq >>> 0;
      }
    } else {
      this.reassembler(d, di).segment(p.seq, flags, payload);
    }
    if (flags & ACK) dirs[1 - di]!.r?.ack(p.ack);
  }

  private udpPacket(p: DecodedPacket, di: number): void {
    if (this.serviceList !== null) return;
    const payload = p.payload;
    if (payload.length === 0) return;
    if (di === 0) {
      if (this.udpProbes0 >= UDP_PROBES) return;
      this.udpProbes0++;
    } else {
      if (this.udpProbes1 >= UDP_PROBES) return;
      this.udpProbes1++;
    }
    const v = recognizeUdp(payload);
    if (v !== null) this.addService(v);
  }
}

/** Totals for many sessions: pass `stats` into every createAppSession call. */
export { createReassemblyStats };
