/**
 * Load on loopback, senders in child processes, as fast as they can: TCP
 * loses nothing (what the store holds equals what was sent); over UDP every
 * datagram the test sent is accounted for as received or dropped by the
 * kernel, and every received one as stored, rejected or dropped. No rates are
 * asserted, only consistency.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../store/index.js';
import { createProblemLog } from '../util/problems.js';
import { startListeners } from './listen.js';
import { sendFromChild, splitHostPort, udpReceiveQueue, waitFor } from './listen-testing.js';

async function countStored(store: Awaited<ReturnType<typeof openStore>>): Promise<number> {
  return Object.values(await store.countEvents()).reduce((a, b) => a + b, 0);
}

test('TCP syslog: 200,000 messages as fast as possible, every one stored', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-listen-load-'));
  const store = await openStore(join(dir, 'p.db'));
  const problems = createProblemLog();
  const l = await startListeners({ syslogTcp: { host: '127.0.0.1', port: 0 }, store, problems });
  try {
    const total = 200_000;
    const r = await sendFromChild('tcp', l.stats().collectors[0]!.address, total);
    assert.equal(r.sent, total);
    await waitFor(() => l.stats().collectors[0]!.received === total, 'every message to be read', 120_000);
    const final = await l.close();
    const c = final.collectors[0]!;
    assert.equal(c.events, total, JSON.stringify(c));
    assert.equal(c.rejected, 0, JSON.stringify(problems.samples.slice(0, 3)));
    assert.equal(final.store.events, total);
    assert.equal(final.store.failed, 0);
    assert.equal(await countStored(store), total);
    console.log(
      `tcp: ${total} sent in ${r.seconds} s; ${final.store.batches} store batches, ${c.connections!.pauses} pauses, queue high water ${final.queue.highWater}`,
    );
  } finally {
    await l.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('UDP syslog: every datagram sent is received or counted as a kernel drop', {
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-listen-load-'));
  const store = await openStore(join(dir, 'p.db'));
  const problems = createProblemLog();
  // A small socket buffer and queue make losses likely; the test asserts only that they are counted.
  const l = await startListeners({
    syslogUdp: { host: '127.0.0.1', port: 0 },
    store,
    problems,
    udpReceiveBuffer: 64 * 1024,
    maxQueue: 5_000,
  });
  try {
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
  } finally {
    await l.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
