/**
 * The write half of the SQLite store: upserts in IMMEDIATE transactions of at
 * most `batchSize` rows. Used on the caller's thread (inline writer) and in
 * the writer thread, which also takes flows in packed form.
 */
import type Database from 'better-sqlite3';
import type { Asset } from '../../schema/asset.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { forEachPackedEvent, type PackedEvents, packedEventUid } from './event-pack.js';
import { forEachPackedFlow, type PackedFlows, packedUid } from './flow-pack.js';
import {
  assetColumns,
  assetParams,
  eventColumns,
  eventParams,
  flowColumns,
  flowParams,
  httpColumns,
  httpParams,
  sshColumns,
  sshParams,
  upsertSql,
} from './rows.js';

export interface SqliteWriters {
  flows(rows: readonly FlowRecord[]): void;
  /** One packed batch, in one transaction whatever its size. */
  packedFlows(p: PackedFlows): void;
  http(rows: readonly HttpTransaction[]): void;
  ssh(rows: readonly SshBanner[]): void;
  events(rows: readonly Event[]): void;
  /** One packed batch of events, in one transaction whatever its size. */
  packedEvents(p: PackedEvents): void;
  assets(rows: readonly Asset[]): void;
}

/** Prepares the upserts once and returns the batch writers. */
export function sqliteWriters(db: Database.Database, batchSize: number): SqliteWriters {
  const upsertFlow = db.prepare(upsertSql('flows', flowColumns, ['uid']));
  const upsertHttp = db.prepare(upsertSql('http', httpColumns, ['uid', 'trans_depth']));
  const upsertSsh = db.prepare(upsertSql('ssh', sshColumns, ['uid']));
  const upsertEvent = db.prepare(upsertSql('events', eventColumns, ['uid']));
  const upsertAsset = db.prepare(upsertSql('assets', assetColumns, ['uid']));

  function batched<T>(st: Database.Statement, params: (row: T) => unknown[], key: (row: T) => string) {
    const write = db.transaction((rows: readonly T[], from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const row = rows[i]!;
        try {
          st.run(params(row));
        } catch (err) {
          throw cannotWrite(key(row), err);
        }
      }
    });
    return (rows: readonly T[]) => {
      for (let from = 0; from < rows.length; from += batchSize) {
        write.immediate(rows, from, Math.min(rows.length, from + batchSize));
      }
    };
  }

  const writePacked = db.transaction((p: PackedFlows) => {
    forEachPackedFlow(p, (params, i) => {
      try {
        upsertFlow.run(params);
      } catch (err) {
        throw cannotWrite(`flow ${packedUid(p, i)}`, err);
      }
    });
  });

  const writePackedEvents = db.transaction((p: PackedEvents) => {
    forEachPackedEvent(p, (params, i) => {
      try {
        upsertEvent.run(params);
      } catch (err) {
        throw cannotWrite(`event ${packedEventUid(p, i)}`, err);
      }
    });
  });

  return {
    flows: batched<FlowRecord>(upsertFlow, flowParams, (f) => `flow ${f.uid}`),
    packedFlows: (p) => writePacked.immediate(p),
    http: batched<HttpTransaction>(upsertHttp, httpParams, (t) => `http ${t.uid}#${t.transDepth}`),
    ssh: batched<SshBanner>(upsertSsh, sshParams, (b) => `ssh ${b.uid}`),
    events: batched<Event>(upsertEvent, eventParams, (e) => `event ${e.uid}`),
    packedEvents: (p) => writePackedEvents.immediate(p),
    assets: batched<Asset>(upsertAsset, assetParams, (a) => `asset ${a.uid}`),
  };
}

// Our own records should always fit; a failure here is a bug upstream, so name the record.
function cannotWrite(what: string, err: unknown): Error {
  return new Error(`store: cannot write ${what}: ${(err as Error).message}`, { cause: err });
}
