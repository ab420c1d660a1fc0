/**
 * Zeek records → Events: conn_state to activity and action, http, ssh, dns,
 * notice and weird choices, deterministic uids; and Picket's own flows written
 * with toZeekJson read back through the JSON reader, field for field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import { toZeekJson } from '../flow/index.js';
import { flowsOf } from '../flow/testing/run-capture.js';
import { defaultLineContext, isProblem } from '../read/syslog/types.js';
import { zeekReader } from '../read/zeek/index.js';
import type { ZeekRecord } from '../read/zeek/record.js';
import { readZeekText } from '../read/zeek/testing.js';
import { type Event, eventSchema } from '../schema/event.js';
import { zeekToEvent } from './zeek.js';

function rec(o: Record<string, unknown>, file = 'zeek.json', line = 1): ZeekRecord {
  const r = zeekReader.parseLine(JSON.stringify(o), defaultLineContext({ file, line }));
  assert.ok(r && !isProblem(r), JSON.stringify(r));
  return r;
}
function ev(o: Record<string, unknown>, line = 1): Event {
  const e = zeekToEvent(rec(o), { file: 'zeek.json', line });
  assert.ok(e);
  eventSchema.parse(e);
  return e;
}
const id = { 'id.orig_h': '198.51.100.7', 'id.orig_p': 51000, 'id.resp_h': '10.0.0.9', 'id.resp_p': 22 };
const conn = (o: Record<string, unknown>) =>
  ev({ ts: 1700000000.5, uid: 'CAbc', _path: 'conn', proto: 'tcp', ...id, ...o });

test('conn: conn_state decides type, activity, action and outcome', () => {
  const table: Array<[string, Event['type'], number, Event['action'], string]> = [
    ['S0', 'connection', 4, 'unknown', 'unanswered'],
    ['REJ', 'connection-refused', 5, 'denied', 'rejected'],
    ['SF', 'connection', 2, 'allowed', 'established'],
    ['S1', 'connection', 1, 'allowed', 'established'],
    ['RSTO', 'connection', 3, 'allowed', 'established'],
    ['RSTOS0', 'connection', 4, 'unknown', 'unanswered'],
    ['OTH', 'connection', 6, 'unknown', 'partial'],
  ];
  for (const [state, type, activity, action, outcome] of table) {
    const e = conn({ conn_state: state, history: 'S' });
    assert.deepEqual(
      [e.type, e.classUid, e.activityId, e.action, e.attrs?.outcome],
      [type, 4001, activity, action, outcome],
      state,
    );
    assert.equal(e.attrs?.conn_state, state);
  }
  const none = conn({});
  assert.deepEqual([none.type, none.activityId, none.action], ['connection', 6, 'unknown']);
});

test('conn: addresses, both directions summed, details in attrs; ICMP type/code not ports', () => {
  const e = conn({
    conn_state: 'SF',
    history: 'ShADadFf',
    duration: 1.25,
    orig_bytes: 100,
    resp_bytes: 900,
    orig_pkts: 5,
    resp_pkts: 6,
    service: 'ssh',
    local_orig: false,
    tunnel_parents: [],
  });
  assert.deepEqual(
    [e.src, e.srcPort, e.dst, e.dstPort, e.proto],
    ['198.51.100.7', 51000, '10.0.0.9', 22, 'tcp'],
  );
  assert.deepEqual([e.bytes, e.packets], [1000, 11]);
  assert.equal(e.source.kind, 'zeek');
  assert.equal(e.source.format, 'zeek-conn');
  assert.deepEqual(
    [
      e.attrs?.zeek_uid,
      e.attrs?.history,
      e.attrs?.duration,
      e.attrs?.orig_bytes,
      e.attrs?.local_orig,
      e.attrs?.service,
    ],
    ['CAbc', 'ShADadFf', 1.25, 100, 'F', 'ssh'],
  );
  assert.ok(!('tunnel_parents' in e.attrs!));
  assert.match(e.message, /198\.51\.100\.7:51000 -> 10\.0\.0\.9:22 SF/);
  const icmp = conn({ proto: 'icmp', 'id.orig_p': 8, 'id.resp_p': 0, conn_state: 'OTH' });
  assert.equal(icmp.srcPort, undefined);
  assert.equal(icmp.dstPort, undefined);
  assert.deepEqual([icmp.attrs?.icmp_type, icmp.attrs?.icmp_code], [8, 0]);
});

test('uids: deterministic, and differ by Zeek uid, file line and content', () => {
  const o = { ts: 1, uid: 'C1', _path: 'conn', ...id };
  assert.equal(ev(o).uid, ev(o).uid);
  assert.notEqual(ev(o).uid, ev({ ...o, uid: 'C2' }).uid);
  assert.notEqual(ev(o, 1).uid, ev(o, 2).uid);
});

test('http: web-access with request details; 401/403 access-denied', () => {
  const h = {
    ts: 1,
    uid: 'Ch',
    _path: 'http',
    ...id,
    'id.resp_p': 80,
    method: 'POST',
    host: 'shop.example',
    uri: '/login',
    version: '1.1',
    user_agent: 'curl/8',
    referrer: 'http://a/',
    status_code: 200,
    response_body_len: 512,
    request_body_len: 30,
    username: 'bob',
  };
  const e = ev(h);
  assert.deepEqual([e.type, e.classUid, e.activityId, e.user, e.bytes], ['web-access', 4002, 6, 'bob', 512]);
  assert.deepEqual(e.http, {
    method: 'POST',
    uri: '/login',
    version: '1.1',
    referrer: 'http://a/',
    userAgent: 'curl/8',
    host: 'shop.example',
    status: 200,
    bytes: 512,
  });
  assert.equal(e.attrs?.request_body_len, 30);
  const d = ev({ ...h, status_code: 403, method: 'PROPFIND' });
  assert.deepEqual([d.type, d.action, d.activityId], ['access-denied', 'denied', 99]);
});

test('ssh: auth_success T/F/unset → login-success / login-failure / connection on SSH Activity', () => {
  const s = {
    ts: 1,
    uid: 'Cs',
    _path: 'ssh',
    ...id,
    client: 'SSH-2.0-Go',
    server: 'SSH-2.0-OpenSSH_9.6',
    auth_attempts: 4,
  };
  const ok = ev({ ...s, auth_success: true });
  const bad = ev({ ...s, auth_success: false });
  const none = ev(s);
  assert.deepEqual([ok.type, ok.classUid, ok.action], ['login-success', 4007, 'allowed']);
  assert.deepEqual([bad.type, bad.classUid, bad.action], ['login-failure', 4007, 'denied']);
  assert.deepEqual([none.type, none.classUid, none.action], ['connection', 4007, undefined]);
  assert.equal(bad.attrs?.auth_attempts, 4);
  assert.equal(bad.attrs?.client, 'SSH-2.0-Go');
});

test('dns: a connection to the resolver with the query in attrs; rejected is denied', () => {
  const d = {
    ts: 1,
    uid: 'Cd',
    _path: 'dns',
    ...id,
    'id.resp_p': 53,
    proto: 'udp',
    query: 'example.com',
    qtype_name: 'AXFR',
    rcode_name: 'REFUSED',
    answers: ['1.2.3.4', '5.6.7.8'],
  };
  const e = ev(d);
  assert.deepEqual(
    [e.type, e.classUid, e.activityId, e.proto, e.action],
    ['connection', 4001, 6, 'udp', 'unknown'],
  );
  assert.deepEqual(
    [e.attrs?.query, e.attrs?.qtype_name, e.attrs?.answers],
    ['example.com', 'AXFR', '1.2.3.4,5.6.7.8'],
  );
  assert.equal(ev({ ...d, rejected: true }).action, 'denied');
});

test('notice: a Detection Finding; Scan notices without a connection use src, dst, p and n', () => {
  const e = ev({
    ts: 1,
    _path: 'notice',
    note: 'Scan::Port_Scan',
    msg: '198.51.100.7 scanned at least 15 unique ports of host 10.0.0.9 in 0m2s',
    sub: 'local',
    src: '198.51.100.7',
    dst: '10.0.0.9',
    p: 445,
    n: 15,
    actions: ['Notice::ACTION_LOG'],
  });
  assert.deepEqual(
    [e.type, e.classUid, e.activityId, e.src, e.dst, e.dstPort, e.count, e.severityId],
    ['ids-alert', 2004, 1, '198.51.100.7', '10.0.0.9', 445, 15, undefined],
  );
  assert.equal(e.attrs?.note, 'Scan::Port_Scan');
  assert.match(e.message, /^Scan::Port_Scan: /);
  assert.equal(
    zeekToEvent(rec({ ts: 1, _path: 'notice', note: 'X::Y', msg: 'no address' }), { line: 1 }),
    null,
  );
});

test('weird: informational ids-alert with its name; none without an address; other paths none', () => {
  const e = ev({
    ts: 1,
    uid: 'Cw',
    _path: 'weird',
    ...id,
    name: 'SYN_after_close',
    notice: false,
    peer: 'zeek',
  });
  assert.deepEqual(
    [e.type, e.classUid, e.severityId, e.attrs?.name, e.attrs?.notice],
    ['ids-alert', 2004, 1, 'SYN_after_close', 'F'],
  );
  assert.equal(zeekToEvent(rec({ ts: 1, _path: 'weird', name: 'truncated_header' }), { line: 1 }), null);
  assert.equal(zeekToEvent(rec({ ts: 1, uid: 'C', _path: 'ssl', ...id }), { line: 1 }), null);
});

const pcap = sharedData('pcaps/zeek/wikipedia.pcap');
test("Picket's own flows: toZeekJson lines read back field for field and map to matching events", {
  skip: pcap.skip,
}, async () => {
  const flows = flowsOf(pcap.path);
  assert.ok(flows.length > 10);
  const objs = flows.map((f) => JSON.parse(JSON.stringify(toZeekJson(f))) as Record<string, unknown>);
  const r = await readZeekText('flows.json', `${objs.map((o) => JSON.stringify(o)).join('\n')}\n`);
  assert.deepEqual(r.problems, []);
  assert.equal(r.records.length, flows.length);
  for (const [i, { rec: z, line }] of r.records.entries()) {
    const f = flows[i]!;
    assert.equal(z.path, 'conn');
    assert.deepEqual({ ...z.fields }, objs[i]);
    assert.equal(z.ts, f.ts);
    const e = zeekToEvent(z, { file: r.path, line });
    assert.ok(e);
    eventSchema.parse(e);
    assert.equal(e.src, f.origH);
    assert.equal(e.dst, f.respH);
    if (f.proto !== 'icmp') assert.deepEqual([e.srcPort, e.dstPort], [f.origP, f.respP]);
    assert.equal(e.packets, f.origPkts + f.respPkts);
    if (f.duration > 0) assert.equal(e.bytes, f.origBytes + f.respBytes);
    assert.equal(e.attrs?.conn_state, f.connState);
    assert.equal(e.attrs?.history, f.history || undefined);
    assert.equal(e.type, f.connState === 'REJ' ? 'connection-refused' : 'connection');
  }
});
