import type { Alarm, Disposition, Priority } from '../schema/alarm.js';
import type { Asset } from '../schema/asset.js';
import type { Event, EventType, SourceKind } from '../schema/event.js';
import type { Finding, FindingKind, Incident } from '../schema/finding.js';
import type { FlowRecord } from '../schema/flow.js';
import type { Problem } from '../schema/problem.js';
import type { HttpTransaction, SshBanner } from '../schema/session.js';

/** One file a run read, recorded so a later run can tell whether it changed. */
export interface RunInput {
  path: string;
  size: number;
  /** Modification time, seconds since the epoch, when known. */
  mtime?: number;
  /** Content fingerprint (e.g. a hash of the file), the key for "already analysed". */
  fingerprint: string;
}

/** A run as stored: what was asked, what it read and, once finished, its summary. */
export interface RunRecord {
  id: number;
  command: string;
  /** Seconds since the epoch. */
  startedAt: number;
  /** Undefined while running, or when the run died before finishing. */
  finishedAt?: number;
  summary?: Record<string, unknown>;
  inputs: RunInput[];
}

/** Filters for flow queries. Every field narrows; none means all flows. */
export interface FlowQuery {
  /** Originator address (Zeek's id.orig_h), exact text match. */
  src?: string;
  /** Responder address (id.resp_h), exact text match. */
  dst?: string;
  /** Either side's address. */
  host?: string;
  /** Responder port (the service port). */
  port?: number;
  proto?: FlowRecord['proto'];
  /** Inclusive lower bound on `ts`, seconds. */
  since?: number;
  /** Exclusive upper bound on `ts`, seconds. */
  until?: number;
  connState?: string;
  /** At most this many rows (default 1000, at most 1,000,000); flows come back oldest first, ties by uid. */
  limit?: number;
}

/** Filters for aggregate queries: like FlowQuery, without a row limit. */
export type FlowFilter = Omit<FlowQuery, 'limit'>;

export interface TalkerQuery extends FlowFilter {
  limit: number;
  /** Rank by number of flows or by IP-level bytes in both directions. */
  by: 'flows' | 'bytes';
  /** Which address to group on: the originator (default; scanners) or the responder. */
  side?: 'orig' | 'resp';
}

export interface Talker {
  addr: string;
  flows: number;
  /** origIpBytes + respIpBytes summed over the address's flows. */
  bytes: number;
}

export interface StoreStats {
  flows: number;
  http: number;
  ssh: number;
  events: number;
  /** Asset observations (every scan of every host). */
  assets: number;
  runs: number;
  schemaVersion: number;
}

/** Filters on normalized events; all given fields must hold. Times in epoch seconds, `until` exclusive. */
export interface EventFilter {
  src?: string;
  dst?: string;
  /** Either side. */
  host?: string;
  type?: EventType;
  sourceKind?: SourceKind;
  since?: number;
  until?: number;
}

/** One cell of a type summary: how many records of a type one source kind had in one time bucket. */
export interface TypeSummaryCell {
  /** Bucket start, epoch seconds. */
  bucket: number;
  type: string;
  sourceKind: string;
  count: number;
}

export interface EventQuery extends EventFilter {
  /** Default 1000, at most 1,000,000. */
  limit?: number;
}

/**
 * Filters on findings. Times select records whose span [ts, lastSeen] meets
 * [since, until): `lastSeen >= since` and `ts < until`.
 */
export interface FindingQuery {
  /** The acting address or group label, exact text. */
  src?: string;
  kind?: FindingKind;
  since?: number;
  until?: number;
  /** Only rows last written by this run. */
  runId?: number;
  /** Default 1000, at most 1,000,000; oldest first, ties by uid. */
  limit?: number;
}

/** Filters on incidents; times as in FindingQuery. */
export type IncidentQuery = Omit<FindingQuery, 'kind'>;

/** Filters on alarms; all given fields must hold. Times as in FindingQuery (span overlap). */
export interface AlarmQuery {
  /** The attacking address, exact text. */
  src?: string;
  /** The target address, exact text. */
  dst?: string;
  sid?: number;
  disposition?: Disposition;
  priority?: Priority;
  since?: number;
  until?: number;
  /** Only rows last written by this run. */
  runId?: number;
  /** Default 1000, at most 1,000,000; oldest first, ties by uid. */
  limit?: number;
}

/** The problems a run reported: every count and the kept samples. */
export interface RunProblems {
  counts: Record<string, number>;
  samples: Problem[];
}

/**
 * Where Picket keeps what it derives. Every method returns a Promise so that
 * a network backend (ClickHouse) fits the same shape; the SQLite backend does
 * its work synchronously and returns settled promises.
 *
 * Writes are upserts on natural keys (flow uid; http uid + transDepth; ssh
 * uid), so analysing the same input twice stores everything once.
 *
 * @example
 * const store = await openStore('.picket/picket.db');
 * const run = await store.beginRun({ command: 'analyze x.pcap', inputs: [] });
 * await store.writeFlows(flows);
 * await store.finishRun(run, { flows: flows.length });
 * await store.close();
 */
export interface Store {
  /** Records a run and the inputs it reads; returns the run id. */
  beginRun(info: { command: string; inputs: RunInput[] }): Promise<number>;
  /** Marks a run finished and stores its summary (plain JSON-able data). */
  finishRun(runId: number, summary: Record<string, unknown>): Promise<void>;
  /** The most recent runs, newest first. */
  runs(q?: { limit?: number }): Promise<RunRecord[]>;
  /** Finished runs that read an input with this fingerprint, newest first. */
  runsForFingerprint(fingerprint: string): Promise<RunRecord[]>;

  /** Upserts flows by uid. Calls of up to the backend's batch size are atomic. */
  writeFlows(flows: readonly FlowRecord[]): Promise<void>;
  /** Upserts HTTP transactions by (uid, transDepth). */
  writeHttp(txs: readonly HttpTransaction[]): Promise<void>;
  /** Upserts SSH banners by uid. */
  writeSsh(banners: readonly SshBanner[]): Promise<void>;
  /** Upserts normalized events by uid. */
  writeEvents(events: readonly Event[]): Promise<void>;
  /** Upserts asset observations (one host as one scan saw it) by uid. */
  writeAssets(assets: readonly Asset[]): Promise<void>;
  /** Upserts findings by uid, noting the run that wrote them (when given). */
  writeFindings(findings: readonly Finding[], runId?: number): Promise<void>;
  /** Upserts incidents by uid, noting the run that wrote them (when given). */
  writeIncidents(incidents: readonly Incident[], runId?: number): Promise<void>;
  /** Upserts alarms by uid, noting the run that wrote them (when given). */
  writeAlarms(alarms: readonly Alarm[], runId?: number): Promise<void>;
  /**
   * Resolves once every write made so far is committed (and rejects with the
   * first write error, if one happened since the last flush). Writes may be
   * committed asynchronously, e.g. by a writer thread; reads and close()
   * flush first, so a caller always reads its own writes.
   */
  flush(): Promise<void>;
  /** Replaces the run's stored problem counts and samples with these. */
  writeProblems(
    runId: number,
    counts: ReadonlyMap<string, number>,
    samples: readonly Problem[],
  ): Promise<void>;
  problems(runId: number): Promise<RunProblems>;

  flow(uid: string): Promise<FlowRecord | undefined>;
  flows(q?: FlowQuery): Promise<FlowRecord[]>;
  /** The connection's HTTP transactions in order of transDepth. */
  httpFor(uid: string): Promise<HttpTransaction[]>;
  sshFor(uid: string): Promise<SshBanner | undefined>;
  countFlowsByState(q?: FlowFilter): Promise<Record<string, number>>;
  /** Events in time order. */
  events(q?: EventQuery): Promise<Event[]>;
  /** Event counts by type. */
  countEvents(q?: EventFilter): Promise<Record<string, number>>;
  /**
   * The latest observation of each address (by observation time, ties by
   * uid), with its services; of one address when given (any text form of
   * an IP address). Addresses in text order, at most `limit` (default 1000).
   */
  assets(address?: string, limit?: number): Promise<Asset[]>;
  /**
   * The type summary: counts per time bucket, type and source kind over events
   * and capture flows (a flow counts as `connection`, or `connection-refused`
   * when rejected), for the addresses the filter names. `type` and
   * `sourceKind` filters are not applied here.
   */
  typeSummary(q: EventFilter, bucketSeconds: number): Promise<TypeSummaryCell[]>;
  topTalkers(q: TalkerQuery): Promise<Talker[]>;
  /** Findings in time order (ts, then uid). */
  queryFindings(q?: FindingQuery): Promise<Finding[]>;
  /** Incidents in time order (ts, then uid). */
  queryIncidents(q?: IncidentQuery): Promise<Incident[]>;
  /** Alarms in time order (ts, then uid). */
  queryAlarms(q?: AlarmQuery): Promise<Alarm[]>;
  /** One alarm by uid. */
  alarm(uid: string): Promise<Alarm | undefined>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
