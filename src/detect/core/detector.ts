/**
 * The detector contract. A detector is a descriptor (name, description, the
 * finding kinds it raises, its configuration schema with documented defaults)
 * whose `create` compiles the configuration once and returns an instance that
 * reads contacts and login attempts of ONE source kind in event-time order and
 * emits findings. The registry (detect/index.ts) is one explicit list.
 */
import type { z } from 'zod';
import type { SourceKind } from '../../schema/event.js';
import type { Finding, FindingKind, ScannerLabel } from '../../schema/finding.js';
import type { ProblemLog } from '../../schema/problem.js';
import type { AuthAttempt, Contact } from './contact.js';

export interface DetectorContext {
  /** The one source kind this instance reads (findings carry it). */
  sourceKind: SourceKind;
  /** Memory this instance may hold for its per-source state, in bytes. */
  budgetBytes: number;
  emit(finding: Finding): void;
  problems: ProblemLog;
  /** The research-scanner label of an address, when the user's scanner lists are loaded. */
  scannerLabel?(addr: string): ScannerLabel | undefined;
}

export interface DetectorStats {
  /** States held now and their bytes. */
  held: number;
  bytes: number;
  peakBytes: number;
  /** States dropped because the budget was reached (counted, reported). */
  evicted: number;
  /** Findings emitted. */
  findings: number;
}

export interface DetectorInstance {
  contact?(c: Contact): void;
  auth?(a: AuthAttempt): void;
  /** Event time moved to `now`: expire idle state (and emit what qualifies). */
  advance(now: number): void;
  /** End of input: evaluate and emit what is still held. */
  finish(): void;
  stats(): DetectorStats;
}

/**
 * @example
 * export const sweepDetector: Detector<SweepConfig> = { name: 'sweep', description: '…',
 *   kinds: ['sweep'], config: sweepConfigSchema, create: (cfg, ctx) => createSweep(cfg, ctx) };
 */
export interface Detector<C = unknown> {
  name: string;
  description: string;
  kinds: readonly FindingKind[];
  /** zod schema of the configuration; parsing `{}` gives the documented defaults. */
  config: z.ZodType<C>;
  create(config: C, ctx: DetectorContext): DetectorInstance;
}
