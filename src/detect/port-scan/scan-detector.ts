/**
 * What every scan-shaped detector (port scan, UDP scan, sweep, discovery)
 * wires the same way: a scan table sized by the detector's budget whose
 * closing states are turned into findings, emitted and counted, and the
 * advance/finish/stats the DetectorInstance forwards to it.
 */
import type { Finding } from '../../schema/finding.js';
import type { Contact } from '../core/contact.js';
import type { DetectorContext, DetectorInstance } from '../core/detector.js';
import { addErrorReply, addProbe, createProbeView, type ProbeView } from './probe-view.js';
import type { ScanShapeConfig } from './scan-config.js';
import { createScanTable, type ScanTable } from './scan-table.js';

/** What a closing state yields: one finding, several, or none. */
export type ClosedFindings = Finding | readonly Finding[] | undefined;

export interface ScanDetectorParts<S> {
  table: ScanTable<S>;
  /** The DetectorInstance's advance, finish and stats, forwarded to the table. */
  lifecycle: Pick<DetectorInstance, 'advance' | 'finish' | 'stats'>;
}

/**
 * @example
 * const { table, lifecycle } = scanDetectorParts(cfg, ctx, make, (s) => s.bytes, (src, s) => findingOf(src, s));
 * return { contact(c) { ... table.get(c.src, c.ts) ... }, ...lifecycle };
 */
export function scanDetectorParts<S>(
  cfg: { idleSeconds: number; maxSpanSeconds: number },
  ctx: DetectorContext,
  make: () => S,
  sizeOf: (state: S) => number,
  findingsOf: (key: string, state: S) => ClosedFindings,
): ScanDetectorParts<S> {
  let findings = 0;
  const emit = (f: Finding) => {
    findings++;
    ctx.emit(f);
  };
  const table = createScanTable<S>({
    idleSeconds: cfg.idleSeconds,
    maxSpanSeconds: cfg.maxSpanSeconds,
    budgetBytes: ctx.budgetBytes,
    make,
    sizeOf,
    onClose: (key, state) => {
      const out = findingsOf(key, state);
      if (out === undefined) return;
      if (isFindingList(out)) for (const f of out) emit(f);
      else emit(out);
    },
  });
  return {
    table,
    lifecycle: {
      advance: (now) => table.advance(now),
      finish: () => table.finish(),
      stats: () => table.stats(findings),
    },
  };
}

function isFindingList(out: Finding | readonly Finding[]): out is readonly Finding[] {
  return Array.isArray(out);
}

/**
 * scanDetectorParts over ProbeViews (port scan, UDP scan, sweep).
 * @example const { table, lifecycle } = probeViewDetectorParts(cfg, ctx, (src, v) => verticalFindings(src, v, cfg, ctx));
 */
export function probeViewDetectorParts(
  cfg: ScanShapeConfig,
  ctx: DetectorContext,
  findingsOf: (key: string, view: ProbeView) => ClosedFindings,
): ScanDetectorParts<ProbeView> {
  return scanDetectorParts(cfg, ctx, createProbeView, (v) => v.bytes, findingsOf);
}

/** Adds a probe to the view held under `key`. */
export function recordProbe(
  table: ScanTable<ProbeView>,
  key: string,
  c: Contact,
  cfg: Pick<ScanShapeConfig, 'trackPorts' | 'trackHosts'>,
): void {
  addProbe(table.get(key, c.ts), c, cfg.trackPorts, cfg.trackHosts);
  table.touched(key);
}

/** Adds an ICMP error reply (a refusal of the source's UDP probes) to the view held under `key`. */
export function recordErrorReply(
  table: ScanTable<ProbeView>,
  key: string,
  c: Contact,
  cfg: Pick<ScanShapeConfig, 'trackHosts'>,
): void {
  addErrorReply(table.get(key, c.ts), c, cfg.trackHosts);
  table.touched(key);
}
