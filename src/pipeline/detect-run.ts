/**
 * Runs the behavioural detectors over one analysis: every registered
 * detector gets one instance per source kind (capture flows, NetFlow, a
 * firewall log ... are separate streams, so a finding says which evidence it
 * rests on), fed contacts and login attempts in arrival order. Memory is one
 * budget split between the instances.
 */

import type { AuthAttempt, Contact } from '../detect/core/contact.js';
import type { Detector, DetectorInstance, DetectorStats } from '../detect/core/detector.js';
import { detectors as registry } from '../detect/index.js';
import type { SourceKind } from '../schema/event.js';
import type { Finding, ScannerLabel } from '../schema/finding.js';
import type { ProblemLog } from '../schema/problem.js';

/** Default memory for all detector state together: 256 MiB. */
export const DEFAULT_DETECT_BUDGET = 256 * 1024 * 1024;
/** Source kinds a run is expected to hold at most at once; each gets budget / this share per detector. */
const EXPECTED_STREAMS = 4;
/** Contacts between two `advance` calls on a stream (expiry is amortised, not per contact). */
const ADVANCE_EVERY = 256;

export interface DetectorRunOptions {
  problems: ProblemLog;
  /** Bytes for all detector state together (default 256 MiB). */
  budgetBytes?: number;
  /** Per detector name, its configuration (checked against its schema); missing names use defaults. */
  config?: Readonly<Record<string, unknown>>;
  /** Detectors to run (default: the registry). */
  detectors?: readonly Detector[];
  scannerLabel?(addr: string): ScannerLabel | undefined;
  onFinding?(f: Finding): void;
}

export interface DetectorRun {
  contact(c: Contact): void;
  auth(a: AuthAttempt): void;
  /** Ends every stream and returns the findings, ordered by time then uid. */
  finish(): Finding[];
  stats(): Record<string, DetectorStats & { sourceKind: SourceKind; detector: string }>;
}

/**
 * What is wrong with a detector configuration, one sentence each (empty when
 * it is usable): unknown detector names, unknown or invalid fields.
 *
 * @example
 * detectConfigErrors({ sweep: { minHosts: -1 } }) // ['sweep.minHosts: Too small: …']
 */
export function detectConfigErrors(
  config: Readonly<Record<string, unknown>>,
  list: readonly Detector[] = registry,
): string[] {
  const errors: string[] = [];
  const known = new Set(list.map((d) => d.name));
  for (const name of Object.keys(config))
    if (!known.has(name)) errors.push(`unknown detector "${name}" (known: ${[...known].join(', ')})`);
  for (const d of list) {
    const parsed = d.config.safeParse(config[d.name] ?? {});
    if (!parsed.success)
      for (const i of parsed.error.issues) errors.push(`${[d.name, ...i.path].join('.')}: ${i.message}`);
  }
  return errors;
}

interface Stream {
  instances: { name: string; inst: DetectorInstance }[];
  sinceAdvance: number;
  watermark: number;
}

/**
 * Compiles each detector's configuration once; a bad configuration throws
 * (it is unusable configuration, house rule 3) naming the detector and field.
 *
 * @example
 * const run = createDetectorRun({ problems });
 * run.contact(contactFromFlow(flow));
 * const findings = run.finish();
 */
export function createDetectorRun(opts: DetectorRunOptions): DetectorRun {
  const list = opts.detectors ?? registry;
  const known = new Set(list.map((d) => d.name));
  for (const name of Object.keys(opts.config ?? {}))
    if (!known.has(name))
      throw new Error(
        `detector configuration names unknown detector "${name}" (known: ${[...known].join(', ')})`,
      );
  const compiled = list.map((d) => {
    const parsed = d.config.safeParse(opts.config?.[d.name] ?? {});
    if (!parsed.success)
      throw new Error(
        `detector "${d.name}" configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    return { d, cfg: parsed.data };
  });
  const perInstance = Math.max(
    1 << 20,
    Math.floor((opts.budgetBytes ?? DEFAULT_DETECT_BUDGET) / (EXPECTED_STREAMS * Math.max(1, list.length))),
  );
  const findings: Finding[] = [];
  const streams = new Map<SourceKind, Stream>();

  const stream = (kind: SourceKind): Stream => {
    let s = streams.get(kind);
    if (!s) {
      s = {
        instances: compiled.map(({ d, cfg }) => ({
          name: d.name,
          inst: d.create(cfg, {
            sourceKind: kind,
            budgetBytes: perInstance,
            problems: opts.problems,
            scannerLabel: opts.scannerLabel,
            emit: (f) => {
              findings.push(f);
              opts.onFinding?.(f);
            },
          }),
        })),
        sinceAdvance: 0,
        watermark: Number.NEGATIVE_INFINITY,
      };
      streams.set(kind, s);
    }
    return s;
  };

  const tick = (s: Stream, ts: number) => {
    if (ts > s.watermark) s.watermark = ts;
    if (++s.sinceAdvance >= ADVANCE_EVERY) {
      s.sinceAdvance = 0;
      for (const { inst } of s.instances) inst.advance(s.watermark);
    }
  };

  return {
    contact(c) {
      const s = stream(c.sourceKind);
      for (const { inst } of s.instances) inst.contact?.(c);
      tick(s, c.ts);
    },
    auth(a) {
      const s = stream(a.sourceKind);
      for (const { inst } of s.instances) inst.auth?.(a);
      tick(s, a.ts);
    },
    finish() {
      for (const s of streams.values()) for (const { inst } of s.instances) inst.finish();
      return findings.sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    },
    stats() {
      const out: Record<string, DetectorStats & { sourceKind: SourceKind; detector: string }> = {};
      for (const [kind, s] of streams)
        for (const { name, inst } of s.instances)
          out[`${name}/${kind}`] = { ...inst.stats(), sourceKind: kind, detector: name };
      return out;
    },
  };
}
