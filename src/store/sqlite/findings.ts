/**
 * Findings and incidents in SQLite: upserts on uid in one IMMEDIATE
 * transaction per call, and filtered reads. Few rows per run, so they are
 * written on the caller's connection (the writer thread is for bulk rows).
 */
import type Database from 'better-sqlite3';
import type { Finding, Incident } from '../../schema/finding.js';
import type { FindingQuery, IncidentQuery } from '../store.js';
import { statementCache } from './filter.js';

const findingTerms: readonly [keyof FindingQuery, string][] = [
  ['src', 'src = ?'],
  ['kind', 'kind = ?'],
  ['since', 'last_seen >= ?'],
  ['until', 'ts < ?'],
  ['runId', 'run_id = ?'],
];

function where(q: FindingQuery | undefined, allowed: readonly [keyof FindingQuery, string][]) {
  const parts: string[] = [];
  const params: unknown[] = [];
  let shape = '';
  for (const [field, sql] of allowed) {
    const v = q?.[field];
    if (v === undefined || field === 'limit') continue;
    shape += `${field},`;
    parts.push(sql);
    params.push(v);
  }
  return { shape, sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

export interface SqliteFindings {
  writeFindings(rows: readonly Finding[], runId: number | undefined): void;
  writeIncidents(rows: readonly Incident[], runId: number | undefined): void;
  findings(q: FindingQuery | undefined, limit: number): Finding[];
  incidents(q: IncidentQuery | undefined, limit: number): Incident[];
}

/** Prepares the statements once. */
export function sqliteFindings(db: Database.Database): SqliteFindings {
  // A re-analysis without a run id keeps the row's run; with one, the row moves to the newer run.
  const upsertFinding = db.prepare(
    'INSERT INTO findings (uid, ts, last_seen, src, kind, source_kind, severity_id, run_id, data) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET ts = excluded.ts, ' +
      'last_seen = excluded.last_seen, src = excluded.src, kind = excluded.kind, source_kind = excluded.source_kind, ' +
      'severity_id = excluded.severity_id, run_id = coalesce(excluded.run_id, run_id), data = excluded.data',
  );
  const upsertIncident = db.prepare(
    'INSERT INTO incidents (uid, ts, last_seen, src, severity_id, title, run_id, data) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET ts = excluded.ts, ' +
      'last_seen = excluded.last_seen, src = excluded.src, severity_id = excluded.severity_id, ' +
      'title = excluded.title, run_id = coalesce(excluded.run_id, run_id), data = excluded.data',
  );
  const cached = statementCache(db, 64);

  const writeFindings = db.transaction((rows: readonly Finding[], runId: number | null) => {
    for (const f of rows) {
      try {
        upsertFinding.run(
          f.uid,
          f.ts,
          f.lastSeen,
          f.src,
          f.kind,
          f.sourceKind,
          f.severityId,
          runId,
          JSON.stringify(f),
        );
      } catch (err) {
        throw new Error(`store: cannot write finding ${f.uid}: ${(err as Error).message}`, { cause: err });
      }
    }
  });
  const writeIncidents = db.transaction((rows: readonly Incident[], runId: number | null) => {
    for (const i of rows) {
      try {
        upsertIncident.run(i.uid, i.ts, i.lastSeen, i.src, i.severityId, i.title, runId, JSON.stringify(i));
      } catch (err) {
        throw new Error(`store: cannot write incident ${i.uid}: ${(err as Error).message}`, { cause: err });
      }
    }
  });

  function read<T>(table: string, q: FindingQuery | undefined, limit: number): T[] {
    const w = where(q, table === 'findings' ? findingTerms : findingTerms.filter(([f]) => f !== 'kind'));
    const st = cached(
      `${table}:${w.shape}`,
      () => `SELECT data FROM ${table}${w.sql} ORDER BY ts, uid LIMIT ?`,
    );
    return (st.all(...w.params, limit) as { data: string }[]).map((r) => JSON.parse(r.data) as T);
  }

  return {
    writeFindings: (rows, runId) => writeFindings.immediate(rows, runId ?? null),
    writeIncidents: (rows, runId) => writeIncidents.immediate(rows, runId ?? null),
    findings: (q, limit) => read<Finding>('findings', q, limit),
    incidents: (q, limit) => read<Incident>('incidents', q, limit),
  };
}
