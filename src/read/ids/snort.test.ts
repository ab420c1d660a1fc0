/**
 * Snort text alerts: fast lines as Snort 2 and Snort 3 write them, full
 * multi-line alerts (through readLogFile, whose per-file state carries the
 * open alert), yearless times and broken input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProblemLog } from '../../util/problems.js';
import { readLogFile } from '../logs.js';
import { defaultLineContext, isProblem, type LineContext, type LogRecordBase } from '../syslog/types.js';
import type { SnortAlertRecord } from './record.js';
import { snortFastReader } from './snort-reader.js';
import { snortTimeToEpoch } from './snort-time.js';

const ref = Date.UTC(2026, 11, 1) / 1000; // 2026-12-01: yearless November lines are this year
const ctx = (line = 1, over: Partial<LineContext> = {}): LineContext =>
  defaultLineContext({ file: 'alert', line, referenceTime: ref, fileState: new Map(), ...over });

function fast(line: string, c = ctx()): SnortAlertRecord {
  const r = snortFastReader.parseLine(line, c);
  assert.ok(r !== null && !isProblem(r), `expected a record, got ${JSON.stringify(r)}`);
  return r as SnortAlertRecord;
}

test('Snort 2 fast.log line: time with the reference year, signature, notes, endpoints', () => {
  const r = fast(
    '11/23-11:12:20.123456  [**] [1:1000001:3] PICKET SSH banner probe [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 10.99.1.67:40022 -> 10.99.0.10:22',
  );
  assert.equal(r.format, 'snort-fast');
  assert.equal(r.ts, Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.123456);
  assert.deepEqual(r.alert, {
    gid: 1,
    sid: 1000001,
    rev: 3,
    msg: 'PICKET SSH banner probe',
    category: 'Attempted Information Leak',
    priority: 2,
  });
  assert.equal(r.proto, 'tcp');
  assert.deepEqual([r.src, r.srcPort, r.dst, r.dstPort], ['10.99.1.67', 40022, '10.99.0.10', 22]);
});

test('Snort 3 fast line: verdict, quoted msg, AppID, YY/MM/DD year', () => {
  const r = fast(
    '26/11/23-11:12:20.000001 [drop] [**] [1:2000:1] "ET SCAN [odd] msg" [**] [Classification: Detection of a Network Scan] [Priority: 3] [AppID: SSH] {TCP} 10.99.1.67:40022 -> 10.99.0.10:22',
  );
  assert.equal(r.ts, Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.000001);
  assert.equal(r.alert.msg, 'ET SCAN [odd] msg');
  assert.equal(r.alert.action, 'drop');
  assert.equal(r.service, 'SSH');
  assert.equal(r.alert.priority, 3);
});

test('ICMP without ports, other IP protocols by number, IPv6 with and without ports, interface', () => {
  const icmp = fast(
    '11/23-11:12:20.5  [**] [1:384:8] ICMP PING [**] [Classification: Misc activity] [Priority: 3] {ICMP} 10.99.1.67 -> 10.99.0.10',
  );
  assert.equal(icmp.proto, 'icmp');
  assert.equal(icmp.srcPort, undefined);
  assert.equal(icmp.dst, '10.99.0.10');
  const gre = fast('11/23-11:12:20.5  [**] [1:9:1] GRE [**] {PROTO:047} 10.0.0.1 -> 10.0.0.2');
  assert.equal(gre.proto, '47');
  const v6 = fast(
    '11/23-11:12:20.5  [**] [1:9:1] v6 [**] [Priority: 1] {TCP} 2001:DB8::1:40022 -> 2001:db8::2:22',
  );
  assert.deepEqual([v6.src, v6.srcPort, v6.dst, v6.dstPort], ['2001:db8::1', 40022, '2001:db8::2', 22]);
  const v6icmp = fast('11/23-11:12:20.5  [**] [1:9:1] v6 [**] {IPV6-ICMP} fe80::1 -> ff02::1');
  assert.deepEqual([v6icmp.src, v6icmp.dst, v6icmp.proto], ['fe80::1', 'ff02::1', 'ipv6-icmp']);
  const ifc = fast('11/23-11:12:20.5  [**] [1:9:1]  <eth0> msg [**] {UDP} 10.0.0.1:53 -> 10.0.0.2:5353');
  assert.equal(ifc.extra.iface, 'eth0');
  assert.equal(ifc.alert.msg, 'msg');
});

test('timestamps: yearless across New Year, Snort 2 MM/DD/YY, Snort 3 YY/MM/DD and ISO, zones', () => {
  const jan = Date.UTC(2027, 0, 2) / 1000;
  assert.equal(
    snortTimeToEpoch('12/31-23:59:59.000000', 2, 0, jan),
    Date.UTC(2026, 11, 31, 23, 59, 59) / 1000,
  );
  assert.equal(snortTimeToEpoch('01/01-00:00:01.25', 2, 0, jan), Date.UTC(2027, 0, 1, 0, 0, 1) / 1000 + 0.25);
  assert.equal(
    snortTimeToEpoch('11/23/26-11:12:20.000000', 2, 0, 0),
    Date.UTC(2026, 10, 23, 11, 12, 20) / 1000,
  );
  assert.equal(
    snortTimeToEpoch('26/11/23-11:12:20.000000', 3, 0, 0),
    Date.UTC(2026, 10, 23, 11, 12, 20) / 1000,
  );
  // A first part over 12 is a year whatever the guess.
  assert.equal(
    snortTimeToEpoch('26/11/23-11:12:20.000000', 2, 0, 0),
    Date.UTC(2026, 10, 23, 11, 12, 20) / 1000,
  );
  assert.equal(
    snortTimeToEpoch('2026-11-23 11:12:20.5', 3, 0, 0),
    Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.5,
  );
  // Sensor local time one hour east of UTC.
  assert.equal(
    snortTimeToEpoch('11/23/26-12:12:20.0', 2, 3600, 0),
    Date.UTC(2026, 10, 23, 11, 12, 20) / 1000,
  );
  for (const bad of ['13/23-11:12:20.0', '11/32-11:12:20.0', '11/23-24:00:00.0', '11/23 11:12:20', 'x', ''])
    assert.ok(Number.isNaN(snortTimeToEpoch(bad, 2, 0, ref)), bad);
});

test('broken fast lines are problems with file and line', () => {
  const bad = [
    ['11/23-11:12:20.5  [**] [1:9] short ids [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2', 'snort.unparsed'],
    ['11/23-11:12:20.5  [**] [1:9:1] no end marker {TCP} 10.0.0.1:1 -> 10.0.0.2:2', 'snort.unparsed'],
    ['11/23-11:12:20.5  [**] [1:9:1] m [**] {TCP} 10.0.0.1:1 -> nowhere', 'snort.bad-address'],
    ['11/23-11:12:20.5  [**] [1:9:1] m [**] {TCP} 10.0.0.1:1', 'snort.bad-address'],
    ['99/23-11:12:20.5  [**] [1:9:1] m [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2', 'snort.bad-timestamp'],
    [
      '11/23-11:12:20.5  [**] [1:9:1] m [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2'.slice(0, 40),
      'snort.bad-address',
    ],
    ['11/23-11:12:20.5  [**] [1:9:1] m [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2'.slice(0, 28), 'snort.unparsed'],
    ['hello world', 'snort.unparsed'],
  ];
  for (const [line, code] of bad) {
    const r = snortFastReader.parseLine(line!, ctx(9));
    assert.ok(r !== null && isProblem(r), line);
    assert.equal(r.code, code, line);
    assert.equal(r.line, 9);
    assert.equal(r.file, 'alert');
  }
});

const fullAlerts = [
  '[**] [1:1000001:3] PICKET SSH banner probe [**]',
  '[Classification: Attempted Information Leak] [Priority: 2] ',
  '11/23-11:12:20.123456 10.99.1.67:40022 -> 10.99.0.10:22',
  'TCP TTL:64 TOS:0x0 ID:54321 IpLen:20 DgmLen:60 DF',
  '******S* Seq: 0x4CB7D2B2  Ack: 0x0  Win: 0xFAF0  TcpLen: 40',
  'TCP Options (5) => MSS: 1460 SackOK TS: 1 0 NOP WS: 7 ',
  '[Xref => http://cve.mitre.org/cgi-bin/cvename.cgi?name=2000-0001]',
  '',
  '[**] [1:384:8] ICMP PING [**]',
  '[Priority: 3] ',
  '11/23-11:12:21.000001 10.99.1.68 -> 10.99.0.10',
  'ICMP TTL:64 TOS:0x0 ID:1 IpLen:20 DgmLen:84',
  'Type:8  Code:0  ID:1   Seq:1  ECHO',
  '',
  // -e: a MAC line takes the time; the addresses move to the protocol line.
  '[**] [1:9:1] with link layer [**]',
  '11/23-11:12:22.000000 0:C:29:9:2F:A -> 0:50:56:E0:19:E4 type:0x800 len:0x4A',
  '10.99.1.69:5000 -> 10.99.0.10:80 TCP TTL:64 TOS:0x0 ID:2 IpLen:20 DgmLen:60',
  '',
  // A header with no address line: a problem, the next alert still read.
  '[**] [1:10:1] cut short [**]',
  '',
  '[**] [1:11:1] Snort 3 style [**]',
  '[Classification: Misc activity] [Priority: 3]',
  '11/23-11:12:23.000000 2001:db8::1:40000 -> 2001:db8::2:443',
  'TCP TTL:64 TOS:0x0 ID:3 IpLen:40 DgmLen:60',
  // No blank line at end of file: the alert was already returned at its protocol line.
];

test('full alerts through readLogFile: each alert once, at its first line, rest of the file read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-snort-'));
  const path = join(dir, 'alert');
  writeFileSync(path, `${fullAlerts.join('\n')}\n`);
  const problems = createProblemLog();
  const recs: LogRecordBase[] = [];
  const s = await readLogFile(path, problems, (r) => recs.push(r), {
    reader: snortFastReader,
    referenceTime: ref,
  });
  const alerts = recs as SnortAlertRecord[];
  assert.deepEqual(
    alerts.map((a) => [a.alert.sid, a.line, a.src, a.srcPort, a.dst, a.dstPort, a.proto]),
    [
      [1000001, 1, '10.99.1.67', 40022, '10.99.0.10', 22, 'tcp'],
      [384, 9, '10.99.1.68', undefined, '10.99.0.10', undefined, 'icmp'],
      [9, 15, '10.99.1.69', 5000, '10.99.0.10', 80, 'tcp'],
      [11, 21, '2001:db8::1', 40000, '2001:db8::2', 443, 'tcp'],
    ],
  );
  assert.ok(alerts.every((a) => a.format === 'snort-full'));
  assert.equal(alerts[0]!.alert.category, 'Attempted Information Leak');
  assert.equal(alerts[0]!.alert.priority, 2);
  assert.equal(alerts[0]!.ts, Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.123456);
  assert.equal(alerts[2]!.ts, Date.UTC(2026, 10, 23, 11, 12, 22) / 1000);
  assert.ok(alerts[0]!.raw.startsWith('[**] [1:1000001:3]'));
  assert.ok(alerts[0]!.raw.includes('TCP TTL:64'));
  assert.equal(s.problems, 1);
  assert.equal(problems.samples[0]!.code, 'snort.full-incomplete');
  assert.equal(problems.samples[0]!.line, 20);
});

test('a file mixing fast lines and full alerts is read whole; state is per file', () => {
  const c = ctx();
  const out: unknown[] = [];
  const lines = [
    '11/23-11:12:20.5  [**] [1:1:1] fast one [**] {UDP} 10.0.0.1:1 -> 10.0.0.2:2',
    '[**] [1:2:1] full one [**]',
    '11/23-11:12:21.0 10.0.0.3:3 -> 10.0.0.4:4',
    'UDP TTL:1 TOS:0x0 ID:1 IpLen:20 DgmLen:30',
    'Len: 2',
    '',
    '11/23-11:12:22.5  [**] [1:3:1] fast two [**] {UDP} 10.0.0.5:5 -> 10.0.0.6:6',
  ];
  lines.forEach((l, i) => {
    c.line = i + 1;
    const r = snortFastReader.parseLine(l, c);
    if (r) out.push(r);
  });
  assert.deepEqual(
    out.map((r) => (r as SnortAlertRecord).alert.sid),
    [1, 2, 3],
  );
  // Another file's context starts with no open alert.
  const other = snortFastReader.parseLine('UDP TTL:1 TOS:0x0 ID:1 IpLen:20 DgmLen:30', ctx());
  assert.ok(other && isProblem(other));
});

test('sniff: fast and full files yes; EVE, Snort 3 JSON, syslog no', () => {
  assert.equal(
    snortFastReader.sniff([
      '11/23-11:12:20.5  [**] [1:1:1] a [**] {UDP} 10.0.0.1:1 -> 10.0.0.2:2',
      '11/23-11:12:21.5  [**] [1:1:1] a [**] {UDP} 10.0.0.1:1 -> 10.0.0.2:2',
    ]),
    1,
  );
  assert.ok(snortFastReader.sniff(fullAlerts.filter((l) => l !== '')) > 0.8);
  assert.equal(snortFastReader.sniff(['{"timestamp":"2026-11-23T11:13:00Z","event_type":"flow"}']), 0);
  assert.equal(snortFastReader.sniff(['{ "timestamp" : "11/23-11:12:20.000001", "rule" : "1:2:3" }']), 0);
  assert.equal(snortFastReader.sniff(['Nov 23 11:13:00 h sshd[1]: Connection closed by 10.0.0.1 port 5']), 0);
});
