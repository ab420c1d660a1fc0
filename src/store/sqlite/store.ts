import type Database from 'better-sqlite3';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import type { FlowFilter, FlowQuery, Talker, TalkerQuery } from '../store.js';
import { flowWhere, statementCache } from './filter.js';
import type { SqliteStore } from './open.js';
import {
  type FlowRow,
  flowColumns,
  flowFromRow,
  flowParams,
  flowSelect,
  type HttpRow,
  httpColumns,
  httpFromRow,
  httpParams,
  httpSelect,
  sshColumns,
  sshParams,
  sshSelect,
  upsertSql,
} from './rows.js';
import { sqliteRuns } from './runs.js';

const DEFAULT_LIMIT = 1000;
/** A query result is held in memory; past this the caller should narrow by time. */
export const MAX_LIMIT = 1_000_000;

/**
 * The Store over an open, migrated better-sqlite3 handle. Fixed statements
 * are prepared here once; filtered queries once per filter shape.
 */
export function createSqliteStore(db: Database.Database, path: string, batchSize: number): SqliteStore {
  const upsertFlow = db.prepare(upsertSql('flows', flowColumns, ['uid']));
  const upsertHttp = db.prepare(upsertSql('http', httpColumns, ['uid', 'trans_depth']));
  const upsertSsh = db.prepare(upsertSql('ssh', sshColumns, ['uid']));
  const flowByUid = db.prepare(`SELECT ${flowSelect} FROM flows WHERE uid = ?`);
  const httpByUid = db.prepare(`SELECT ${httpSelect} FROM http WHERE uid = ? ORDER BY trans_depth`);
  const sshByUid = db.prepare(`SELECT ${sshSelect} FROM ssh WHERE uid = ?`);
  const counts = db.prepare(
    'SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM http) AS http, ' +
      '(SELECT count(*) FROM ssh) AS ssh, (SELECT count(*) FROM runs) AS runs',
  );
  const cached = statementCache(db);
  const runs = sqliteRuns(db);
  let open = true;

  /** Writes rows in IMMEDIATE transactions of at most `batchSize` rows. */
  function batched<T>(st: Database.Statement, params: (row: T) => unknown[], key: (row: T) => string) {
    const write = db.transaction((rows: readonly T[], from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const row = rows[i]!;
        try {
          st.run(params(row));
        } catch (err) {
          // Our own records should always fit; a failure here is a bug upstream, so name the record.
          throw new Error(`store: cannot write ${key(row)}: ${(err as Error).message}`, { cause: err });
        }
      }
    });
    return (rows: readonly T[]) => {
      for (let from = 0; from < rows.length; from += batchSize) {
        write.immediate(rows, from, Math.min(rows.length, from + batchSize));
      }
    };
  }
  const writeFlows = batched<FlowRecord>(upsertFlow, flowParams, (f) => `flow ${f.uid}`);
  const writeHttp = batched<HttpTransaction>(upsertHttp, httpParams, (t) => `http ${t.uid}#${t.transDepth}`);
  const writeSsh = batched<SshBanner>(upsertSsh, sshParams, (b) => `ssh ${b.uid}`);

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

  return {
    path,
    beginRun: async (info) => runs.begin(info.command, info.inputs),
    finishRun: async (runId, summary) => runs.finish(runId, summary),
    runs: async (q) => runs.recent(clampLimit(q?.limit ?? 20)),
    runsForFingerprint: async (fp) => runs.withFingerprint(fp),
    writeFlows: async (flows) => writeFlows(flows),
    writeHttp: async (txs) => writeHttp(txs),
    writeSsh: async (banners) => writeSsh(banners),
    writeProblems: async (runId, c, samples) => runs.writeProblems(runId, c, samples),
    problems: async (runId) => runs.problems(runId),
    flow: async (uid) => {
      const row = flowByUid.get(uid) as FlowRow | undefined;
      return row && flowFromRow(row);
    },
    flows: async (q) => flowsMatching(q),
    httpFor: async (uid) => (httpByUid.all(uid) as HttpRow[]).map(httpFromRow),
    sshFor: async (uid) => sshByUid.get(uid) as SshBanner | undefined,
    countFlowsByState: async (q) => countByState(q),
    topTalkers: async (q) => topTalkers(q),
    stats: async () => {
      const c = counts.get() as { flows: number; http: number; ssh: number; runs: number };
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
