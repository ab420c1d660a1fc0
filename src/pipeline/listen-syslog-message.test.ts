/**
 * Live uids: unique per run of a collector and growing with the message
 * number (so the store appends to its uid index).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLineContext } from '../read/syslog/types.js';
import type { Event } from '../schema/event.js';
import { liveUidPrefix, type SyslogMessageContext, syslogMessageToEvent } from './listen-syslog-message.js';

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
