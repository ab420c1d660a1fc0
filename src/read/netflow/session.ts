/**
 * The NetFlow v5 / v9 / IPFIX decoder: one session per collector (or file),
 * fed one export datagram at a time. Templates, options knowledge and data
 * held for a missing template are kept per exporter and observation domain,
 * all bounded; problems are values with the exporter and byte offset.
 */
import type { Problem, ProblemLog } from '../../schema/problem.js';
import { type DecodeContext, type DomainState, decodeDataRecord, decodeEnd } from './data.js';
import { emptyStats, type NetflowRecord, type NetflowStats } from './record.js';
import { parseIpfixOptionsSet, parseTemplateSet, parseV9OptionsSet, type TemplateSink } from './sets.js';
import type { Template } from './template.js';
import { decodeV5 } from './v5.js';

export interface NetflowSessionOptions {
  onRecord(r: NetflowRecord): void;
  problems: ProblemLog;
  /** A template not refreshed for this long is forgotten (default 1800 s). */
  templateTimeoutSec?: number;
  /** Data waiting for its template is dropped after this long (default 60 s). */
  pendingMaxAgeSec?: number;
  /** Most data sets held per exporter (default 10,000). */
  pendingMaxSets?: number;
  /** Most bytes held per exporter (default 4 MiB). */
  pendingMaxBytes?: number;
  /** Most templates per exporter (default 8192). */
  maxTemplates?: number;
  /** Most exporters remembered; the least recently heard is forgotten (default 10,000). */
  maxExporters?: number;
  /** Put every element in `fields`, modelled ones too (tests, debugging). */
  allFields?: boolean;
}

/** Where a datagram came from, so problems point into the input (pcap frame, .dat file). */
export interface DatagramOrigin {
  file?: string;
  /** File offset of the datagram's first byte; problem offsets add to it. */
  offset?: number;
  frame?: number;
}

export interface NetflowSession {
  /** Decodes one export datagram; records go to onRecord, problems to the log. Never throws for bad data. */
  datagram(bytes: Uint8Array, exporter: string, recvTs: number, origin?: DatagramOrigin): void;
  /** End of input: what still waits for a template is dropped and reported. */
  flush(): void;
  readonly stats: NetflowStats;
  /** Templates currently known for an exporter. */
  templateCount(exporter: string): number;
}

interface Held {
  key: number;
  bytes: Uint8Array;
  version: 9 | 10;
  domain: number;
  sequence: number;
  exportTime: number;
  uptimeMs: number | undefined;
  recvTs: number;
  origin: DatagramOrigin | undefined;
  /** Offset of the set body in its datagram. */
  at: number;
}

interface ExporterState {
  templates: Map<number, Template>;
  domains: Map<number, DomainState>;
  held: Held[];
  heldBytes: number;
}

const EMPTY_ORIGIN: DatagramOrigin = {};

/**
 * Creates a decoder session.
 * @example
 * const s = createNetflowSession({ problems, onRecord: (r) => flows.push(r) });
 * s.datagram(udpPayload, '192.0.2.1:2055', Date.now() / 1000);
 */
export function createNetflowSession(opts: NetflowSessionOptions): NetflowSession {
  const templateTimeout = opts.templateTimeoutSec ?? 1800;
  const pendingMaxAge = opts.pendingMaxAgeSec ?? 60;
  const pendingMaxSets = opts.pendingMaxSets ?? 10_000;
  const pendingMaxBytes = opts.pendingMaxBytes ?? 4 * 1024 * 1024;
  const maxTemplates = opts.maxTemplates ?? 8192;
  const maxExporters = opts.maxExporters ?? 10_000;
  if (templateTimeout <= 0 || pendingMaxAge < 0 || pendingMaxSets < 0 || maxTemplates < 1 || maxExporters < 1)
    throw new Error('createNetflowSession: limits must be positive');
  const { problems, onRecord } = opts;
  const stats = emptyStats();
  const exporters = new Map<string, ExporterState>();
  const ctx: DecodeContext = {
    version: 9,
    exporter: '',
    domain: 0,
    sequence: 0,
    exportTime: 0,
    uptimeMs: undefined,
    recvTs: 0,
    allFields: opts.allFields ?? false,
    state: newDomain(),
  };
  let ex: ExporterState = newExporter();
  let origin: DatagramOrigin = EMPTY_ORIGIN;
  let base = 0; // file offset of the datagram (origin.offset)
  let dv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  const problem = (code: string, message: string, at: number) => {
    const p: Problem = {
      stage: 'read',
      code,
      message: `${message} (exporter ${ctx.exporter})`,
      file: origin.file ?? ctx.exporter,
      offset: base + at,
    };
    if (origin.frame !== undefined) p.frame = origin.frame;
    problems.add(p);
  };

  const sink: TemplateSink = {
    lookup(domain, id) {
      return ex.templates.get(domain * 65536 + id);
    },
    refresh(t, now) {
      t.lastSeen = now;
    },
    install(t, at) {
      const key = t.domain * 65536 + t.id;
      const old = ex.templates.get(key);
      if (old === undefined) {
        if (ex.templates.size >= maxTemplates) {
          problem(
            'netflow.too-many-templates',
            `more than ${maxTemplates} templates; template ${t.id} ignored`,
            at,
          );
          return;
        }
        stats.templates++;
      } else if (old.layout !== t.layout) {
        stats.templatesRedefined++;
        problem(
          'netflow.template-redefined',
          `template ${t.id} re-sent with another layout; the newer is used`,
          at,
        );
      }
      ex.templates.set(key, t);
      if (ex.held.length > 0) releaseHeld(key, t);
    },
    withdraw(domain, id, options, at) {
      const all = id === (options ? 3 : 2);
      if (!all) {
        if (ex.templates.delete(domain * 65536 + id)) stats.templatesWithdrawn++;
        return;
      }
      for (const [k, t] of ex.templates) {
        if (t.domain === domain && t.options === options) {
          ex.templates.delete(k);
          stats.templatesWithdrawn++;
        }
      }
      void at;
    },
    bad: problem,
  };

  function newDomain(): DomainState {
    return { systemInitMs: undefined, defaultSampling: undefined, samplers: new Map(), ifNames: new Map() };
  }
  function newExporter(): ExporterState {
    return { templates: new Map(), domains: new Map(), held: [], heldBytes: 0 };
  }

  function enter(exporter: string): void {
    let st = exporters.get(exporter);
    if (st === undefined) {
      if (exporters.size >= maxExporters) {
        const [oldest, old] = exporters.entries().next().value as [string, ExporterState];
        exporters.delete(oldest);
        dropHeld(old, 'netflow.pending-dropped', 'the exporter was forgotten (too many exporters)');
      }
      st = newExporter();
    } else exporters.delete(exporter); // re-insert: the Map's order is least recently heard first
    exporters.set(exporter, st);
    ex = st;
  }

  function domainState(domain: number): DomainState {
    let d = ex.domains.get(domain);
    if (d === undefined) {
      if (ex.domains.size >= 4096) ex.domains.clear(); // bounded; knowledge is re-learned from options data
      d = newDomain();
      ex.domains.set(domain, d);
    }
    return d;
  }

  /** Decodes the data set body b[o..end) with `t`. */
  function decodeSet(b: Uint8Array, o: number, end: number, t: Template, shift: number): void {
    if (t.minLength === 0) {
      problem(
        'netflow.empty-template',
        `template ${t.id} has only zero-length fields; its data is skipped`,
        o + shift,
      );
      return;
    }
    const variable = t.lengths.includes(0xffff);
    while (o + t.minLength <= end) {
      if (variable && end - o < 4 && allZero(b, o, end)) return;
      const r = decodeDataRecord(b, dv, o, end, t, ctx, o + shift);
      if (r === undefined) {
        if (!allZero(b, o, end))
          problem(
            'netflow.truncated-record',
            `a record of template ${t.id} runs past the end of its set`,
            o + shift,
          );
        return;
      }
      o = decodeEnd.at;
      if (r.kind === 'flow') stats.records++;
      else stats.optionsRecords++;
      onRecord(r);
    }
  }

  function hold(b: Uint8Array, body: number, end: number, key: number, recvTs: number): void {
    expireHeld(recvTs);
    const len = end - body;
    while (ex.held.length > 0 && (ex.held.length >= pendingMaxSets || ex.heldBytes + len > pendingMaxBytes)) {
      const h = ex.held.shift()!;
      ex.heldBytes -= h.bytes.length;
      stats.pendingDropped++;
      heldProblem(
        h,
        'netflow.pending-overflow',
        'too much data waiting for templates; the oldest is dropped',
      );
    }
    if (len > pendingMaxBytes || pendingMaxSets === 0) {
      stats.pendingDropped++;
      problem(
        'netflow.pending-overflow',
        'a data set larger than the hold limit arrived before its template',
        body,
      );
      return;
    }
    ex.held.push({
      key,
      bytes: b.slice(body, end),
      version: ctx.version as 9 | 10,
      domain: ctx.domain,
      sequence: ctx.sequence,
      exportTime: ctx.exportTime,
      uptimeMs: ctx.uptimeMs,
      recvTs,
      origin: origin === EMPTY_ORIGIN ? undefined : origin,
      at: body,
    });
    ex.heldBytes += len;
    stats.pendingHeld++;
  }

  function releaseHeld(key: number, t: Template): void {
    const saved = { ...ctx };
    const savedOrigin = origin;
    const savedBase = base;
    const savedDv = dv;
    const keep: Held[] = [];
    for (const h of ex.held) {
      if (h.key !== key) {
        keep.push(h);
        continue;
      }
      ex.heldBytes -= h.bytes.length;
      stats.pendingDecoded++;
      ctx.version = h.version;
      ctx.domain = h.domain;
      ctx.sequence = h.sequence;
      ctx.exportTime = h.exportTime;
      ctx.uptimeMs = h.uptimeMs;
      ctx.recvTs = h.recvTs;
      ctx.state = domainState(h.domain);
      origin = h.origin ?? EMPTY_ORIGIN;
      base = origin.offset ?? 0;
      dv = new DataView(h.bytes.buffer, h.bytes.byteOffset, h.bytes.byteLength);
      decodeSet(h.bytes, 0, h.bytes.length, t, h.at);
    }
    ex.held = keep;
    Object.assign(ctx, saved);
    origin = savedOrigin;
    base = savedBase;
    dv = savedDv;
  }

  function expireHeld(now: number): void {
    let n = 0;
    while (n < ex.held.length && now - ex.held[n]!.recvTs > pendingMaxAge) n++;
    if (n === 0) return;
    for (const h of ex.held.splice(0, n)) {
      ex.heldBytes -= h.bytes.length;
      stats.pendingDropped++;
      heldProblem(
        h,
        'netflow.pending-expired',
        `no template ${h.key % 65536} within ${pendingMaxAge} s; data dropped`,
      );
    }
  }

  function heldProblem(h: Held, code: string, message: string): void {
    const p: Problem = {
      stage: 'read',
      code,
      message: `${message} (template ${h.key % 65536}, domain ${h.domain}, exporter ${ctx.exporter})`,
      file: h.origin?.file ?? ctx.exporter,
      offset: (h.origin?.offset ?? 0) + h.at,
    };
    if (h.origin?.frame !== undefined) p.frame = h.origin.frame;
    problems.add(p);
  }

  function dropHeld(st: ExporterState, code: string, why: string): void {
    for (const h of st.held) {
      stats.pendingDropped++;
      heldProblem(h, code, why);
    }
    st.held = [];
    st.heldBytes = 0;
  }

  function sets(b: Uint8Array, o: number, n: number, ipfix: boolean, recvTs: number): void {
    while (o + 4 <= n) {
      const id = (b[o]! << 8) | b[o + 1]!;
      const len = (b[o + 2]! << 8) | b[o + 3]!;
      if (len < 4 || o + len > n) {
        if (!allZero(b, o, n))
          problem(
            'netflow.bad-set-length',
            `set ${id} claims ${len} bytes, ${n - o} remain; rest of datagram skipped`,
            o,
          );
        return;
      }
      const body = o + 4;
      const end = o + len;
      if (id === (ipfix ? 2 : 0)) parseTemplateSet(b, body, end, ctx.domain, ipfix, recvTs, sink);
      else if (ipfix && id === 3) parseIpfixOptionsSet(b, body, end, ctx.domain, recvTs, sink);
      else if (!ipfix && id === 1) parseV9OptionsSet(b, body, end, ctx.domain, recvTs, sink);
      else if (id >= 256) {
        const key = ctx.domain * 65536 + id;
        let t = ex.templates.get(key);
        if (t !== undefined && recvTs - t.lastSeen > templateTimeout) {
          ex.templates.delete(key);
          stats.templatesExpired++;
          problem(
            'netflow.template-expired',
            `template ${id} not refreshed for ${templateTimeout} s; forgotten`,
            o,
          );
          t = undefined;
        }
        if (t === undefined) hold(b, body, end, key, recvTs);
        else decodeSet(b, body, end, t, 0);
      } else problem('netflow.unknown-set', `set id ${id} is reserved; skipped`, o);
      o = end;
    }
  }

  function datagram(b: Uint8Array, exporter: string, recvTs: number, from?: DatagramOrigin): void {
    stats.datagrams++;
    origin = from ?? EMPTY_ORIGIN;
    base = origin.offset ?? 0;
    ctx.exporter = exporter;
    if (b.length < 4) {
      problem('netflow.short-datagram', `${b.length}-byte datagram is too short`, 0);
      return;
    }
    const version = (b[0]! << 8) | b[1]!;
    if (version === 5) {
      decodeV5(b, exporter, recvTs, onRecord, problem, stats);
      return;
    }
    if (version !== 9 && version !== 10) {
      problem('netflow.unknown-version', `export version ${version} is not NetFlow v5, v9 or IPFIX`, 0);
      return;
    }
    const ipfix = version === 10;
    const hdr = ipfix ? 16 : 20;
    if (b.length < hdr) {
      problem('netflow.short-datagram', `${b.length}-byte datagram is shorter than its header`, 0);
      return;
    }
    let n = b.length;
    if (ipfix) {
      const msgLen = (b[2]! << 8) | b[3]!;
      if (msgLen < hdr) {
        problem('netflow.bad-length', `IPFIX message length ${msgLen} is below 16`, 2);
        return;
      }
      if (msgLen > n)
        problem('netflow.truncated-datagram', `IPFIX message claims ${msgLen} bytes, ${n} arrived`, 2);
      else n = msgLen;
    }
    enter(exporter);
    ctx.version = version;
    ctx.recvTs = recvTs;
    ctx.uptimeMs = ipfix ? undefined : u32(b, 4);
    ctx.exportTime = u32(b, ipfix ? 4 : 8);
    ctx.sequence = u32(b, ipfix ? 8 : 12);
    ctx.domain = u32(b, ipfix ? 12 : 16);
    ctx.state = domainState(ctx.domain);
    dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (ex.held.length > 0) expireHeld(recvTs);
    sets(b, hdr, n, ipfix, recvTs);
  }

  return {
    datagram,
    flush() {
      for (const [name, st] of exporters) {
        ctx.exporter = name;
        dropHeld(st, 'netflow.pending-unmatched', 'its template never arrived; data dropped');
      }
    },
    stats,
    templateCount(exporter) {
      return exporters.get(exporter)?.templates.size ?? 0;
    },
  };
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function allZero(b: Uint8Array, o: number, end: number): boolean {
  for (let i = o; i < end; i++) if (b[i] !== 0) return false;
  return true;
}
