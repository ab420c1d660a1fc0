/**
 * The load check on loopback, senders in child processes, into a real
 * SQLite store: TCP syslog at 50,000 messages/s for 30 s loses nothing (what
 * the store holds equals what was sent); over UDP every datagram the test sent
 * is accounted for as received or dropped by the kernel, and every received
 * one as stored, rejected or dropped; a NetFlow burst of 100,000 records is
 * stored whole. Outcomes only: how long anything takes is not asserted (the
 * waits are bounds against hanging), so a slow machine passes slowly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../store/index.js';
import { createProblemLog } from '../util/problems.js';
import { type ListenOptions, startListeners } from './listen.js';
import {
  netflowBurstFile,
  sendFromChild,
  splitHostPort,
  udpReceiveQueue,
  waitFor,
} from './listen-testing.js';

async function countStored(store: Awaited<ReturnType<typeof openStore>>): Promise<number> {
  return Object.values(await store.countEvents()).reduce((a, b) => a + b, 0);
}

/** A fresh store and listeners for one test, closed and removed after it. */
async function withListeners(
  opts: Omit<ListenOptions, 'store' | 'problems'>,
  run: (
    l: Awaited<ReturnType<typeof startListeners>>,
    store: Awaited<ReturnType<typeof openStore>>,
    problems: ReturnType<typeof createProblemLog>,
  ) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-listen-load-'));
  const store = await openStore(join(dir, 'p.db'));
  const problems = createProblemLog();
  const l = await startListeners({ ...opts, store, problems });
  try {
    await run(l, store, problems);
  } finally {
    await l.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('TCP syslog at 50,000 messages/s for 30 s: all 1,500,000 stored and counted, none lost', {
  timeout: 900_000,
}, async () => {
  await withListeners({ syslogTcp: { host: '127.0.0.1', port: 0 } }, async (l, store, problems) => {
    const total = 1_500_000;
    const r = await sendFromChild('tcp', l.stats().collectors[0]!.address, total, 50_000);
    assert.equal(r.sent, total);
    await waitFor(() => l.stats().collectors[0]!.received === total, 'every message to be read', 600_000);
    const final = await l.close();
    const c = final.collectors[0]!;
    assert.equal(c.received, total);
    assert.equal(c.parsed, total);
    assert.equal(c.events, total, JSON.stringify(c));
    assert.equal(c.rejected, 0, JSON.stringify(problems.samples.slice(0, 3)));
    assert.equal(c.dropped, 0);
    assert.equal(final.store.events, total);
    assert.equal(final.store.failed, 0);
    assert.equal(await countStored(store), total);
    console.log(
      `tcp: ${total} sent in ${r.seconds} s (${Math.round(total / r.seconds)}/s); ${final.store.batches} store batches, ` +
        `${c.connections!.pauses} pauses, queue high water ${final.queue.highWater}`,
    );
  });
});

test('UDP syslog: every datagram sent is received or counted as a kernel drop', {
  timeout: 300_000,
}, async () => {
  // A small socket buffer and queue make losses likely; the test asserts only that they are counted.
  const opts = { syslogUdp: { host: '127.0.0.1', port: 0 }, udpReceiveBuffer: 64 * 1024, maxQueue: 5_000 };
  await withListeners(opts, async (l, store) => {
    const at = l.stats().collectors[0]!.address;
    const r = await sendFromChild('udp', at, 100_000);
    await waitFor(() => udpReceiveQueue(splitHostPort(at).port) === 0, 'the socket to be read', 60_000);
    const final = await l.close();
    const c = final.collectors[0]!;
    assert.equal(typeof c.kernelDropped, 'number', 'Linux reports kernel drops');
    assert.equal(c.received + c.kernelDropped!, r.sent, JSON.stringify({ sender: r, collector: c }));
    assert.equal(c.received, c.parsed + c.rejected + c.dropped);
    assert.equal(c.parsed, c.events + c.withoutEvent);
    assert.equal(await countStored(store), c.events);
    console.log(
      `udp: ${r.sent} sent (${r.failed} send errors) in ${r.seconds} s; received ${c.received}, kernel dropped ${c.kernelDropped}, backlog-full dropped ${c.dropped}, stored ${c.events}`,
    );
  });
});

test('NetFlow v9: a burst of 100,000 records is stored whole', { timeout: 300_000 }, async () => {
  await withListeners({ netflowUdp: { host: '127.0.0.1', port: 0 } }, async (l, store, problems) => {
    const records = 100_000;
    const file = join(tmpdir(), `picket-listen-burst-${process.pid}.bin`);
    const datagrams = netflowBurstFile(file, records);
    const at = l.stats().collectors[0]!.address;
    try {
      const r = await sendFromChild('datagrams', at, file);
      assert.equal(r.sent, datagrams);
    } finally {
      rmSync(file, { force: true });
    }
    await waitFor(() => udpReceiveQueue(splitHostPort(at).port) === 0, 'the socket to be read', 60_000);
    const final = await l.close();
    const c = final.collectors[0]!;
    const detail = JSON.stringify({ collector: c, problems: problems.samples.slice(0, 3) });
    assert.equal(c.kernelDropped, 0, detail);
    assert.equal(c.received, datagrams, detail);
    assert.equal(c.parsed, records, detail);
    assert.equal(c.dropped, 0, detail);
    assert.equal(c.events, records, detail);
    assert.equal(final.store.failed, 0);
    assert.equal(await countStored(store), records);
  });
});
