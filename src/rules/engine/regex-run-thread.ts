/**
 * The main thread's side of the regex worker: a synchronous call with a
 * time bound. The request goes on a MessagePort, the worker is woken
 * through a shared Int32Array, and this thread blocks in Atomics.wait until
 * the reply's sequence number appears or the time is up; then the worker is
 * terminated (V8 interrupts a running RegExp) and the next call starts a
 * new one.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { READY, REPLY_SEQ, REQUEST_SEQ, type RegexReply, type RegexRequest } from './regex-run-worker.js';

/** Time a starting worker gets to report ready (tsx under tests is slow to load). */
const STARTUP_MS = 20_000;

interface RegexThread {
  worker: Worker;
  ctl: Int32Array;
  port: MessagePort;
  seq: number;
}

let current: RegexThread | undefined;
/** Counts worker starts (the first, and one after each timeout). */
export const regexThreadStats = { starts: 0 };

function spawn(): RegexThread {
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  const { port1, port2 } = new MessageChannel();
  const workerData = { ctl, port: port2 };
  const opts = { workerData, transferList: [port2] };
  let worker: Worker;
  if (!import.meta.url.endsWith('.ts')) {
    worker = new Worker(new URL('./regex-run-worker.js', import.meta.url), opts);
  } else {
    // Under tsx a worker does not inherit the loader, so a bootstrap registers it first.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./regex-run-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    worker = new Worker(boot, { ...opts, eval: true });
  }
  worker.unref();
  // A terminated worker's exit event needs no handling; errors surface as timeouts.
  worker.on('error', () => {});
  regexThreadStats.starts++;
  if (Atomics.wait(ctl, READY, 0, STARTUP_MS) === 'timed-out')
    throw new Error(`regex worker did not start within ${STARTUP_MS} ms`);
  return { worker, ctl, port: port1, seq: 0 };
}

/**
 * Runs one RegExp exec in the worker, waiting at most timeoutMs.
 * @example callRegexWorker({ source: 'a+', flags: '', subject: 'baa', from: 0, sticky: false }, 50)
 * // { index: 1, match: ['aa'] }
 */
export function callRegexWorker(req: RegexRequest, timeoutMs: number): RegexReply | null | 'timeout' {
  current ??= spawn();
  const t = current;
  t.port.postMessage(req);
  const seq = ++t.seq;
  Atomics.store(t.ctl, REQUEST_SEQ, seq);
  Atomics.notify(t.ctl, REQUEST_SEQ);
  const deadline = performance.now() + timeoutMs;
  while (Atomics.load(t.ctl, REPLY_SEQ) !== seq) {
    const left = deadline - performance.now();
    if (left <= 0 || Atomics.wait(t.ctl, REPLY_SEQ, seq - 1, left) === 'timed-out') {
      if (Atomics.load(t.ctl, REPLY_SEQ) === seq) break;
      void t.worker.terminate();
      t.port.close();
      current = undefined;
      return 'timeout';
    }
  }
  const reply = receiveMessageOnPort(t.port)?.message as RegexReply | null | { error: string } | undefined;
  if (reply && 'error' in reply) throw new Error(`regex worker: ${reply.error}`);
  return reply ?? null;
}

/** Stops the worker (tests, shutdown); the next call starts another. */
export function stopRegexWorker(): void {
  if (!current) return;
  void current.worker.terminate();
  current.port.close();
  current = undefined;
}
