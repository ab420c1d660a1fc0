/**
 * The shapes of `analyze`'s options and summary, apart from the stage code.
 */

import type { DecodeStats } from '../decode/index.js';
import type { Rule } from '../rules/ast.js';
import type { Classification } from '../rules/parse/classification.js';
import type { ThresholdEntry } from '../rules/parse/threshold-config.js';
import type { Problem } from '../schema/problem.js';
import type { ReassemblyStats } from '../schema/session.js';
import type { Store } from '../store/store.js';
import type { Inventory } from '../triage/relevance/index.js';
import type { AnalysisDetectionOptions } from './analyze-detect.js';
import type { TriageSummary } from './analyze-triage.js';
import type { Unrecognised } from './inputs.js';

export interface AnalyzeProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  size: number;
  packets: number;
  flows: number;
}

export interface AnalyzeOptions {
  inputs: string[];
  /** Where to store results; omit to keep nothing. */
  store?: Store;
  /** Folder for flows.jsonl and later outputs. */
  outDir?: string;
  /** Called about every 64k packets and at each file's end. */
  onProgress?: (p: AnalyzeProgress) => void;
  /** Flow-table bound (Zeek keeps every connection; we cap memory). */
  maxFlows?: number;
  /** Command line recorded with the run. */
  command?: string;
  /** How events.jsonl is written: Picket's own Event model (default), OCSF or Elastic Common Schema. */
  eventFormat?: EventFormat;
  /** Rules to run on captures; alerts go to eve.json, events and the store. */
  rules?: {
    rules: readonly Rule[];
    thresholds?: readonly ThresholdEntry[];
    source: string;
    rejected?: number;
    /** reference.config and classification.config loaded with the rules (triage links and explanations). */
    references?: ReadonlyMap<string, string>;
    classifications?: ReadonlyMap<string, Classification>;
  };
  /** Behavioural detection (findings, incidents, coverage): on unless false. */
  detect?: Omit<AnalysisDetectionOptions, 'problems'> | false;
  /** Alert triage (alarms; needs the store): on unless false; the user's asset inventory when given. */
  triage?: { inventory?: Inventory } | false;
}

export type EventFormat = 'picket' | 'ocsf' | 'ecs';
export interface InputSummary {
  path: string;
  /** pcap, pcapng, or log:<reader> (firewall, sshd, weblog, syslog). */
  format: string;
  bytes: number;
  packets: number;
  flows: number;
  /** Text logs: lines read and events made. */
  lines?: number;
  events?: number;
  /** Nmap XML: hosts stored as asset observations. */
  assets?: number;
}

export interface AnalyzeSummary {
  inputs: InputSummary[];
  unrecognised: Unrecognised[];
  packets: number;
  bytes: number;
  flows: number;
  flowsByState: Record<string, number>;
  flowsByProto: Record<string, number>;
  topTalkers: { addr: string; flows: number; bytes: number }[];
  http: number;
  ssh: number;
  /** Normalized events from logs, in all and by type (the type summary's rows). */
  events: number;
  eventsByType: Record<string, number>;
  /** Asset observations (hosts) read from Nmap XML. */
  assets: number;
  /** Rule alerts raised on the captures, by `sid msg`. */
  alerts: number;
  alertsBySignature: Record<string, number>;
  /** Behavioural findings by kind, incidents, and the site's missing kinds of evidence. */
  findings: number;
  findingsByKind: Record<string, number>;
  incidents: number;
  /** The ten most severe incidents, for the terminal. */
  topIncidents: {
    uid: string;
    src: string;
    title: string;
    severityId: number;
    sawBy: string[];
    missedBy: string[];
  }[];
  /** Alarms from triage of the run's alerts. */
  triage?: TriageSummary;
  coverage?: { present: string[]; missing: { sourceKind: string; wouldShow: string }[] };
  rules?: { source: string; loaded: number; rejected: number; regexBounded: number; flowsEvicted: number };
  decode: DecodeStats[];
  reassembly: ReassemblyStats;
  problems: { total: number; byCode: Record<string, number>; samples: Problem[] };
  outputs: Record<string, string>;
  runId?: number;
  elapsedMs: number;
}
