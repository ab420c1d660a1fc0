/**
 * Live uids: unique per run of a collector and growing with the message
 * number (so the store appends to its uid index); equal records sent twice
 * are two events.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Bytes, set, templateRecord, v9 } from '../read/netflow/testing/build.js';
import { defaultLineContext } from '../read/syslog/types.js';
import type { Event } from '../schema/event.js';
import { openStore } from '../store/index.js';
import { createProblemLog } from '../util/problems.js';
import { startListeners } from './listen.js';
import { type SyslogMessageContext, syslogMessageToEvent } from './listen-syslog-message.js';
import { udpReceiveQueue, udpSender, waitFor } from './listen-testing.js';
import { liveUidPrefix } from './listen-uid.js';

const line = (i: number) =>
  `<38>Nov 23 11:12:20 lab sshd[7]: Failed password for root from 10.0.0.${i % 250} port ${1024 + i} ssh2`;

function context(collector: string, startedMs: number): SyslogMessageContext {
  return { collector, uidPrefix: liveUidPrefix(collector, startedMs), line: defaultLineContext({}) };
}

test('uids grow with the message number and differ between collectors and runs', () => {
  const a = context('syslog-tcp:127.0.0.1:6514', 1_795_432_340_000);
  const uids: string[] = [];
  for (const seq of [1, 2, 9, 10, 35, 36, 1295, 1296, 99_999_999]) {
    const e = syslogMessageToEvent(line(seq), '192.0.2.7', seq, a) as Event;
    assert.equal(e.type, 'login-failure');
    uids.push(e.uid);
  }
  assert.deepEqual([...uids].sort(), uids, 'string order is message order');
  assert.equal(new Set(uids).size, uids.length);
  assert.ok(uids.every((u) => u.length === uids[0]!.length));

  const others = [
    context('syslog-udp:127.0.0.1:6514', 1_795_432_340_000),
    context('syslog-tcp:127.0.0.1:6515', 1_795_432_340_000),
    context('syslog-tcp:127.0.0.1:6514', 1_795_432_340_001),
  ].map((c) => (syslogMessageToEvent(line(1), '192.0.2.7', 1, c) as Event).uid);
  assert.equal(new Set([uids[0], ...others]).size, 4);
});

test('NetFlow: the same flow record sent twice is stored twice, with growing uids', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-listen-uid-'));
  const store = await openStore(join(dir, 'p.db'));
  const l = await startListeners({
    netflowUdp: { host: '127.0.0.1', port: 0 },
    store,
    problems: createProblemLog(),
  });
  try {
    const at = l.stats().collectors[0]!.address;
    const tpl = templateRecord(256, [
      [8, 4],
      [12, 4],
      [7, 2],
      [11, 2],
      [4, 1],
      [2, 4],
      [1, 4],
      [22, 4],
      [21, 4],
    ]);
    const flow = new Bytes().u32(0x0a000001).u32(0xc0a80001).u16(40000).u16(22).u8(6);
    const data = v9([set(256, flow.u32(1).u32(60).u32(1000).u32(1500).bytes())], { seq: 1 });
    const s = udpSender(at);
    assert.equal(await s.send([v9([set(0, tpl)], { seq: 0 }), data, data]), 3);
    s.close();
    const port = Number(at.slice(at.lastIndexOf(':') + 1));
    await waitFor(
      () => l.stats().collectors[0]!.received === 3 && udpReceiveQueue(port) === 0,
      'the datagrams',
    );
    await l.close();
    const events = await store.events({});
    assert.equal(events.length, 2);
    assert.equal(events[0]!.src, events[1]!.src);
    assert.ok(events[0]!.uid < events[1]!.uid, `${events[0]!.uid} then ${events[1]!.uid}`);
  } finally {
    await l.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
