/**
 * Migration 7: findings and incidents. Each row keeps the whole record as
 * JSON plus the columns queries filter on; `ts`, `uid` and the acting address
 * (`src`) are there so any view can pivot to flows and events (house rule 5).
 */
import type { Migration } from './list.js';

export const findingsMigration: Migration = {
  version: 7,
  description: 'findings and incidents (whole record as JSON; src, kind, time and run columns for queries)',
  // (src, ts) answers "what did this address do"; ts alone answers time windows; run_id "the latest run".
  // run_id is the run that last wrote the row (re-analysis moves it to the newer run).
  up: `
    CREATE TABLE findings (
      uid TEXT NOT NULL UNIQUE,
      ts REAL NOT NULL,
      last_seen REAL NOT NULL,
      src TEXT NOT NULL,
      kind TEXT NOT NULL,
      source_kind TEXT NOT NULL,
      severity_id INTEGER NOT NULL,
      run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      data TEXT NOT NULL
    ) STRICT;
    CREATE INDEX findings_by_src ON findings(src, ts);
    CREATE INDEX findings_by_ts ON findings(ts);
    CREATE INDEX findings_by_run ON findings(run_id);

    CREATE TABLE incidents (
      uid TEXT NOT NULL UNIQUE,
      ts REAL NOT NULL,
      last_seen REAL NOT NULL,
      src TEXT NOT NULL,
      severity_id INTEGER NOT NULL,
      title TEXT NOT NULL,
      run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      data TEXT NOT NULL
    ) STRICT;
    CREATE INDEX incidents_by_src ON incidents(src, ts);
    CREATE INDEX incidents_by_ts ON incidents(ts);
    CREATE INDEX incidents_by_run ON incidents(run_id);
  `,
};
