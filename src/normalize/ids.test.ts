/** IDS records → Events: each mapping, with records made by the real readers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEveLine } from '../read/ids/eve.js';
import type { IdsRecord } from '../read/ids/record.js';
import { snortFastReader } from '../read/ids/snort-reader.js';
import { parseSnort3JsonLine } from '../read/ids/snort3-json.js';
import { defaultLineContext, isProblem, type LineContext } from '../read/syslog/types.js';
import { type Event, eventSchema } from '../schema/event.js';
import { actionOfVerdict, idsToEvent, severityOfPriority } from './ids.js';

const ref = Date.UTC(2026, 11, 1) / 1000;
const ctx = (line = 3): LineContext =>
  defaultLineContext({ file: 'ids.log', line, referenceTime: ref, fileState: new Map() });

function eve(line: string, at = 3): Event | null {
  const r = parseEveLine(line, ctx(at));
  assert.ok(r && !isProblem(r), JSON.stringify(r));
  const e = idsToEvent(r as IdsRecord, { file: 'eve.json', line: at });
  if (e) eventSchema.parse(e);
  return e;
}

const tuple = '"src_ip":"10.99.1.67","src_port":40022,"dest_ip":"10.99.0.10","dest_port":22,"proto":"TCP"';
const t0 = Date.UTC(2026, 10, 23, 11, 12, 20) / 1000;

test('EVE alert → ids-alert (2004 Create): severity, verdict, signature attrs, flow counters, http', () => {
  const e = eve(
    `{"timestamp":"2026-11-23T11:12:20.5+0000","flow_id":1676750115612680,"event_type":"alert",${tuple},"app_proto":"http",` +
      '"alert":{"action":"blocked","gid":1,"signature_id":2018232,"rev":3,"signature":"ET SCAN rom-0","category":"Attempted Information Leak","severity":2},' +
      '"http":{"hostname":"h","url":"/rom-0","http_method":"GET","status":404},"flow":{"pkts_toserver":4,"pkts_toclient":3,"bytes_toserver":300,"bytes_toclient":500,"start":"2026-11-23T11:12:19Z"}}',
  )!;
  assert.equal(e.type, 'ids-alert');
  assert.equal(e.classUid, 2004);
  assert.equal(e.activityId, 1);
  assert.equal(e.severityId, 3);
  assert.equal(e.action, 'denied');
  assert.equal(e.ts, t0 + 0.5);
  assert.deepEqual(
    [e.src, e.srcPort, e.dst, e.dstPort, e.proto],
    ['10.99.1.67', 40022, '10.99.0.10', 22, 'tcp'],
  );
  assert.deepEqual(e.source, { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 3 });
  assert.equal(e.message, '[1:2018232:3] ET SCAN rom-0');
  assert.equal(e.attrs?.sid, 2018232);
  assert.equal(e.attrs?.gid, 1);
  assert.equal(e.attrs?.rev, 3);
  assert.equal(e.attrs?.signature, 'ET SCAN rom-0');
  assert.equal(e.attrs?.category, 'Attempted Information Leak');
  assert.equal(e.attrs?.verdict, 'blocked');
  assert.equal(e.attrs?.flowId, '1676750115612680');
  assert.equal(e.attrs?.appProto, 'http');
  assert.deepEqual(e.http, { method: 'GET', uri: '/rom-0', status: 404, host: 'h' });
  assert.equal(e.packets, 7);
  assert.equal(e.bytes, 800);
});

test('EVE alert with target: the event is from the source to the target', () => {
  const e = eve(
    `{"timestamp":"2026-11-23T11:12:20Z","event_type":"alert",${tuple},"alert":{"signature_id":9,"signature":"resp","severity":1,"source":{"ip":"10.99.0.10","port":22},"target":{"ip":"10.99.1.67","port":40022}}}`,
  )!;
  assert.deepEqual([e.src, e.srcPort, e.dst, e.dstPort], ['10.99.0.10', 22, '10.99.1.67', 40022]);
  assert.equal(e.attrs?.target, '10.99.1.67');
  assert.equal(e.severityId, 4);
});

test('EVE flow → connection (Close / Traffic), refused when the responder only reset, IPS verdicts', () => {
  const flow = (state: string, tc: string, extra = '') =>
    eve(
      `{"timestamp":"2026-11-23T11:14:00Z","event_type":"flow",${tuple},"flow":{"pkts_toserver":3,"pkts_toclient":2,"bytes_toserver":200,"bytes_toclient":120,"start":"2026-11-23T11:12:20Z","end":"2026-11-23T11:12:22Z","state":"${state}"${extra}},"tcp":{"tcp_flags_ts":"1b","tcp_flags_tc":"${tc}"}}`,
    )!;
  const closed = flow('closed', '1b');
  assert.equal(closed.type, 'connection');
  assert.equal(closed.classUid, 4001);
  assert.equal(closed.activityId, 2);
  assert.equal(closed.ts, t0); // the flow's start, not when it was logged
  assert.equal(closed.packets, 5);
  assert.equal(closed.bytes, 320);
  assert.equal(closed.attrs?.duration, 2);
  assert.equal(closed.action, undefined);
  assert.equal(flow('established', '12').activityId, 6);
  const refused = flow('closed', '14');
  assert.equal(refused.type, 'connection-refused');
  assert.equal(refused.activityId, 5);
  assert.equal(flow('closed', '1b', ',"action":"drop"').action, 'denied');
  assert.equal(flow('closed', '1b', ',"action":"pass"').action, 'allowed');
});

test('EVE http → web-access / access-denied (4002 by method); ssh → SSH Activity Open; drop → firewall-deny', () => {
  const http = (status: number, method = 'GET') =>
    eve(
      `{"timestamp":"2026-11-23T11:12:20Z","event_type":"http",${tuple},"http":{"hostname":"h","url":"/a","http_method":"${method}","protocol":"HTTP/1.1","status":${status},"length":12,"http_user_agent":"curl/8"}}`,
    )!;
  const ok = http(200);
  assert.equal(ok.type, 'web-access');
  assert.equal(ok.classUid, 4002);
  assert.equal(ok.activityId, 3);
  assert.deepEqual(ok.http, {
    method: 'GET',
    uri: '/a',
    version: 'HTTP/1.1',
    status: 200,
    bytes: 12,
    userAgent: 'curl/8',
    host: 'h',
  });
  const denied = http(403, 'POST');
  assert.equal(denied.type, 'access-denied');
  assert.equal(denied.action, 'denied');
  assert.equal(denied.activityId, 6);
  assert.equal(http(200, 'LXAM').activityId, 99);

  const ssh = eve(
    `{"timestamp":"2026-11-23T11:12:20Z","event_type":"ssh",${tuple},"ssh":{"client":{"proto_version":"2.0","software_version":"libssh_0.9.6"},"server":{"proto_version":"2.0","software_version":"OpenSSH_9.6"}}}`,
  )!;
  assert.equal(ssh.type, 'connection');
  assert.equal(ssh.classUid, 4007);
  assert.equal(ssh.activityId, 1);
  assert.equal(ssh.attrs?.clientSoftware, 'libssh_0.9.6');
  assert.equal(ssh.attrs?.serverSoftware, 'OpenSSH_9.6');

  const drop = eve(`{"timestamp":"2026-11-23T11:12:20Z","event_type":"drop",${tuple},"drop":{"len":60}}`)!;
  assert.equal(drop.type, 'firewall-deny');
  assert.equal(drop.action, 'denied');
  assert.equal(drop.activityId, 5);
});

test('EVE anomaly → informational ids-alert (as Zeek weird)', () => {
  const e = eve(
    `{"timestamp":"2026-11-23T11:12:20Z","event_type":"anomaly",${tuple},"anomaly":{"type":"applayer","event":"INVALID_RECORD_TYPE","layer":"proto_parser"}}`,
  )!;
  assert.equal(e.type, 'ids-alert');
  assert.equal(e.classUid, 2004);
  assert.equal(e.severityId, 1);
  assert.equal(e.attrs?.anomalyEvent, 'INVALID_RECORD_TYPE');
  assert.equal(e.attrs?.layer, 'proto_parser');
  assert.equal(e.message, 'anomaly applayer INVALID_RECORD_TYPE');
});

test('EVE dns, tls, fileinfo, stats and records without an address make no Event', () => {
  for (const body of [
    `"event_type":"dns",${tuple},"dns":{"type":"query","rrname":"a"}`,
    `"event_type":"tls",${tuple},"tls":{"sni":"a"}`,
    `"event_type":"fileinfo",${tuple},"fileinfo":{"filename":"a"}`,
    '"event_type":"anomaly","anomaly":{"type":"decode","event":"x"}',
    '"event_type":"stats","stats":{}',
    '"event_type":"alert","alert":{"signature_id":1}',
    '"event_type":"flow","flow":{}',
  ])
    assert.equal(eve(`{"timestamp":"2026-11-23T11:12:20Z",${body}}`), null, body);
});

test('uids: the same line gives the same uid; another line or position another', () => {
  const line = `{"timestamp":"2026-11-23T11:12:20Z","event_type":"http",${tuple},"http":{"url":"/"}}`;
  assert.equal(eve(line, 3)!.uid, eve(line, 3)!.uid);
  assert.notEqual(eve(line, 3)!.uid, eve(line, 4)!.uid);
  assert.notEqual(eve(line, 3)!.uid, eve(line.replace('"/"', '"/b"'), 3)!.uid);
});

test('Snort fast, full and JSON alerts → ids-alert with source kind snort', () => {
  const c = ctx(7);
  const fast = snortFastReader.parseLine(
    '11/23-11:12:20.000001  [**] [1:1000001:3] PICKET probe [**] [Classification: Attempted Information Leak] [Priority: 1] {TCP} 10.99.1.67:40022 -> 10.99.0.10:22',
    c,
  ) as IdsRecord;
  const e = idsToEvent(fast, { file: 'alert', line: 7 })!;
  eventSchema.parse(e);
  assert.equal(e.type, 'ids-alert');
  assert.deepEqual(e.source, { kind: 'snort', format: 'snort-fast', file: 'alert', line: 7 });
  assert.equal(e.severityId, 4);
  assert.equal(e.action, 'unknown');
  assert.equal(e.attrs?.category, 'Attempted Information Leak');
  assert.deepEqual([e.src, e.srcPort, e.dst, e.dstPort], ['10.99.1.67', 40022, '10.99.0.10', 22]);

  // A full alert is one event at its header line, whatever line completed it.
  const f = ctx(1);
  const lines = [
    '[**] [1:384:8] ICMP PING [**]',
    '[Priority: 3] ',
    '11/23-11:12:21.0 10.99.1.68 -> 10.99.0.10',
    'ICMP TTL:64 TOS:0x0 ID:1 IpLen:20 DgmLen:84',
  ];
  let full: IdsRecord | undefined;
  lines.forEach((l, i) => {
    f.line = 10 + i;
    const r = snortFastReader.parseLine(l, f);
    if (r && !isProblem(r)) full = r as IdsRecord;
  });
  const fe = idsToEvent(full!, { file: 'alert', line: 13 })!;
  assert.equal(fe.source.line, 10);
  assert.equal(fe.source.format, 'snort-full');
  assert.equal(fe.severityId, 2);
  assert.equal(fe.proto, 'icmp');

  const j = parseSnort3JsonLine(
    '{ "timestamp" : "11/23-11:12:20.1", "pkt_num" : 5, "proto" : "TCP", "src_ap" : "10.99.1.67:40022", "dst_ap" : "10.99.0.10:22", "rule" : "1:1000001:3", "action" : "would_drop", "msg" : "m", "class" : "attempted-recon", "priority" : 4 }',
    ctx(2),
  ) as IdsRecord;
  const je = idsToEvent(j, { file: 'alert_json.txt', line: 2 })!;
  eventSchema.parse(je);
  assert.equal(je.source.format, 'snort3-json');
  assert.equal(je.action, 'allowed');
  assert.equal(je.severityId, 1);
  assert.equal(je.attrs?.classtype, 'attempted-recon');
  assert.equal(je.attrs?.pktNum, 5);
});

test('severity and verdict tables', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 255].map(severityOfPriority), [4, 4, 3, 2, 1, 1]);
  assert.equal(severityOfPriority(undefined), 0);
  assert.deepEqual(
    ['allowed', 'blocked', 'allow', 'drop', 'Drop', 'reset', 'reject', 'would_drop', undefined, 'hold'].map(
      actionOfVerdict,
    ),
    ['allowed', 'denied', 'allowed', 'denied', 'denied', 'denied', 'denied', 'allowed', 'unknown', 'unknown'],
  );
});
