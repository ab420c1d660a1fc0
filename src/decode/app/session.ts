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

interface Direction {
  r: StreamReassembler | null;
  /** ISN seen before any payload; the reassembler is created lazily at the first payload. */
  synSeq: number;
  prefix: Uint8Array | null;
  prefixLen: number;
  /** Data of this direction no longer fits the prefix (or had a gap): a late parser cannot start at offset 0. */
  prefixBroken: boolean;
  /** Recognition verdict: undefined pending, null unknown, else service. */
  verdict: string | null | undefined;
  http: HttpParser | null;
  ssh: SshBannerParser | null;
  udpProbes: number;
}

function newDirection(): Direction {
  return {
    r: null,
    synSeq: -1,
    prefix: null,
    prefixLen: 0,
    prefixBroken: false,
    verdict: undefined,
    http: null,
    ssh: null,
    udpProbes: 0,
  };
}

/**
 * Creates the application-layer observer for one flow.
 *
 * @example
 * const stats = createReassemblyStats();
 * const session = createAppSession({ stats, onHttp: (tx) => store.http(tx) });
 * for (const p of packetsOfTheFlow) session.packet(p, p.srcPort === origPort);
 * session.end(flowRecord); // emits the flow's HTTP transactions
 */
export function createAppSession(opts: AppSessionOptions = {}): AppSession {
  const stats = opts.stats ?? createReassemblyStats();
  const maxTransactions = opts.maxTransactions ?? 1000;
  const serviceList: string[] = [];
  const dirs: [Direction, Direction] = [newDirection(), newDirection()];
  let mode = MODE_RECOGNIZE;
  let ts = 0;
  let frameIndex = -1;
  let transport = -1;

  let pairing: HttpPairing | null = null;
  /** Direction index carrying requests (usually 0, the originator). */
  let requestDir = 0;

  function problem(code: string, message: string): void {
    opts.problems?.add({
      stage: 'session',
      code,
      message,
      ...(opts.file !== undefined ? { file: opts.file } : {}),
      ...(frameIndex >= 0 ? { frame: frameIndex } : {}),
    });
  }

  function addService(name: string): void {
    if (!serviceList.includes(name)) serviceList.push(name);
  }

  /** Starts parsing once the protocol is known: the other side's kept prefix, then this side's data so far. */
  function replay(
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

  function startHttp(di: number, current: Uint8Array, rest: Uint8Array): void {
    mode = MODE_HTTP;
    addService('http');
    pairing = createHttpPairing({
      maxTransactions,
      bodyPrefixBytes: opts.bodyPrefixBytes,
      now: () => ts,
      onProblem: problem,
    });
    dirs[requestDir]!.http = pairing.request;
    dirs[1 - requestDir]!.http = pairing.response;
    replay(di, current, rest, (d, b) => d.http!.feed(b));
  }

  function startSsh(di: number, current: Uint8Array, rest: Uint8Array): void {
    mode = MODE_SSH;
    addService('ssh');
    for (const d of dirs) d.ssh = createSshBannerParser({ onProblem: problem });
    replay(di, current, rest, (d, b) => d.ssh!.feed(b));
    sshCheckDone();
  }

  function sshCheckDone(): void {
    if (dirs[0].ssh!.done && dirs[1].ssh!.done) mode = MODE_OFF; // banners are all we parse of SSH
  }

  /**
   * Looks at this side's first bytes (at most RECOGNIZE_PREFIX of them) until
   * the protocol is known; only an undecided side keeps a copy of its prefix.
   */
  function recognize(di: number, bytes: Uint8Array): void {
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
      requestDir = isResponse ? 1 - di : di;
      startHttp(di, current, rest);
    } else if (v === 'ssh') {
      startSsh(di, current, rest);
    } else if (v !== null) {
      addService(v);
      mode = MODE_OFF; // recognised, nothing more we parse
    } else if (dirs[1 - di]!.verdict === null) {
      mode = MODE_OFF; // neither side is a protocol we know
      for (const x of dirs) x.prefix = null;
    }
  }

  function onData(di: number, bytes: Uint8Array): void {
    if (mode === MODE_RECOGNIZE) recognize(di, bytes);
    else if (mode === MODE_HTTP) {
      const p = dirs[di]!.http!;
      p.feed(bytes);
      if (dirs[0].http!.dead && dirs[1].http!.dead) mode = MODE_OFF;
      else if (pairing!.full) mode = MODE_OFF;
    } else if (mode === MODE_SSH) {
      dirs[di]!.ssh!.feed(bytes);
      sshCheckDone();
    }
  }

  function onGap(di: number, len: number): void {
    const d = dirs[di]!;
    if (mode === MODE_RECOGNIZE) {
      d.prefixBroken = true;
      if (d.verdict === undefined && d.prefixLen === 0) d.verdict = null;
    } else if (mode === MODE_HTTP) d.http!.gap(len);
  }

  const handlers = [
    { onData: (b: Uint8Array) => onData(0, b), onGap: (n: number) => onGap(0, n) },
    { onData: (b: Uint8Array) => onData(1, b), onGap: (n: number) => onGap(1, n) },
  ];

  function reassembler(di: number): StreamReassembler {
    const d = dirs[di]!;
    if (d.r === null) {
      const h = handlers[di]!;
      d.r = createStreamReassembler({
        maxBuffered: opts.maxBuffered,
        onData: h.onData,
        onGap: h.onGap,
        stats,
      });
      if (d.synSeq >= 0) d.r.segment(d.synSeq, SYN, new Uint8Array(0));
    }
    return d.r;
  }

  function tcpPacket(p: DecodedPacket, di: number): void {
    const flags = p.tcpFlags;
    const d = dirs[di]!;
    const payload = p.payload;
    if (mode === MODE_RECOGNIZE && d.verdict === null) {
      // This side is no protocol we know: stop reassembling it, the other side may still tell.
    } else if (d.r === null && payload.length === 0) {
      // No data yet: remember the ISN so the stream can be anchored later, create nothing.
      if (flags & SYN && d.synSeq < 0) d.synSeq = p.seq >>> 0;
    } else {
      reassembler(di).segment(p.seq, flags, payload);
    }
    if (flags & ACK) dirs[1 - di]!.r?.ack(p.ack);
  }

  function udpPacket(p: DecodedPacket, di: number): void {
    const d = dirs[di]!;
    if (d.udpProbes >= UDP_PROBES || serviceList.length > 0) return;
    const payload = p.payload;
    if (payload.length === 0) return;
    d.udpProbes++;
    const v = recognizeUdp(payload);
    if (v !== null) addService(v);
  }

  return {
    stats,
    packet(p: DecodedPacket, fromOrig: boolean): void {
      if (transport < 0) transport = p.ipProto;
      ts = p.ts;
      frameIndex = p.frame.index;
      const di = fromOrig ? 0 : 1;
      if (transport === TCP) {
        if (mode !== MODE_OFF) tcpPacket(p, di);
      } else if (transport === UDP) udpPacket(p, di);
    },
    services(): string[] {
      return serviceList;
    },
    end(flow: FlowRecord): void {
      if (transport === TCP && mode !== MODE_OFF) {
        for (const d of dirs) d.r?.finish();
        for (const d of dirs) d.http?.end();
      }
      mode = MODE_OFF;
      const txs = pairing?.transactions ?? [];
      for (const tx of txs) {
        tx.uid = flow.uid;
        tx.origH = flow.origH;
        tx.origP = flow.origP;
        tx.respH = flow.respH;
        tx.respP = flow.respP;
        opts.onHttp?.(tx);
      }
      txs.length = 0;
      const [c, s] = dirs;
      if (c.ssh !== null || s.ssh !== null) {
        const client = c.ssh?.banner ?? '';
        const server = s.ssh?.banner ?? '';
        if (client !== '' || server !== '') {
          opts.onSsh?.({
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
    },
  };
}

/** Totals for many sessions: pass `stats` into every createAppSession call. */
export { createReassemblyStats };
