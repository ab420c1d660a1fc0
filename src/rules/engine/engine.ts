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
import { createRuleState, type RuleState, type StateContext } from './flowbits.js';
import { createPassGate, type DecisionGate, type GateContext } from './gate.js';
import { headerMatches } from './header.js';
import { INSPECT_BUDGET, type InspectContext } from './inspect.js';
import { packetConditions } from './packet-conditions.js';
import { type PayloadView, payloadHolds } from './payload-stage.js';
import { runRegex } from './regex.js';
import { appEventsHold, applyFlowbits, appProtoMatches, isFromClient } from './rule-checks.js';
import { RuleSelection } from './rule-selection.js';
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
  /** The rules by protocol and order, the prefilter's marks and the candidates they give. */
  private readonly sel: RuleSelection;
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
  /** The evaluation context of the packet being processed, reused. */
  private readonly packetCtx: EvalCtx = { p: null, flow: null, toServer: true, view: 'none' };
  /** The buffers built for the transaction being inspected. */
  private readonly txBufCache = createTxBufferCache();
  private readonly datasets = new Map<string, DatasetStore>();
  private readonly ruleState: RuleState = createRuleState();

  constructor(private readonly opts: DetectOptions) {
    const enabled = opts.rules.filter((r) => r.enabled);
    this.sel = new RuleSelection(
      enabled,
      enabled.map((r, i) => compileRule(r, i)),
    );
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
      for (const c of this.sel.arp) this.evaluate(c, { p, flow: null, toServer: true, view: 'none' });
      return;
    }
    if (p.addrLen === 0 || p.fragment) return;
    const { flow, toServer } = this.flows.lookup(p);
    if (flow.dropped) return;
    // The packet's own fast patterns first: transaction rules with one in the payload need the marks.
    const hasPayload = p.payload.length > 0;
    if (hasPayload) this.sel.scan('pkt', p.payload);
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
        if (!isTail) this.sel.scan('pkt', w.buf.subarray(from, w.len));
        else if (tail > from)
          this.sel.scan('pkt', w.buf.subarray(from, Math.min(w.len, tail + this.sel.maxPatternLength - 1)));
      }
    }
    const list = this.sel.packetCandidates(p);
    const n = this.sel.count;
    // One evaluation context for the packet's rules (an evaluation keeps no reference to it).
    const ctx = this.packetCtx;
    ctx.p = p;
    ctx.flow = flow;
    ctx.toServer = toServer;
    for (let i = 0; i < n; i++) {
      const c = list[i]!;
      if (c.ipVersion !== 0 && c.ipVersion !== (p.addrLen === 4 ? 4 : 6)) continue;
      if (this.sel.inspectsPkt[c.index] === 1) {
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
    this.sel.clearHits();
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
      const rules = this.sel.byProto.get(6) ?? [];
      this.firedThisPacket.clear();
      for (let d = 0; d < 2; d++) {
        const w = f.windows[d];
        if (w === null || w.len === 0 || f.acked[d] >= w.base + w.len) continue;
        this.sel.scan('pkt', w.buf.subarray(0, w.len));
        for (const c of rules) {
          if (this.sel.fpKey[c.index] !== 'pkt' || this.sel.hit[c.index] === 0 || c.payloadMode === 'packet')
            continue;
          this.evaluate(c, { p: null, flow: f, toServer: d === 0, view: 'stream', final: true });
        }
        this.sel.clearHits();
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
    const saved = this.sel.marks();
    const toServer = ev.progress === 'request';
    ev.bufCache = this.txBufCache;
    for (const k of this.sel.txScanKeys) {
      const b = txBuffer(ev, k.base, toServer);
      if (b === undefined) continue;
      if (b instanceof Uint8Array) this.sel.scanTx(k, b);
      else for (const x of b) this.sel.scanTx(k, x);
      // The request side's buffers too, for rules inspecting the whole transaction.
      if (!toServer) {
        const q = txBuffer(ev, k.base, true);
        if (q instanceof Uint8Array && q !== b) this.sel.scanTx(k, q);
      }
    }
    const candidates = this.sel.txCandidates(ev, saved, p);
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
    this.sel.forgetSince(saved);
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
