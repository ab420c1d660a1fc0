/**
 * Alarms in SQLite: upserts on uid in one IMMEDIATE transaction per call,
 * filtered reads, and one alarm by uid. Few rows per run, so they are written
 * on the caller's connection (the writer thread is for bulk rows).
 */
import type Database from 'better-sqlite3';
import type { Alarm } from '../../schema/alarm.js';
import type { AlarmQuery } from '../store.js';
import { statementCache } from './filter.js';

const terms: readonly [keyof AlarmQuery, string][] = [
  ['src', 'src = ?'],
  ['dst', 'dst = ?'],
  ['sid', 'sid = ?'],
  ['disposition', 'disposition = ?'],
  ['priority', 'priority = ?'],
  ['since', 'last_seen >= ?'],
  ['until', 'ts < ?'],
  ['runId', 'run_id = ?'],
];

export interface SqliteAlarms {
  write(rows: readonly Alarm[], runId: number | undefined): void;
  query(q: AlarmQuery | undefined, limit: number): Alarm[];
  byUid(uid: string): Alarm | undefined;
}

/** Prepares the statements once; filtered reads once per filter shape. */
export function sqliteAlarms(db: Database.Database): SqliteAlarms {
  // A re-analysis without a run id keeps the row's run; with one, the row moves to the newer run.
  const upsert = db.prepare(
    'INSERT INTO alarms (uid, ts, last_seen, src, dst, dst_port, sid, disposition, priority, run_id, data) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET ts = excluded.ts, ' +
      'last_seen = excluded.last_seen, src = excluded.src, dst = excluded.dst, dst_port = excluded.dst_port, ' +
      'sid = excluded.sid, disposition = excluded.disposition, priority = excluded.priority, ' +
      'run_id = coalesce(excluded.run_id, run_id), data = excluded.data',
  );
  const one = db.prepare('SELECT data FROM alarms WHERE uid = ?');
  const cached = statementCache(db, 64);

  const write = db.transaction((rows: readonly Alarm[], runId: number | null) => {
    for (const a of rows) {
      try {
        upsert.run(
          a.uid,
          a.ts,
          a.lastSeen,
          a.src,
          a.dst,
          a.dstPort ?? null,
          a.sid ?? null,
          a.disposition,
          a.priority,
          runId,
          JSON.stringify(a),
        );
      } catch (err) {
        throw new Error(`store: cannot write alarm ${a.uid}: ${(err as Error).message}`, { cause: err });
      }
    }
  });

  return {
    write: (rows, runId) => write.immediate(rows, runId ?? null),
    query(q, limit) {
      const parts: string[] = [];
      const params: unknown[] = [];
      let shape = '';
      for (const [field, sql] of terms) {
        const v = q?.[field];
        if (v === undefined) continue;
        shape += `${field},`;
        parts.push(sql);
        params.push(v);
      }
      const where = parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
      const st = cached(`alarms:${shape}`, () => `SELECT data FROM alarms${where} ORDER BY ts, uid LIMIT ?`);
      return (st.all(...params, limit) as { data: string }[]).map((r) => JSON.parse(r.data) as Alarm);
    },
    byUid(uid) {
      const row = one.get(uid) as { data: string } | undefined;
      return row && (JSON.parse(row.data) as Alarm);
    },
  };
}
