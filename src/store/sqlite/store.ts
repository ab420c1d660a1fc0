import type Database from 'better-sqlite3';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { SshBanner } from '../../schema/session.js';
import type { EventFilter, FlowFilter, FlowQuery, Talker, TalkerQuery, TypeSummaryCell } from '../store.js';
import { sqliteAlarms } from './alarms.js';
import { sqliteAssets } from './assets.js';
import { eventWhere, flowWhere, statementCache } from './filter.js';
import { sqliteFindings } from './findings.js';
import type { SqliteStore } from './open.js';
import {
  type FlowRow,
  flowFromRow,
  flowSelect,
  type HttpRow,
  httpFromRow,
  httpSelect,
  sshSelect,
} from './rows.js';
import { sqliteRuns } from './runs.js';
import { sqliteWriters } from './writes.js';

const DEFAULT_LIMIT = 1000;
/** A query result is held in memory; past this the caller should narrow by time. */
export const MAX_LIMIT = 1_000_000;

/**
 * The Store over an open, migrated better-sqlite3 handle. Fixed statements
 * are prepared here once; filtered queries once per filter shape.
 */
export function createSqliteStore(db: Database.Database, path: string, batchSize: number): SqliteStore {
  const flowByUid = db.prepare(`SELECT ${flowSelect} FROM flows WHERE uid = ?`);
  const httpByUid = db.prepare(`SELECT ${httpSelect} FROM http WHERE uid = ? ORDER BY trans_depth`);
  const sshByUid = db.prepare(`SELECT ${sshSelect} FROM ssh WHERE uid = ?`);
  const counts = db.prepare(
    'SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM http) AS http, ' +
      '(SELECT count(*) FROM ssh) AS ssh, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM assets) AS assets, ' +
      '(SELECT count(*) FROM runs) AS runs',
  );
  const cached = statementCache(db);
  const runs = sqliteRuns(db);
  const assets = sqliteAssets(db);
  const found = sqliteFindings(db);
  const alarms = sqliteAlarms(db);
  let open = true;

  const writes = sqliteWriters(db, batchSize);

  function flowsMatching(q: FlowQuery = {}): FlowRecord[] {
    const w = flowWhere(q);
    const st = cached(
      `flows:${w.shape}`,
      () => `SELECT ${flowSelect} FROM flows${w.sql} ORDER BY ts, uid LIMIT ?`,
    );
    return (st.all(...w.params, clampLimit(q.limit)) as FlowRow[]).map(flowFromRow);
  }

  function countByState(q?: FlowFilter): Record<string, number> {
    const w = flowWhere(q);
    const st = cached(
      `states:${w.shape}`,
      () =>
        `SELECT conn_state AS state, count(*) AS n FROM flows${w.sql} GROUP BY conn_state ORDER BY conn_state`,
    );
    const out: Record<string, number> = {};
    for (const r of st.all(...w.params) as { state: string; n: number }[]) out[r.state] = r.n;
    return out;
  }

  function topTalkers(q: TalkerQuery): Talker[] {
    const { limit, by, side = 'orig', ...filter } = q;
    const column = side === 'resp' ? 'resp_h' : 'orig_h';
    const order = by === 'bytes' ? 'bytes DESC, flows DESC' : 'flows DESC, bytes DESC';
    const w = flowWhere(filter);
    const st = cached(
      `talkers:${column}:${by}:${w.shape}`,
      () =>
        `SELECT ${column} AS addr, count(*) AS flows, total(orig_ip_bytes + resp_ip_bytes) AS bytes ` +
        `FROM flows${w.sql} GROUP BY ${column} ORDER BY ${order}, addr LIMIT ?`,
    );
    return st.all(...w.params, clampLimit(limit)) as Talker[];
  }

  function typeSummary(q: EventFilter, bucketSeconds: number): TypeSummaryCell[] {
    if (!(bucketSeconds > 0))
      throw new Error(`store: bucket must be a positive number of seconds, got ${bucketSeconds}`);
    const { type: _t, sourceKind: _k, ...where } = q;
    const ew = eventWhere(where);
    const fw = flowWhere({
      src: where.src,
      dst: where.dst,
      host: where.host,
      since: where.since,
      until: where.until,
    });
    const st = cached(
      `type-summary:${ew.shape}`,
      () =>
        'SELECT bucket, type, source_kind AS sourceKind, sum(n) AS count FROM (' +
        `SELECT CAST(ts / ? AS INTEGER) * ? AS bucket, type, source_kind, count(*) AS n FROM events${ew.sql} GROUP BY 1, 2, 3 ` +
        'UNION ALL ' +
        "SELECT CAST(ts / ? AS INTEGER) * ? AS bucket, CASE WHEN conn_state = 'REJ' THEN 'connection-refused' ELSE 'connection' END, " +
        `'pcap', count(*) FROM flows${fw.sql} GROUP BY 1, 2, 3` +
        ') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
    );
    return st.all(
      bucketSeconds,
      bucketSeconds,
      ...ew.params,
      bucketSeconds,
      bucketSeconds,
      ...fw.params,
    ) as TypeSummaryCell[];
  }

  return {
    path,
    beginRun: async (info) => runs.begin(info.command, info.inputs),
    finishRun: async (runId, summary) => runs.finish(runId, summary),
    runs: async (q) => runs.recent(clampLimit(q?.limit ?? 20)),
    runsForFingerprint: async (fp) => runs.withFingerprint(fp),
    writeFlows: async (flows) => writes.flows(flows),
    writeHttp: async (txs) => writes.http(txs),
    writeSsh: async (banners) => writes.ssh(banners),
    writeEvents: async (events) => writes.events(events),
    writeAssets: async (rows) => writes.assets(rows),
    writeFindings: async (rows, runId) => found.writeFindings(rows, runId),
    writeIncidents: async (rows, runId) => found.writeIncidents(rows, runId),
    queryFindings: async (q) => found.findings(q, clampLimit(q?.limit)),
    queryIncidents: async (q) => found.incidents(q, clampLimit(q?.limit)),
    writeAlarms: async (rows, runId) => alarms.write(rows, runId),
    queryAlarms: async (q) => alarms.query(q, clampLimit(q?.limit)),
    alarm: async (uid) => alarms.byUid(uid),
    flush: async () => {},
    writeProblems: async (runId, c, samples) => runs.writeProblems(runId, c, samples),
    problems: async (runId) => runs.problems(runId),
    flow: async (uid) => {
      const row = flowByUid.get(uid) as FlowRow | undefined;
      return row && flowFromRow(row);
    },
    flows: async (q) => flowsMatching(q),
    httpFor: async (uid) => (httpByUid.all(uid) as HttpRow[]).map(httpFromRow),
    sshFor: async (uid) => sshByUid.get(uid) as SshBanner | undefined,
    events: async (q) => {
      const w = eventWhere(q);
      const st = cached(
        `events:${w.shape}`,
        () => `SELECT data FROM events${w.sql} ORDER BY ts, uid LIMIT ?`,
      );
      return (st.all(...w.params, clampLimit(q?.limit)) as { data: string }[]).map(
        (r) => JSON.parse(r.data) as Event,
      );
    },
    assets: async (address, limit) => assets.latest(address, clampLimit(limit)),
    typeSummary: async (q, bucketSeconds) => typeSummary(q, bucketSeconds),
    countEvents: async (q) => {
      const w = eventWhere(q);
      const st = cached(
        `event-types:${w.shape}`,
        () => `SELECT type, count(*) AS n FROM events${w.sql} GROUP BY type ORDER BY type`,
      );
      const out: Record<string, number> = {};
      for (const r of st.all(...w.params) as { type: string; n: number }[]) out[r.type] = r.n;
      return out;
    },
    countFlowsByState: async (q) => countByState(q),
    topTalkers: async (q) => topTalkers(q),
    stats: async () => {
      const c = counts.get() as {
        flows: number;
        http: number;
        ssh: number;
        events: number;
        assets: number;
        runs: number;
      };
      return { ...c, schemaVersion: db.pragma('user_version', { simple: true }) as number };
    },
    close: async () => {
      if (!open) return;
      open = false;
      // Let SQLite refresh planner statistics it judges stale; cheap, and keeps queries on their indices.
      if (!db.readonly) db.pragma('optimize');
      db.close();
    },
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isFinite(limit) || limit < 0)
    throw new Error(`store: limit must be a non-negative number, got ${limit}`);
  if (limit > MAX_LIMIT) {
    throw new Error(
      `store: limit ${limit} is over ${MAX_LIMIT}; narrow the query with since/until and page through`,
    );
  }
  return Math.floor(limit);
}
