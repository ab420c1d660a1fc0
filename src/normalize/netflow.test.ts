import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import { parseNfdumpCsv } from '../read/netflow/nfdump-csv.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import { createNetflowSession } from '../read/netflow/session.js';
import { eventSchema } from '../schema/event.js';
import { createProblemLog } from '../util/problems.js';
import { netflowToEvent } from './netflow.js';

const dat = sharedData('logs/netflow/logstash-codec-netflow/spec-codecs/netflow9_test_valid01.dat');

test('v9 flow records become schema-valid connection events; uids are stable', { skip: dat.skip }, () => {
  const recs: NetflowRecord[] = [];
  const s = createNetflowSession({ problems: createProblemLog(), onRecord: (r) => recs.push(r) });
  s.datagram(readFileSync(dat.path), '172.16.32.202:2055', 0);
  const events = recs.map((r) => netflowToEvent(r, { file: 'x.dat' }));
  const e = events[0]!;
  assert.ok(e);
  eventSchema.parse(e);
  assert.equal(e.type, 'connection');
  assert.equal(e.classUid, 4001);
  assert.equal(e.activityId, 6);
  assert.deepEqual(
    [e.src, e.srcPort, e.dst, e.dstPort, e.proto, e.packets, e.bytes],
    ['172.16.32.100', 123, '172.16.32.248', 123, 'udp', 1, 76],
  );
  assert.equal(e.source.format, 'netflow-v9');
  assert.equal(e.source.host, '172.16.32.202:2055');
  assert.equal(new Set(events.map((x) => x!.uid)).size, events.length, 'distinct uids');
  assert.equal(netflowToEvent(recs[0]!, { file: 'x.dat' })!.uid, e.uid, 'same record, same uid');
});

test('options records and address-less records give no event', () => {
  const base: NetflowRecord = {
    kind: 'options',
    version: 10,
    exporter: 'e',
    domain: 0,
    templateId: 300,
    sequence: 0,
    exportTime: 1,
    recvTs: 1,
    offset: 20,
    fields: {},
  };
  assert.equal(netflowToEvent(base), null);
  assert.equal(netflowToEvent({ ...base, kind: 'flow' }), null);
});

test('nfdump CSV (the lab port-22 sweep) normalizes to events', () => {
  const path = join(import.meta.dirname, '../../examples/lab-nfdump/flows.csv');
  const recs: NetflowRecord[] = [];
  parseNfdumpCsv(
    readFileSync(path, 'utf8'),
    (r) => recs.push(r),
    (p) => assert.fail(p.message),
  );
  assert.ok(recs.length > 100);
  const events = recs.map((r) => netflowToEvent(r, { file: 'flows.csv' })!);
  for (const e of events) eventSchema.parse(e);
  const to22 = events.filter((e) => e.dstPort === 22 && e.proto === 'tcp');
  assert.ok(to22.length > 0);
  assert.equal(events[0]!.source.format, 'nfdump-csv');
  assert.equal(recs[0]!.tcpFlags, 0x12, '...A..S. is SYN+ACK');
});
