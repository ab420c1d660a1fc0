/**
 * Opening a store from a user-given spec. The barrel: other folders import
 * from here, not from the backends.
 */
import { join } from 'node:path';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/open.js';
import type { Store } from './store.js';

export { StoreVersionError } from './migrations/apply.js';
export { latestSchemaVersion } from './migrations/list.js';
export type { SqliteStore, SqliteStoreOptions } from './sqlite/open.js';
export { openSqliteStore } from './sqlite/open.js';
export type * from './store.js';

/** Where Picket keeps its database unless told otherwise, relative to the current directory. */
export const DEFAULT_STORE_PATH = join('.picket', 'picket.db');

/**
 * Opens the store a spec names: `sqlite:PATH` or a plain path for SQLite
 * (the default, `.picket/picket.db`, when the spec is empty). `clickhouse://`
 * is reserved for the scale-out backend. Writes go through a writer thread
 * unless `opts.writer` says 'inline' (the thread starts on the first write,
 * so query-only use never starts one).
 *
 * @example
 * const store = await openStore('sqlite:/var/lib/picket/picket.db');
 */
export async function openStore(spec = '', opts: SqliteStoreOptions = {}): Promise<Store> {
  if (/^clickhouse:/i.test(spec)) {
    throw new Error(
      `store ${spec}: the ClickHouse backend is not available yet; use sqlite:PATH or a file path`,
    );
  }
  let path = spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : spec;
  if (path.startsWith('//')) path = path.slice(2); // tolerate sqlite://PATH
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new Error(`store ${spec}: unknown store kind; use sqlite:PATH or a file path`);
  }
  return openSqliteStore(path === '' ? DEFAULT_STORE_PATH : path, { writer: 'worker', ...opts });
}
