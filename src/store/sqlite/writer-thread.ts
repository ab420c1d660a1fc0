/**
 * Entry of the store's writer thread: opens its own connection to the
 * database (already migrated by the opener) and commits each batch it is
 * sent in one transaction, answering `{ seq }` or `{ seq, error }`.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Asset } from '../../schema/asset.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import type { PackedEvents } from './event-pack.js';
import type { PackedFlows } from './flow-pack.js';
import { tuneForWriting } from './open.js';
import { sqliteWriters } from './writes.js';

export interface WriterThreadData {
  path: string;
  busyTimeoutMs: number;
  batchSize: number;
}
export type WriterRequest =
  | { seq: number; kind: 'flows'; packed: PackedFlows }
  | { seq: number; kind: 'http'; rows: HttpTransaction[] }
  | { seq: number; kind: 'ssh'; rows: SshBanner[] }
  | { seq: number; kind: 'packed-events'; packed: PackedEvents }
  | { seq: number; kind: 'assets'; rows: Asset[] }
  | { seq: number; kind: 'close' };
export interface WriterReply {
  seq: number;
  error?: string;
}

const port = parentPort;
if (!port) throw new Error('writer-thread.ts runs as a worker thread only');
const data = workerData as WriterThreadData;
const db = new Database(data.path, { timeout: data.busyTimeoutMs, fileMustExist: true });
tuneForWriting(db);
const writes = sqliteWriters(db, data.batchSize);

/** Batches queued behind the first are committed with it, up to this many: fewer, larger commits. */
const MAX_COALESCED = 8;

function apply(m: WriterRequest): void {
  if (m.kind === 'flows') writes.packedFlows(m.packed);
  else if (m.kind === 'http') writes.http(m.rows);
  else if (m.kind === 'ssh') writes.ssh(m.rows);
  else if (m.kind === 'packed-events') writes.packedEvents(m.packed);
  else if (m.kind === 'assets') writes.assets(m.rows);
}

/** One transaction over several whole batches: a crash keeps or drops each batch entire. */
const applyAll = db.transaction((ms: readonly WriterRequest[]) => {
  for (const m of ms) apply(m);
});

port.on('message', (first: WriterRequest) => {
  if (first.kind === 'close') {
    db.close();
    port.postMessage({ seq: first.seq } satisfies WriterReply);
    return;
  }
  const batch: WriterRequest[] = [first];
  let closeAfter: WriterRequest | undefined;
  while (batch.length < MAX_COALESCED) {
    const next = receiveMessageOnPort(port)?.message as WriterRequest | undefined;
    if (!next) break;
    if (next.kind === 'close') {
      closeAfter = next;
      break;
    }
    batch.push(next);
  }
  try {
    applyAll.immediate(batch);
    for (const m of batch) port.postMessage({ seq: m.seq } satisfies WriterReply);
  } catch {
    // Redo one by one so that only the failing batch is lost and its error reaches the caller.
    for (const m of batch) {
      const reply: WriterReply = { seq: m.seq };
      try {
        applyAll.immediate([m]);
      } catch (err) {
        reply.error = (err as Error).message;
      }
      port.postMessage(reply);
    }
  }
  if (closeAfter) {
    db.close();
    port.postMessage({ seq: closeAfter.seq } satisfies WriterReply);
  }
});
