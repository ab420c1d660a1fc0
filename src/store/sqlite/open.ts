import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, checkSchemaVersion, StoreVersionError } from '../migrations/apply.js';
import { latestSchemaVersion } from '../migrations/list.js';
import type { Store } from '../store.js';
import { createSqliteStore } from './store.js';
import { withWriterThread } from './worker-store.js';

/**
 * Settings for a connection that writes in bulk: a 64 MiB page cache (the
 * default 2 MiB thrashes once the uid and address indices outgrow it, and
 * random-order uid inserts then touch a different page each), and temporary
 * b-trees in memory.
 */
export function tuneForWriting(db: Database.Database): void {
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
}

export interface SqliteStoreOptions {
  /**
   * How long a write waits for another process's write to finish before
   * failing, in ms. Writers hold the lock for one batch (~tens of ms), so the
   * default is generous.
   */
  busyTimeoutMs?: number;
  /** Rows per write transaction; a write call of up to this many rows is atomic. */
  batchSize?: number;
  /** Open for reading only: no migrations, no journal change; the file must exist and be current. */
  readonly?: boolean;
  /**
   * Who commits flow/HTTP/SSH writes: 'inline' (default) on the caller's
   * thread, a write call resolving once committed; or 'worker', a writer
   * thread with its own connection, a write call resolving once handed over
   * (see `withWriterThread`), which frees the caller's thread for decoding.
   * ':memory:' databases are always inline.
   */
  writer?: 'inline' | 'worker';
}

export interface SqliteStore extends Store {
  readonly path: string;
}

/**
 * Opens (creating if needed) a Picket SQLite database and brings its schema up
 * to date.
 *
 * - WAL journal: readers never block the writer and several processes (a live
 *   collector and a CLI run) can share the file.
 * - synchronous=NORMAL: in WAL mode a commit is then safe against a crash of
 *   the process (the data is in the OS's hands) and the file never corrupts;
 *   only a power loss or OS crash can drop the last few commits. That saves an
 *   fsync per batch, and everything in the store can be re-derived from input.
 * - busy_timeout: a second writer waits for the lock instead of failing.
 * - a bigger page cache for bulk writes (`tuneForWriting`).
 * - optionally a writer thread (`writer: 'worker'`).
 *
 * @example
 * const store = openSqliteStore('.picket/picket.db');
 */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): SqliteStore {
  const memory = path === ':memory:' || path === '';
  const timeout = opts.busyTimeoutMs ?? 30_000;
  if (opts.readonly) {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout });
    try {
      const version = checkSchemaVersion(db, path);
      if (version < latestSchemaVersion) {
        throw new StoreVersionError(
          `${path} has schema version ${version}, older than this Picket's ${latestSchemaVersion}; ` +
            'open it once for writing (e.g. run `picket analyze`) to upgrade it.',
        );
      }
      db.pragma('foreign_keys = ON');
    } catch (err) {
      db.close();
      throw err;
    }
    return createSqliteStore(db, path, opts.batchSize ?? 10_000);
  }

  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout });
  try {
    // Refuse a foreign or newer file before touching its header.
    checkSchemaVersion(db, path);
    db.pragma('journal_mode = WAL');
    tuneForWriting(db);
    applyMigrations(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  const batchSize = opts.batchSize ?? 10_000;
  const store = createSqliteStore(db, path, batchSize);
  if (opts.writer !== 'worker' || memory) return store;
  return withWriterThread(store, { path, busyTimeoutMs: timeout, batchSize });
}
