import type Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './list.js';

/** Written to the file header (`PRAGMA application_id`) so Picket can tell its own databases: "PKT1". */
export const PICKET_APPLICATION_ID = 0x504b5431;

/** Thrown when a database file cannot be used as it is; the message says what to do. */
export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}

/** Reads the file's schema version and refuses files that are not Picket's or are newer than this code. */
export function checkSchemaVersion(
  db: Database.Database,
  where: string,
  list: readonly Migration[] = allMigrations,
): number {
  const latest = list[list.length - 1]?.version ?? 0;
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== PICKET_APPLICATION_ID) {
    throw new StoreVersionError(
      `${where} is not a Picket database (application_id ${appId}); point Picket at another file with --db`,
    );
  }
  if (appId === 0 && version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0) {
      throw new StoreVersionError(
        `${where} is an SQLite database that Picket did not create; point Picket at another file with --db`,
      );
    }
  }
  if (version > latest) {
    throw new StoreVersionError(
      `${where} has schema version ${version}, but this Picket understands versions up to ${latest}: ` +
        'it was written by a newer Picket. Upgrade Picket (npm install -g picket@latest), ' +
        'or point this one at another database file with --db. The file was not changed.',
    );
  }
  return version;
}

/**
 * Brings the database up to the newest migration in `list`, all pending steps
 * in one IMMEDIATE transaction: another process opening the same file at the
 * same moment waits on the lock, re-reads the version and finds nothing to do.
 * Returns the version the file now has.
 *
 * @example
 * applyMigrations(db, 'picket.db'); // 0 → latest on a new file
 */
export function applyMigrations(
  db: Database.Database,
  where: string,
  list: readonly Migration[] = allMigrations,
): number {
  const latest = list[list.length - 1]?.version ?? 0;
  if (checkSchemaVersion(db, where, list) === latest) return latest;
  const upgrade = db.transaction(() => {
    const current = checkSchemaVersion(db, where, list);
    for (const m of list) {
      if (m.version <= current) continue;
      try {
        db.exec(m.up);
      } catch (err) {
        throw new Error(
          `${where}: migration ${m.version} (${m.description}) failed: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      db.pragma(`user_version = ${m.version}`);
    }
    db.pragma(`application_id = ${PICKET_APPLICATION_ID}`);
  });
  upgrade.immediate();
  return latest;
}
