import { Worker } from 'node:worker_threads';
import type { FlowRecord } from '../../schema/flow.js';
import type { Store } from '../store.js';
import { packEvents } from './event-pack.js';
import { packFlows } from './flow-pack.js';
import type { SqliteStore } from './open.js';
import type { WriterReply, WriterRequest, WriterThreadData } from './writer-thread.js';

/** Batches handed to the writer thread and not yet committed; bounds memory to this many batches. */
export const MAX_IN_FLIGHT = 8;

/** Built, the thread's entry is a .js sibling. Under tsx (tests, benches) it is .ts, and a
 * worker does not inherit tsx's loader for its entry, so a bootstrap registers it first. */
function spawnWriter(data: WriterThreadData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./writer-thread.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/**
 * Wraps an open (migrated) store so that flow, HTTP, SSH, event and asset writes are
 * committed by a writer thread with its own connection, while the caller's
 * thread goes on decoding. A write call returns once its batch is handed
 * over (waiting while MAX_IN_FLIGHT batches are pending); a failed batch
 * rejects the next write, flush or close. Every other method flushes first,
 * so reads see all earlier writes. The thread starts on the first write, so
 * a store opened only for queries never starts one.
 *
 * @example
 * const store = withWriterThread(openSqliteStore(path), { path, busyTimeoutMs: 30_000, batchSize: 10_000 });
 */
export function withWriterThread(inner: SqliteStore, data: WriterThreadData): SqliteStore {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, () => void>();
  let failure: Error | undefined;
  /** Callers waiting for a free slot or for the queue to empty. */
  let waiters: (() => void)[] = [];
  let closed = false;

  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const fail = (err: Error) => {
    failure ??= err;
    for (const done of pending.values()) done();
    pending.clear();
    wake();
  };

  function start(): Worker {
    const w = spawnWriter(data);
    w.on('message', (r: WriterReply) => {
      const done = pending.get(r.seq);
      pending.delete(r.seq);
      if (r.error !== undefined) failure ??= new Error(r.error);
      done?.();
      if (pending.size === 0) w.unref();
      wake();
    });
    w.on('error', (err) => fail(new Error(`store writer thread failed: ${err.message}`, { cause: err })));
    w.on('exit', (code) => {
      worker = undefined;
      if (pending.size > 0) fail(new Error(`store writer thread exited (code ${code}) with batches pending`));
    });
    return w;
  }

  function takeFailure(): void {
    const err = failure;
    if (err) {
      failure = undefined;
      throw err;
    }
  }

  async function waitUntil(ok: () => boolean): Promise<void> {
    while (!ok() && !failure) await new Promise<void>((r) => waiters.push(r));
  }

  async function send(req: WriterRequest, transfer: ArrayBuffer[] = []): Promise<void> {
    if (closed) throw new Error('store: write after close');
    await waitUntil(() => pending.size < MAX_IN_FLIGHT);
    takeFailure();
    worker ??= start();
    worker.ref();
    const done = new Promise<void>((r) => pending.set(req.seq, r));
    worker.postMessage(req, transfer);
    void done;
  }

  async function flush(): Promise<void> {
    await waitUntil(() => pending.size === 0);
    takeFailure();
  }

  async function writeFlows(flows: readonly FlowRecord[]): Promise<void> {
    for (let from = 0; from < flows.length; from += data.batchSize) {
      const packed = packFlows(flows, from, Math.min(flows.length, from + data.batchSize));
      await send({ seq: ++seq, kind: 'flows', packed }, [
        packed.numbers.buffer as ArrayBuffer,
        packed.lengths.buffer as ArrayBuffer,
      ]);
    }
  }

  /** Runs a read or run-bookkeeping call once every write before it is committed. */
  const after =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      await flush();
      return f(...a);
    };

  const store: SqliteStore = {
    path: inner.path,
    beginRun: after(inner.beginRun),
    finishRun: after(inner.finishRun),
    runs: after(inner.runs),
    runsForFingerprint: after(inner.runsForFingerprint),
    writeFlows,
    writeHttp: async (txs) => {
      for (let from = 0; from < txs.length; from += data.batchSize)
        await send({ seq: ++seq, kind: 'http', rows: txs.slice(from, from + data.batchSize) });
    },
    writeSsh: async (banners) => {
      for (let from = 0; from < banners.length; from += data.batchSize)
        await send({ seq: ++seq, kind: 'ssh', rows: banners.slice(from, from + data.batchSize) });
    },
    writeEvents: async (events) => {
      for (let from = 0; from < events.length; from += data.batchSize) {
        const packed = packEvents(events, from, Math.min(events.length, from + data.batchSize));
        await send({ seq: ++seq, kind: 'packed-events', packed }, [
          packed.numbers.buffer as ArrayBuffer,
          packed.lengths.buffer as ArrayBuffer,
        ]);
      }
    },
    writeAssets: async (assets) => {
      for (let from = 0; from < assets.length; from += data.batchSize)
        await send({ seq: ++seq, kind: 'assets', rows: assets.slice(from, from + data.batchSize) });
    },
    flush,
    // Findings and incidents are few: written on this connection once earlier bulk writes are in.
    writeFindings: after(inner.writeFindings),
    writeIncidents: after(inner.writeIncidents),
    queryFindings: after(inner.queryFindings),
    queryIncidents: after(inner.queryIncidents),
    writeAlarms: after(inner.writeAlarms),
    queryAlarms: after(inner.queryAlarms),
    alarm: after(inner.alarm),
    writeProblems: after(inner.writeProblems),
    problems: after(inner.problems),
    flow: after(inner.flow),
    flows: after(inner.flows),
    httpFor: after(inner.httpFor),
    sshFor: after(inner.sshFor),
    events: after(inner.events),
    countEvents: after(inner.countEvents),
    assets: after(inner.assets),
    typeSummary: after(inner.typeSummary),
    countFlowsByState: after(inner.countFlowsByState),
    topTalkers: after(inner.topTalkers),
    stats: after(inner.stats),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await flush();
      } finally {
        const w = worker;
        if (w) {
          // The thread answers once its connection is closed; then nothing of it is needed.
          const c = ++seq;
          const answered = new Promise<void>((r) => pending.set(c, r));
          w.ref();
          w.postMessage({ seq: c, kind: 'close' } satisfies WriterRequest);
          await answered;
          await w.terminate();
        }
        await inner.close();
      }
    },
  };
  return store satisfies Store;
}
