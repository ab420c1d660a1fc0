/**
 * Migration 8: alarms (triaged IDS alerts, one per rule, source and target).
 * The whole Alarm is kept as JSON; the columns are what `picket alarms`
 * filters on, plus `ts`, `uid` and the addresses so views can pivot (house
 * rule 5).
 */
import type { Migration } from './list.js';

export const alarmsMigration: Migration = {
  version: 8,
  description: 'alarms (whole record as JSON; src, dst, sid, disposition, priority, time and run columns)',
  // (src, ts) and (dst, ts) answer "alarms of this host"; ts alone a time window; run_id "the latest run".
  up: `
    CREATE TABLE alarms (
      uid TEXT NOT NULL UNIQUE,
      ts REAL NOT NULL,
      last_seen REAL NOT NULL,
      src TEXT NOT NULL,
      dst TEXT NOT NULL,
      dst_port INTEGER,
      sid INTEGER,
      disposition TEXT NOT NULL,
      priority TEXT NOT NULL,
      run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      data TEXT NOT NULL
    ) STRICT;
    CREATE INDEX alarms_by_src ON alarms(src, ts);
    CREATE INDEX alarms_by_dst ON alarms(dst, ts);
    CREATE INDEX alarms_by_ts ON alarms(ts);
    CREATE INDEX alarms_by_run ON alarms(run_id);
  `,
};
