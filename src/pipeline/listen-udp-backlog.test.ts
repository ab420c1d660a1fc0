import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event } from '../schema/event.js';
import { openSqliteStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { createProblemLog } from '../util/problems.js';
import { createEventQueue } from './listen-queue.js';
import { waitFor } from './listen-testing.js';
import { createUdpBacklog } from './listen-udp-backlog.js';

const event = (i: number): Event => ({
  ts: 1_800_000_000 + i,
  uid: `B${i}`,
  type: 'connection',
  classUid: 4001,
  activityId: 6,
  src: '192.0.2.1',
  message: `e${i}`,
  source: { kind: 'listener', format: 'test' },
});

test('the backlog keeps arrival order, holds while the queue is full, and bounds its bytes', async () => {
  const real = openSqliteStore(':memory:');
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const store: Store = { ...real, writeEvents: async (e) => gate.then(() => real.writeEvents(e)) };
  const queue = createEventQueue({ store, problems: createProblemLog(), max: 10, lingerMs: 0 });
  const seen: number[] = [];
  const backlog = createUdpBacklog(5_000, queue, (msg) => {
    const i = msg.readUInt32BE(0);
    seen.push(i);
    queue.push(event(i));
  });
  const dg = (i: number) => {
    const b = Buffer.alloc(1000);
    b.writeUInt32BE(i, 0);
    return b;
  };
  // 10 events fill the queue (the store is held); then 5 datagrams fit the 5,000-byte backlog and the 6th does not.
  for (let i = 0; i < 10; i++) queue.push(event(i));
  assert.ok(queue.full);
  const accepted = [10, 11, 12, 13, 14, 15].map((i) => backlog.push(dg(i), '192.0.2.1', 1));
  assert.deepEqual(accepted, [true, true, true, true, true, false]);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(backlog.length, 5, 'nothing parsed while the queue is full');
  open();
  await waitFor(() => backlog.length === 0, 'the backlog to empty');
  assert.deepEqual(seen, [10, 11, 12, 13, 14]);
  await queue.drain();
  assert.equal((await real.stats()).events, 15);
  await real.close();
});
