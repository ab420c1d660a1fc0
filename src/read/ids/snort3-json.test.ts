/**
 * Snort 3 alert_json: the default field set, a wide custom one, addresses
 * given as `*_ap` or `*_addr`/`*_port`, and broken lines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLineContext, isProblem, type LineContext } from '../syslog/types.js';
import { eveReader } from './eve.js';
import type { SnortAlertRecord } from './record.js';
import { parseSnort3JsonLine, snort3JsonReader } from './snort3-json.js';

const ref = Date.UTC(2026, 11, 1) / 1000;
const ctx = (line = 1): LineContext =>
  defaultLineContext({ file: 'alert_json.txt', line, referenceTime: ref });

function rec(line: string): SnortAlertRecord {
  const r = parseSnort3JsonLine(line, ctx());
  assert.ok(r !== null && !isProblem(r), `expected a record, got ${JSON.stringify(r)}`);
  return r as SnortAlertRecord;
}

const defaultFields =
  '{ "timestamp" : "11/23-11:12:20.123456", "pkt_num" : 17, "proto" : "TCP", "pkt_gen" : "raw", "pkt_len" : 60, "dir" : "C2S", "src_ap" : "10.99.1.67:40022", "dst_ap" : "10.99.0.10:22", "rule" : "1:1000001:3", "action" : "allow" }';

test('default field set: rule identity from "rule", yearless time, endpoints from src_ap/dst_ap', () => {
  const r = rec(defaultFields);
  assert.equal(r.format, 'snort3-json');
  assert.equal(r.ts, Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.123456);
  assert.deepEqual(r.alert, { gid: 1, sid: 1000001, rev: 3, msg: '', action: 'allow' });
  assert.deepEqual(
    [r.src, r.srcPort, r.dst, r.dstPort, r.proto],
    ['10.99.1.67', 40022, '10.99.0.10', 22, 'tcp'],
  );
  assert.equal(r.pktNum, 17);
  assert.equal(r.dir, 'C2S');
  assert.equal(r.extra.pkt_len, 60);
  assert.equal(r.extra.pkt_gen, 'raw');
});

test('wide field set: seconds give the exact time, class and priority, msg, service, TCP fields', () => {
  const r = rec(
    '{ "seconds" : 1795950740, "timestamp" : "26/11/23-11:12:20.250000", "action" : "drop", "class" : "attempted-recon", "b64_data" : "AAAA", "dir" : "C2S", "dst_addr" : "10.99.0.10", "dst_port" : 22, "gid" : 1, "msg" : "PICKET \\"quoted\\" probe", "priority" : 2, "proto" : "TCP", "rev" : 3, "service" : "ssh", "sid" : 1000001, "src_addr" : "10.99.1.67", "src_port" : 40022, "tcp_flags" : "******S*", "ttl" : 64, "iface" : "eth0" }',
  );
  assert.equal(r.ts, 1795950740.25);
  assert.deepEqual(r.alert, {
    gid: 1,
    sid: 1000001,
    rev: 3,
    msg: 'PICKET "quoted" probe',
    classtype: 'attempted-recon',
    priority: 2,
    action: 'drop',
  });
  assert.equal(r.service, 'ssh');
  assert.equal(r.extra.tcp_flags, '******S*');
  assert.equal(r.extra.ttl, 64);
  assert.equal(r.extra.iface, 'eth0');
  assert.equal(r.extra.b64_data, undefined); // payload is not kept
});

test('ICMP (no ports in src_ap), IPv6 src_ap with a port, class none', () => {
  const icmp = rec(
    '{ "timestamp" : "11/23-11:12:20.5", "proto" : "ICMP", "src_ap" : "10.99.1.67:0", "dst_ap" : "10.99.0.10:0", "sid" : 384, "class" : "none", "icmp_type" : 8 }',
  );
  assert.deepEqual(
    [icmp.src, icmp.srcPort, icmp.dst, icmp.dstPort, icmp.proto],
    ['10.99.1.67', undefined, '10.99.0.10', undefined, 'icmp'],
  );
  assert.equal(icmp.alert.classtype, undefined);
  assert.equal(icmp.extra.icmp_type, 8);
  const v6 = rec(
    '{ "timestamp" : "11/23-11:12:20.5", "proto" : "UDP", "src_ap" : "2001:db8::1:5353", "dst_ap" : "ff02::fb:5353", "sid" : 1 }',
  );
  assert.deepEqual([v6.src, v6.srcPort, v6.dst, v6.dstPort], ['2001:db8::1', 5353, 'ff02::fb', 5353]);
  const arp = rec(
    '{ "timestamp" : "11/23-11:12:20.5", "proto" : "ARP", "src_ap" : ":0", "dst_ap" : ":0", "sid" : 1, "gid" : 112 }',
  );
  assert.equal(arp.src, undefined);
  assert.equal(arp.pktType, 'ARP');
});

test('broken lines are problems with file and line', () => {
  const cases: Array<[string, string]> = [
    [defaultFields.slice(0, 60), 'snort3.bad-json'],
    ['not json at all', 'snort3.not-json'],
    ['{ "timestamp" : "11/23-11:12:20.5", "src_ap" : "1.2.3.4:5" }', 'snort3.missing-field'],
    ['{ "timestamp" : "11/23-11:12:20.5", "rule" : "1:x:3" }', 'snort3.missing-field'],
    ['{ "timestamp" : "yesterday", "sid" : 1 }', 'snort3.bad-timestamp'],
    ['{ "sid" : 1 }', 'snort3.bad-timestamp'],
    ['{ "timestamp" : "11/23-11:12:20.5", "sid" : 1, "src_ap" : "999.1.1.1:5" }', 'snort3.bad-address'],
    ['{ "timestamp" : "11/23-11:12:20.5", "sid" : 1, "src_addr" : 17 }', 'snort3.bad-address'],
  ];
  for (const [line, code] of cases) {
    const r = parseSnort3JsonLine(line, ctx(5));
    assert.ok(r !== null && isProblem(r), line);
    assert.equal(r.code, code, line);
    assert.equal(r.line, 5);
    assert.equal(r.file, 'alert_json.txt');
  }
  assert.equal(parseSnort3JsonLine('', ctx()), null);
  // Wrong types are left out.
  const r = rec(
    '{ "timestamp" : "11/23-11:12:20.5", "sid" : 1, "priority" : "high", "msg" : 5, "ttl" : {"x":1} }',
  );
  assert.equal(r.alert.priority, undefined);
  assert.equal(r.alert.msg, '');
  assert.equal(r.extra.ttl, undefined);
});

test('sniff: Snort 3 JSON yes; EVE and Zeek JSON no', () => {
  assert.equal(snort3JsonReader.sniff([defaultFields, defaultFields]), 1);
  assert.equal(eveReader.sniff([defaultFields]), 0);
  assert.equal(
    snort3JsonReader.sniff([
      '{"timestamp":"2026-11-23T11:13:00Z","event_type":"alert","alert":{"gid":1,"rev":1}}',
    ]),
    0,
  );
  assert.equal(
    snort3JsonReader.sniff(['{"ts":1.5,"uid":"C1","id.orig_h":"10.0.0.1","note":"x","msg":"y","sub":"z"}']),
    0,
  );
});
