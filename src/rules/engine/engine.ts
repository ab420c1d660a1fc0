/**
 * The detector: runs compiled rules over decoded packets with Suricata's
 * semantics. Per packet it updates the engine's flow, feeds TCP data through
 * reassembly into the application layer (which reports transactions as they
 * progress), then evaluates packet rules on the packet payload and on the
 * reassembled stream, and transaction rules on each transaction that
 * progressed. Rules that set flowbits run before rules that test them.
 */
import { dirname } from 'node:path';
import type { DecodedPacket } from '../../schema/packet.js';
import type { ProblemLog } from '../../schema/problem.js';
import { formatAddress } from '../../util/ip.js';
import type { Rule } from '../ast.js';
import { createDatasetStore, type DatasetStore } from '../datasets/index.js';
import { applyTransforms, transformFailed } from '../transforms/index.js';
import type { Alert } from './alert.js';
import { buildAlert } from './alert-build.js';
import { type AppEvent, type AppLayer, createAppLayer } from './app-layer.js';
import { type CompiledRule, compileRule } from './compile.js';
import {
  createWindowBudget,
  type DetectFlow,
  DetectFlowTable,
  releaseWindows,
  type WindowBudget,
} from './detect-flow.js';
import { compareStateUse, createRuleState, type RuleState, type StateContext } from './flowbits.js';
import { createPassGate, type DecisionGate, type GateContext } from './gate.js';
import { headerMatches } from './header.js';
import { HeaderIndex } from './header-index.js';
import { type BufferList, INSPECT_BUDGET, type InspectContext } from './inspect.js';
import { packetConditions } from './packet-conditions.js';
import { type PayloadView, payloadHolds } from './payload-stage.js';
import { buildPrefilter, type Prefilter } from './prefilter.js';
import { bufferKeyOf } from './prefilter-select.js';
import { runRegex } from './regex.js';
import { appEventsHold, applyFlowbits, appProtoMatches, isFromClient } from './rule-checks.js';
import { tlsConditionHolds } from './tls-conditions.js';
import { clearTxBufferCache, createTxBufferCache, txBuffer } from './tx-buffers.js';

export interface DetectOptions {
  rules: readonly Rule[];
  onAlert(a: Alert): void;
  /** Allow TCP flows whose handshake was not seen to be tracked as streams (default true; Suricata's default is false). */
  midstream?: boolean;
  /**
   * Suricata's IDS stream timing (its default): a direction's data reaches the protocol parsers once
   * the other side acknowledged it, and a transaction's request side is inspected on a client packet,
   * its response side on a server packet. Off (default): inspected as soon as the data arrives.
   */
  idsTiming?: boolean;
  /** Captures with one direction of each TCP flow (Suricata's stream.async-oneside; default false). */
  asyncOneside?: boolean;
  /** Drop/reject rules report action 'blocked' (default false). */
  simulateIps?: boolean;
  /** Flows tracked at once (default 200,000). */
  maxFlows?: number;
  /** Threshold, detection_filter and suppression decisions; default: every match alerts. */
  gate?: DecisionGate;
  problems?: ProblemLog;
  /** Capture name, copied into alerts and problems. */
  file?: string;
  /** Stream bytes kept per direction for stream inspection (default 64 KiB). */
  streamWindow?: number;
  /** Memory for all stream windows together (default 256 MiB); past it, windows keep only their last 4 KiB. */
  streamMemory?: number;
}

export interface DetectStats {
  packets: number;
  alerts: number;
  /** Rule evaluations that ran past the header and condition tests. */
  inspections: number;
  /** Regex runs stopped by their time bound. */
  regexBounded: number;
  /** Matches kept quiet by noalert, thresholds or suppression. */
  quiet: number;
  flowsEvicted: number;
  /** Stream appends held to a small window because the stream memory budget was spent. */
  windowsSqueezed: number;
}

export interface DetectEngine {
  packet(p: DecodedPacket): void;
  /** End of input: finishes open transactions (they may still alert). */
  finish(): void;
  readonly stats: DetectStats;
}

/** What one evaluation looks at. */
interface EvalCtx {
  p: DecodedPacket | null;
  flow: DetectFlow | null;
  toServer: boolean;
  /** 'packet' = p.payload, 'stream' = the flow's window in the packet's direction. */
  view: 'packet' | 'stream' | 'none';
  /** End-of-flow inspection of unacknowledged stream data: matches must end past the acknowledged part. */
  final?: boolean;
  tx?: AppEvent;
}

const NO_RULES: readonly CompiledRule[] = [];

/** A transaction buffer key of the prefilter: the buffer it is taken from and the transforms applied first. */
interface TxScanKey {
  key: string;
  base: string;
  transforms: BufferList['transforms'] | undefined;
}
/** Window bytes before a packet's data scanned with it for the stream view's prefilter marks. */
const STREAM_LOOKBACK = 1024;
/** Bytes before already-reported stream data that a new stream match may start in. */
const STREAM_OVERLAP = 2048;
/** Older occurrences skipped in one stream evaluation before giving up. */
const MAX_STREAM_RETRIES = 16;

function resetContext(ictx: InspectContext): void {
  ictx.vars.clear();
  ictx.spans.length = 0;
  ictx.budget = INSPECT_BUDGET;
  ictx.base64 = undefined;
}
/** Transaction events held per flow while waiting for a packet in their direction. */
const MAX_DEFERRED = 1024;

/** Suricata's signature order: state writers before readers (compareStateUse), then file order. */
function byOrder(a: CompiledRule, b: CompiledRule): number {
  return compareStateUse(a.rule, b.rule) || a.index - b.index;
}

/** Sorts rules[0..n) by their evaluation position; in place, without allocating for short lists. */
function sortByPosition(rules: CompiledRule[], n: number, pos: Int32Array): void {
  if (n < 2) return;
  if (n > 32) {
    const part = rules.slice(0, n).sort((a, b) => pos[a.index]! - pos[b.index]!);
    for (let i = 0; i < n; i++) rules[i] = part[i]!;
    return;
  }
  for (let i = 1; i < n; i++) {
    const c = rules[i]!;
    const k = pos[c.index]!;
    let j = i - 1;
    while (j >= 0 && pos[rules[j]!.index]! > k) {
      rules[j + 1] = rules[j]!;
      j--;
    }
    rules[j + 1] = c;
  }
}

export function createDetectEngine(opts: DetectOptions): DetectEngine {
  return new Engine(opts);
}

class Engine implements DetectEngine {
  readonly stats: DetectStats = {
    packets: 0,
    alerts: 0,
    inspections: 0,
    regexBounded: 0,
    quiet: 0,
    flowsEvicted: 0,
    windowsSqueezed: 0,
  };
  private readonly compiled: CompiledRule[];
  /** Packet rules by IP protocol: tcp, udp, icmp, icmpv6, other; ARP separately. */
  private readonly byProto = new Map<number, CompiledRule[]>();
  private readonly anyIp: CompiledRule[] = [];
  private readonly arp: CompiledRule[] = [];
  private readonly txRules: CompiledRule[] = [];
  private readonly flows: DetectFlowTable;
  private readonly app: AppLayer;
  private readonly gate: DecisionGate;
  private readonly ictx: InspectContext = {
    vars: new Map(),
    spans: [],
    budget: INSPECT_BUDGET,
    regex: runRegex,
    bounded: 0,
  };
  private readonly windowCap: number;
  private readonly windowBudget: WindowBudget;
  /** Alerts raised for the packet being processed: Suricata alerts a rule once per packet. */
  private readonly firedThisPacket = new Set<number>();
  private current: DecodedPacket | null = null;
  /** Multi-pattern prefilter over every rule's fast pattern. */
  private readonly pf: Prefilter;
  /** Per rule index: the buffer key its fast pattern lives in, undefined when it has none (always evaluated). */
  private readonly fpKey: Array<string | undefined>;
  /** Per rule index: 1 when the prefilter found its fast pattern in the buffers being inspected. */
  private readonly hit: Uint8Array;
  private readonly hitList: number[] = [];
  /** Transformed prefilter keys ('dns.query|dotprefix'): the buffer they start from and the transforms. */
  private readonly keyTransforms = new Map<string, { base: string; transforms: BufferList['transforms'] }>();
  /** Per transaction protocol: transaction rules whose fast pattern is in the packet payload. */
  private readonly txPkt = new Map<string, CompiledRule[]>();
  /** Each rule's position in evaluation order. */
  private readonly orderPos: Int32Array;
  /** packetCandidates' result (its first candidateCount entries), reused from packet to packet. */
  private readonly candidateList: CompiledRule[] = [];
  private candidateCount = 0;
  /** The evaluation context of the packet being processed, reused. */
  private readonly packetCtx: EvalCtx = { p: null, flow: null, toServer: true, view: 'none' };
  /** Per rule index: 1 when the rule inspects the packet payload (a pkt list). */
  private readonly inspectsPkt: Uint8Array;
  /** txCandidates' result, reused from event to event (an inspection never starts another). */
  private readonly txCandidateList: CompiledRule[] = [];
  /** The buffers built for the transaction being inspected. */
  private readonly txBufCache = createTxBufferCache();
  /** Transaction buffer keys the prefilter scans, with the buffer each starts from and its transforms. */
  private readonly txScanKeys: TxScanKey[] = [];
  /** Per IP protocol: the packet rules the prefilter cannot select, indexed by header. */
  private readonly packetAlways = new Map<number, HeaderIndex>();
  /** Per transaction protocol: transaction rules without a fast pattern in a transaction buffer. */
  private readonly txAlways = new Map<string, CompiledRule[]>();
  private readonly datasets = new Map<string, DatasetStore>();
  private readonly ruleState: RuleState = createRuleState();

  constructor(private readonly opts: DetectOptions) {
    const enabled = opts.rules.filter((r) => r.enabled);
    this.compiled = enabled.map((r, i) => compileRule(r, i));
    this.pf = buildPrefilter(enabled);
    this.fpKey = enabled.map((_r, i) => {
      // A buffer that may be absent (`absent: or_else`) cannot gate the rule on its pattern.
      if (this.compiled[i]!.absent.length > 0) return undefined;
      const k = this.pf.fastPatternOf(i)?.bufferKey;
      if (k === undefined) return undefined;
      // A transformed buffer is scanned when its transforms are known (from the rule's own list).
      if (k.includes('|')) {
        const list = this.compiled[i]!.lists.find((l) => l.transforms.length > 0 && bufferKeyOf(l) === k);
        if (list === undefined || list.buffer === 'pkt') return undefined;
        this.keyTransforms.set(k, { base: list.buffer, transforms: list.transforms });
      }
      return k;
    });
    for (const key of this.pf.buffers) {
      if (key === 'pkt') continue;
      if (!key.includes('|')) {
        this.txScanKeys.push({ key, base: key, transforms: undefined });
        continue;
      }
      // A transformed key is scanned only when some rule told which transforms make it.
      const tf = this.keyTransforms.get(key);
      if (tf !== undefined) this.txScanKeys.push({ key, base: tf.base, transforms: tf.transforms });
    }
    this.hit = new Uint8Array(enabled.length);
    this.inspectsPkt = new Uint8Array(enabled.length);
    for (const c of this.compiled)
      if (c.hasPayload && c.lists.some((l) => l.buffer === 'pkt')) this.inspectsPkt[c.index] = 1;
    this.orderPos = new Int32Array(enabled.length);
    const sorted = [...this.compiled].sort(byOrder);
    sorted.forEach((c, i) => {
      this.orderPos[c.index] = i;
    });
    for (const c of sorted) {
      if (c.kind === 'tx') this.txRules.push(c);
      else if (c.ipProto === -2) this.arp.push(c);
      else if (c.ipProto === -1) this.anyIp.push(c);
      else {
        const l = this.byProto.get(c.ipProto);
        if (l === undefined) this.byProto.set(c.ipProto, [c]);
        else l.push(c);
      }
    }
    // Rules for any IP protocol run with each protocol's own, keeping the global order.
    for (const [proto, list] of this.byProto) {
      this.byProto.set(proto, [...list, ...this.anyIp].sort(byOrder));
    }
    const unselectable = (list: CompiledRule[]) =>
      new HeaderIndex(
        list.filter((c) => this.fpKey[c.index] !== 'pkt'),
        this.compiled,
      );
    for (const [proto, list] of this.byProto) this.packetAlways.set(proto, unselectable(list));
    this.packetAlways.set(-1, unselectable(this.anyIp));
    for (const c of this.txRules) {
      const k = this.fpKey[c.index];
      if (k !== undefined && k !== 'pkt') continue;
      const into = k === 'pkt' ? this.txPkt : this.txAlways;
      const key = c.txProto ?? 'file';
      const l = into.get(key);
      if (l === undefined) into.set(key, [c]);
      else l.push(c);
    }
    this.gate = opts.gate ?? createPassGate();
    this.windowCap = opts.streamWindow ?? 64 * 1024;
    this.windowBudget = createWindowBudget(opts.streamMemory ?? 256 * 1024 * 1024);
    this.app = createAppLayer({
      onEvent: (ev) => this.onTx(ev),
      windowBudget: this.windowBudget,
      // One-sided captures see no acknowledgements: parse as data arrives.
      ackedParsing: opts.idsTiming === true && opts.asyncOneside !== true,
      ...(opts.problems ? { problems: opts.problems } : {}),
      ...(opts.file !== undefined ? { file: opts.file } : {}),
    });
    this.flows = new DetectFlowTable({
      maxFlows: opts.maxFlows ?? 200_000,
      midstream: opts.midstream ?? true,
      asyncOneside: opts.asyncOneside ?? false,
      onEvict: (f) => {
        this.stats.flowsEvicted++;
        this.endFlow(f);
      },
      onEnd: (f) => this.endFlow(f),
    });
  }

  packet(p: DecodedPacket): void {
    this.stats.packets++;
    this.stats.windowsSqueezed = this.windowBudget.squeezed;
    this.current = p;
    this.firedThisPacket.clear();
    if (p.l3 === 0x0806) {
      for (const c of this.arp) this.evaluate(c, { p, flow: null, toServer: true, view: 'none' });
      return;
    }
    if (p.addrLen === 0 || p.fragment) return;
    const { flow, toServer } = this.flows.lookup(p);
    if (flow.dropped) return;
    // The packet's own fast patterns first: transaction rules with one in the payload need the marks.
    const hasPayload = p.payload.length > 0;
    if (hasPayload) this.scan('pkt', p.payload);
    // Application layer next: a transaction completed by this packet is inspected with it.
    this.app.packet(flow, p, toServer, this.windowCap);
    if (flow.deferred !== null) this.runDeferred(flow, toServer);
    if (hasPayload) {
      // Stream view: the new data plus what precedes it closely enough to form a match with it.
      const w = flow.windows[toServer ? 0 : 1];
      if (w !== null && p.ipProto === 6) {
        const from = Math.max(0, w.len - p.payload.length - STREAM_LOOKBACK);
        // When the payload (scanned above) is the window's tail, the only matches not found yet
        // start before it, so they end within a pattern's length of its start.
        const tail = w.len - p.payload.length;
        const isTail = tail >= 0 && Buffer.compare(w.buf.subarray(tail, w.len), p.payload) === 0;
        if (!isTail) this.scan('pkt', w.buf.subarray(from, w.len));
        else if (tail > from)
          this.scan('pkt', w.buf.subarray(from, Math.min(w.len, tail + this.pf.maxPatternLength - 1)));
      }
    }
    const list = this.packetCandidates(p);
    const n = list === this.candidateList ? this.candidateCount : list.length;
    // One evaluation context for the packet's rules (an evaluation keeps no reference to it).
    const ctx = this.packetCtx;
    ctx.p = p;
    ctx.flow = flow;
    ctx.toServer = toServer;
    for (let i = 0; i < n; i++) {
      const c = list[i]!;
      if (c.ipVersion !== 0 && c.ipVersion !== (p.addrLen === 4 ? 4 : 6)) continue;
      if (this.inspectsPkt[c.index] === 1) {
        if (!hasPayload) continue;
        ctx.view = 'packet';
        if (c.payloadMode !== 'stream' && this.evaluate(c, ctx)) continue;
        ctx.view = 'stream';
        if (c.payloadMode !== 'packet' && p.ipProto === 6 && flow.streamTracked) this.evaluate(c, ctx);
      } else {
        ctx.view = 'none';
        this.evaluate(c, ctx);
      }
    }
    ctx.p = null;
    ctx.flow = null;
    this.clearHits();
    this.current = null;
  }

  /** The dataset store of a rules file's folder (`load` files are relative to it). */
  private datasetStore(ruleFile: string): DatasetStore {
    const dir = dirname(ruleFile);
    let st = this.datasets.get(dir);
    if (st === undefined) {
      st = createDatasetStore({
        ruleDir: dir,
        ...(this.opts.problems ? { problems: this.opts.problems } : {}),
      });
      this.datasets.set(dir, st);
    }
    return st;
  }

  /**
   * The packet rules to evaluate, in order: those the prefilter selected plus those it cannot
   * select. Either the generic list itself or candidateList[0..candidateCount).
   */
  private packetCandidates(p: DecodedPacket): readonly CompiledRule[] {
    const ipProto = p.ipProto;
    const index = this.packetAlways.get(this.byProto.has(ipProto) ? ipProto : -1);
    const generic = index?.generic ?? NO_RULES;
    const out = this.candidateList;
    let n = index === undefined ? 0 : index.candidates(p.src, p.dst, p.addrLen, p.dstPort, out);
    for (const r of this.hitList) {
      const c = this.compiled[r]!;
      if (c.kind !== 'packet' || this.fpKey[r] !== 'pkt') continue;
      if (c.ipProto !== ipProto && c.ipProto !== -1) continue;
      out[n++] = c;
    }
    // Nothing beyond the generic rules (the common case): no copy, no sort.
    if (n === 0) return generic;
    for (const c of generic) out[n++] = c;
    sortByPosition(out, n, this.orderPos);
    this.candidateCount = n;
    return out;
  }

  /** The transaction rules to evaluate for an event: prefilter hits in its buffers plus the ungated ones. */
  private txCandidates(ev: AppEvent, saved: number): CompiledRule[] {
    const out = this.txCandidateList;
    out.length = 0;
    const always = this.txAlways.get(ev.proto);
    if (always !== undefined) for (const c of always) out.push(c);
    const files = ev.file !== undefined || ev.http !== undefined;
    if (files) {
      const fileAlways = this.txAlways.get('file');
      if (fileAlways !== undefined) for (const c of fileAlways) out.push(c);
    }
    // Rules whose fast pattern is in the packet: only when this packet has it (at flow end, the stream stands in).
    const p = this.current;
    const own = this.txPkt.get(ev.proto);
    if (own !== undefined) for (const c of own) if (p === null || this.hit[c.index] === 1) out.push(c);
    const fileOwn = files ? this.txPkt.get('file') : undefined;
    if (fileOwn !== undefined)
      for (const c of fileOwn) if (p === null || this.hit[c.index] === 1) out.push(c);
    for (let i = saved; i < this.hitList.length; i++) {
      const r = this.hitList[i]!;
      const k = this.fpKey[r];
      if (k === undefined || k === 'pkt' || this.compiled[r]!.kind !== 'tx') continue;
      out.push(this.compiled[r]!);
    }
    sortByPosition(out, out.length, this.orderPos);
    return out;
  }

  /** Marks the rules whose fast pattern occurs in `bytes` (a buffer of key `key`). */
  private scan(key: string, bytes: Uint8Array): void {
    const n = this.pf.scan(key, bytes);
    const cand = this.pf.candidates;
    for (let i = 0; i < n; i++) {
      const r = cand[i]!;
      if (this.hit[r] === 0) {
        this.hit[r] = 1;
        this.hitList.push(r);
      }
    }
  }

  private clearHits(): void {
    for (const r of this.hitList) this.hit[r] = 0;
    this.hitList.length = 0;
  }

  finish(): void {
    for (const f of this.flows.all()) this.endFlow(f);
    this.flows.clear();
  }

  /**
   * A flow ends. Stream data never acknowledged by the other side was never
   * inspected as a stream; Suricata inspects it now (once per rule, with the
   * rules its stream prefilter selects). Then the application layer finishes.
   */
  private endFlow(f: DetectFlow): void {
    // Whatever the flow's end raises belongs to the flow, not to the packet being processed.
    const current = this.current;
    this.current = null;
    try {
      this.finishFlow(f);
    } finally {
      this.current = current;
    }
  }

  private finishFlow(f: DetectFlow): void {
    // Only with IDS timing (otherwise the stream was inspected as its data arrived), and not for
    // one-sided captures (async-oneside), which never see acknowledgements.
    if (
      this.opts.idsTiming === true &&
      f.ipProto === 6 &&
      f.streamTracked &&
      f.established &&
      !f.dropped &&
      this.opts.asyncOneside !== true
    ) {
      const rules = this.byProto.get(6) ?? [];
      this.firedThisPacket.clear();
      for (let d = 0; d < 2; d++) {
        const w = f.windows[d];
        if (w === null || w.len === 0 || f.acked[d] >= w.base + w.len) continue;
        this.scan('pkt', w.buf.subarray(0, w.len));
        for (const c of rules) {
          if (this.fpKey[c.index] !== 'pkt' || this.hit[c.index] === 0 || c.payloadMode === 'packet')
            continue;
          this.evaluate(c, { p: null, flow: f, toServer: d === 0, view: 'stream', final: true });
        }
        this.clearHits();
      }
    }
    this.app.end(f);
    this.runDeferred(f, undefined);
    releaseWindows(f, this.windowBudget);
  }

  private onTx(ev: AppEvent): void {
    if (ev.flow.dropped) return;
    const p = this.current;
    if (
      this.opts.idsTiming === true &&
      this.opts.asyncOneside !== true &&
      p !== null &&
      ev.flow.ipProto === 6
    ) {
      // A side is inspected with a packet travelling its way; otherwise wait for one.
      if (isFromClient(ev.flow, p) !== (ev.progress === 'request')) {
        ev.flow.deferred ??= [];
        if (ev.flow.deferred.length < MAX_DEFERRED) ev.flow.deferred.push(ev);
        return;
      }
    }
    this.inspectTx(ev);
  }

  /** Runs the transactions that waited for a packet in this direction (or all, at flow end). */
  private runDeferred(flow: DetectFlow, toServer: boolean | undefined): void {
    const list = flow.deferred;
    if (list === null || list.length === 0) return;
    const now = list.filter((ev) => toServer === undefined || (ev.progress === 'request') === toServer);
    if (now.length === 0) return;
    flow.deferred = list.filter((ev) => !now.includes(ev));
    for (const ev of now) this.inspectTx(ev);
  }

  private inspectTx(ev: AppEvent): void {
    if (ev.flow.dropped) return;
    const p = this.current;
    // Packet-level marks stay; add the marks of this transaction's buffers.
    const saved = this.hitList.length;
    const toServer = ev.progress === 'request';
    ev.bufCache = this.txBufCache;
    for (const k of this.txScanKeys) {
      const b = txBuffer(ev, k.base, toServer);
      if (b === undefined) continue;
      if (b instanceof Uint8Array) this.scanTx(k, b);
      else for (const x of b) this.scanTx(k, x);
      // The request side's buffers too, for rules inspecting the whole transaction.
      if (!toServer) {
        const q = txBuffer(ev, k.base, true);
        if (q instanceof Uint8Array && q !== b) this.scanTx(k, q);
      }
    }
    const candidates = this.txCandidates(ev, saved);
    const flow = ev.flow;
    for (const c of candidates) {
      if (
        c.txProto !== ev.proto &&
        !(c.txProto === 'file' && (ev.file !== undefined || ev.http !== undefined))
      )
        continue;
      if (c.appProto !== undefined && !appProtoMatches(c.appProto, flow.appProto)) continue;
      if (ev.stage === 'headers' && c.needsBody) continue;
      const side = c.side;
      const dir = ev.progress;
      if (side === 'request' && dir !== 'request') continue;
      if ((side === 'response' || side === 'both') && dir !== 'response') continue;
      const inspectAs = dir === 'request' ? 'req' : 'resp';
      // Built only when the flow has settled transactions to look in, or this one settles.
      let key: string | undefined;
      if (flow.txDone !== null) {
        key = `${c.index}:${ev.key}:${inspectAs}`;
        if (flow.txDone.has(key)) continue;
      }
      const ctx: EvalCtx = {
        p,
        flow,
        toServer: inspectAs === 'req',
        view: p !== null && p.payload.length > 0 ? 'packet' : 'none',
        tx: ev,
      };
      if (this.evaluate(c, ctx)) {
        flow.txDone ??= new Set();
        flow.txDone.add(key ?? `${c.index}:${ev.key}:${inspectAs}`);
      }
    }
    candidates.length = 0;
    ev.bufCache = undefined;
    clearTxBufferCache(this.txBufCache);
    // Forget this transaction's marks (the packet's own stay until the packet ends).
    for (let i = saved; i < this.hitList.length; i++) this.hit[this.hitList[i]!] = 0;
    this.hitList.length = saved;
  }

  /** Scans one transaction buffer for prefilter key k (after k's transforms, if any). */
  private scanTx(k: TxScanKey, bytes: Uint8Array): void {
    const t = k.transforms === undefined ? bytes : applyTransforms(k.transforms, bytes);
    if (!transformFailed(t)) this.scan(k.key, t);
  }

  /** Runs one rule; true when it matched (alerted or kept quiet). */
  private evaluate(c: CompiledRule, e: EvalCtx): boolean {
    const p = e.p;
    const flow = e.flow;
    // Header: addresses and ports in the packet's direction (or the transaction's, at flow end).
    let src: Uint8Array;
    let dst: Uint8Array;
    let sp: number;
    let dp: number;
    let len: number;
    let pktToServer = e.toServer;
    if (p !== null && (e.tx === undefined || p.addrLen > 0)) {
      src = p.src;
      dst = p.dst;
      sp = p.srcPort;
      dp = p.dstPort;
      len = p.addrLen;
      if (e.tx !== undefined && flow !== null) pktToServer = isFromClient(flow, p);
    } else if (flow !== null) {
      len = flow.clientAddr.length;
      [src, dst, sp, dp] = e.toServer
        ? [flow.clientAddr, flow.serverAddr, flow.clientPort, flow.serverPort]
        : [flow.serverAddr, flow.clientAddr, flow.serverPort, flow.clientPort];
      pktToServer = e.toServer;
    } else return false;
    if (e.tx !== undefined) {
      // A transaction rule reports with the packet that completed the transaction's side.
      if (pktToServer !== e.toServer && flow !== null) {
        len = flow.clientAddr.length;
        [src, dst, sp, dp] = e.toServer
          ? [flow.clientAddr, flow.serverAddr, flow.clientPort, flow.serverPort]
          : [flow.serverAddr, flow.clientAddr, flow.serverPort, flow.clientPort];
      }
    }
    if (!headerMatches(c.rule.header, src, sp, dst, dp, len)) return false;
    if (e.tx === undefined && c.appProto !== undefined) {
      if (flow === null || !appProtoMatches(c.appProto, flow.appProto)) return false;
    }
    if (!packetConditions(c, p, flow, e.toServer, e.view)) return false;
    let sctx: StateContext | undefined;
    if (c.hasState) {
      sctx = { ts: p?.ts ?? flow?.lastTs ?? 0, src: formatAddress(src, len), dst: formatAddress(dst, len) };
      if (flow !== null) flow.state ??= this.ruleState.createFlowState();
      if (!this.ruleState.testRule(c.rule, flow?.state ?? undefined, sctx)) return false;
    }
    if (c.appEvents.length > 0 && !appEventsHold(c, e.tx)) return false;
    if (c.tls.length > 0) {
      const tls = e.tx?.tls;
      if (tls === undefined || !c.tls.every((x) => tlsConditionHolds(x, tls))) return false;
    }
    this.stats.inspections++;

    // Payload.
    // One inspection context, reset per evaluation (rules are evaluated one at a time).
    const ictx = this.ictx;
    resetContext(ictx);
    ictx.bounded = 0;
    const view: PayloadView = { p, flow, toServer: e.toServer, view: e.view, tx: e.tx };
    const storeFor = (f: string) => this.datasetStore(f);
    if (e.view === 'stream' && flow !== null && e.tx === undefined) {
      // Report a stream match only once, when it ends in data not reported yet. Start a little before
      // that data, and move past older occurrences until a new one is found (or none is).
      const d = e.toServer ? 0 : 1;
      const w = flow.windows[d];
      if (w === null) return false;
      flow.streamSeen ??= new Map();
      const seen = flow.streamSeen.get(c.index) ?? [0, 0];
      const reported = e.final === true ? flow.acked[d]! : seen[d]!;
      let start = e.final === true ? 0 : Math.max(0, reported - w.base - STREAM_OVERLAP);
      let found = false;
      for (let tries = 0; tries < MAX_STREAM_RETRIES && start < w.len; tries++) {
        resetContext(ictx);
        view.streamStart = start;
        const ok = payloadHolds(c, view, ictx, storeFor);
        this.stats.regexBounded += ictx.bounded;
        if (!ok) return false;
        let first = w.len;
        let end = 0;
        for (const sp of ictx.spans) {
          if (sp.buffer !== 'pkt') continue;
          if (sp.end > end) end = sp.end;
          if (sp.start < first) first = sp.start;
        }
        if (w.base + start + end > reported) {
          seen[d] = w.base + start + end;
          found = true;
          break;
        }
        start += first + 1;
      }
      if (!found) return false;
      flow.streamSeen.set(c.index, seen);
    } else {
      const ok = payloadHolds(c, view, ictx, storeFor);
      this.stats.regexBounded += ictx.bounded;
      if (!ok) return false;
    }
    if (e.view === 'packet' && flow !== null && p !== null && p.ipProto === 6 && e.tx === undefined) {
      // Remember the packet's data as seen, so stream inspection does not report it again.
      const w = flow.windows[e.toServer ? 0 : 1];
      if (w !== null) {
        flow.streamSeen ??= new Map();
        const seen = flow.streamSeen.get(c.index) ?? [0, 0];
        seen[e.toServer ? 0 : 1] = w.base + w.len;
        flow.streamSeen.set(c.index, seen);
      }
    }

    const gctx: GateContext = {
      ts: p?.ts ?? flow?.lastTs ?? 0,
      src: formatAddress(src, len),
      dst: formatAddress(dst, len),
      srcPort: sp,
      dstPort: dp,
      flowKey: flow?.id ?? 0,
    };
    if (e.tx === undefined) {
      if (this.firedThisPacket.has(c.index)) return true;
      this.firedThisPacket.add(c.index);
      // A rule on the flow's protocol alone describes the flow, not a packet: once per flow.
      if (c.appLayer.length > 0 && c.lists.length === 0 && flow !== null) {
        const k = `${c.index}:alp`;
        if (flow.txDone?.has(k)) return true;
        flow.txDone ??= new Set();
        flow.txDone.add(k);
      }
    }
    if (sctx !== undefined) {
      this.ruleState.applyRule(c.rule, flow?.state ?? undefined, sctx);
      applyFlowbits(c, flow);
    }
    if (this.gate.decide(c.rule, gctx) !== 'alert' || c.noalert || c.pass) {
      this.stats.quiet++;
      return true;
    }
    const a = buildAlert(
      c,
      {
        p,
        flow,
        toServer: e.toServer,
        tx: e.tx,
        src,
        dst,
        srcText: gctx.src,
        dstText: gctx.dst,
        sp,
        dp,
        len,
        ts: gctx.ts,
      },
      ictx.spans.slice(),
      {
        blocked: c.blocks && this.opts.simulateIps === true,
        ...(this.opts.file !== undefined ? { capture: this.opts.file } : {}),
      },
    );
    this.stats.alerts++;
    if (a.action === 'blocked' && flow !== null) flow.dropped = true;
    this.opts.onAlert(a);
    return true;
  }
}
