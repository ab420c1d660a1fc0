/**
 * The EVE reader on hand-made lines of every type it types, every Suricata
 * DNS layout, the examples of Suricata's own format guide (read from the
 * shared data at test time) and broken lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { defaultLineContext, isProblem, type LineContext } from '../syslog/types.js';
import { canonicalAddress } from './address.js';
import { eveReader, parseEveLine } from './eve.js';
import type { EveRecord } from './record.js';
import { snort3JsonReader } from './snort3-json.js';

const ctx = (line = 1): LineContext => defaultLineContext({ file: 'eve.json', line });

function record(line: string): EveRecord {
  const r = parseEveLine(line, ctx());
  assert.ok(r !== null && !isProblem(r), `expected a record, got ${JSON.stringify(r)}`);
  return r as EveRecord;
}

function problemCode(line: string): string {
  const r = parseEveLine(line, ctx(42));
  assert.ok(r !== null && isProblem(r), `expected a problem for ${line.slice(0, 80)}`);
  assert.equal(r.line, 42);
  assert.equal(r.file, 'eve.json');
  return r.code;
}

const tuple = '"src_ip":"10.99.1.67","src_port":40022,"dest_ip":"10.99.0.10","dest_port":22,"proto":"TCP"';

test('alert: signature, tuple, microsecond time with offset, exact 64-bit flow id, verdict', () => {
  const r = record(
    `{"timestamp":"2026-11-23T12:12:20.123456+0100","flow_id":1676750115612680,"pcap_cnt":130,"event_type":"alert",${tuple},` +
      '"alert":{"action":"allowed","gid":1,"signature_id":2006546,"rev":7,"signature":"ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack","category":"Attempted Administrator Privilege Gain","severity":1},"app_proto":"ssh","host":"sensor-1"}',
  );
  assert.equal(r.eventType, 'alert');
  assert.equal(r.ts, Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.123456);
  assert.equal(r.flowId, '1676750115612680');
  assert.equal(r.src, '10.99.1.67');
  assert.equal(r.srcPort, 40022);
  assert.equal(r.dst, '10.99.0.10');
  assert.equal(r.dstPort, 22);
  assert.equal(r.proto, 'tcp');
  assert.equal(r.host, 'sensor-1');
  assert.deepEqual(r.alert, {
    gid: 1,
    sid: 2006546,
    rev: 7,
    msg: 'ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack',
    category: 'Attempted Administrator Privilege Gain',
    priority: 1,
    action: 'allowed',
  });
  // A flow id past 2^53 keeps its digits (JSON.parse alone would round it).
  assert.equal(
    record(`{"timestamp":"2026-11-23T12:12:20Z","flow_id":18446744073709551557,"event_type":"flow",${tuple}}`)
      .flowId,
    '18446744073709551557',
  );
});

test('alert with target keyword keeps source and target', () => {
  const r = record(
    `{"timestamp":"2026-11-23T12:12:20Z","event_type":"alert",${tuple},"alert":{"signature_id":9,"signature":"t","source":{"ip":"10.99.0.10","port":22},"target":{"ip":"10.99.1.67","port":40022}}}`,
  );
  assert.equal(r.alert?.sourceIp, '10.99.0.10');
  assert.equal(r.alert?.targetIp, '10.99.1.67');
  assert.equal(r.alert?.targetPort, 40022);
  assert.equal(r.alert?.gid, 1);
});

test('flow, netflow, http, ssh, tls, fileinfo, anomaly and an unknown type', () => {
  const flow = record(
    `{"timestamp":"2026-11-23T11:13:00.5+0000","event_type":"flow",${tuple},"app_proto":"ssh","flow":{"pkts_toserver":6,"pkts_toclient":4,"bytes_toserver":700,"bytes_toclient":1200,"start":"2026-11-23T11:12:20.000001+0000","end":"2026-11-23T11:12:21.5+0000","age":1,"state":"closed","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"1b","tcp_flags_ts":"1b","tcp_flags_tc":"1b","state":"closed"}}`,
  );
  assert.deepEqual(flow.flow, {
    pktsToServer: 6,
    pktsToClient: 4,
    bytesToServer: 700,
    bytesToClient: 1200,
    start: Date.UTC(2026, 10, 23, 11, 12, 20) / 1000 + 0.000001,
    end: Date.UTC(2026, 10, 23, 11, 12, 21) / 1000 + 0.5,
    age: 1,
    state: 'closed',
    reason: 'timeout',
    alerted: false,
    tcpFlagsToServer: 0x1b,
    tcpFlagsToClient: 0x1b,
    tcpState: 'closed',
  });
  assert.equal(flow.appProto, 'ssh');
  const nf = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"netflow",${tuple},"netflow":{"pkts":3,"bytes":180,"start":"2026-11-23T11:12:20Z","end":"2026-11-23T11:12:22Z","age":2}}`,
  );
  assert.equal(nf.flow?.pktsToServer, 3);
  assert.equal(nf.flow?.bytesToServer, 180);

  const http = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"http","tx_id":0,${tuple.replace('22,', '80,')},"http":{"hostname":"lab.example","http_port":8080,"url":"/rom-0","http_user_agent":"curl/8.5.0","http_method":"GET","protocol":"HTTP/1.1","status":"404","length":153,"http_refer":"http://x/"}}`,
  );
  assert.deepEqual(http.http, {
    hostname: 'lab.example',
    url: '/rom-0',
    method: 'GET',
    protocol: 'HTTP/1.1',
    status: 404, // text in old Suricata versions, a number in new ones
    length: 153,
    userAgent: 'curl/8.5.0',
    referrer: 'http://x/',
    port: 8080,
  });

  const ssh = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"ssh",${tuple},"ssh":{"client":{"proto_version":"2.0","software_version":"libssh_0.9.6","hassh":{"hash":"abc","string":"x"}},"server":{"proto_version":"2.0","software_version":"OpenSSH_9.6p1"}}}`,
  );
  assert.deepEqual(ssh.ssh, {
    clientVersion: '2.0',
    clientSoftware: 'libssh_0.9.6',
    serverVersion: '2.0',
    serverSoftware: 'OpenSSH_9.6p1',
    clientHassh: 'abc',
  });

  const tls = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"tls",${tuple},"tls":{"subject":"CN=a","issuerdn":"CN=b","sni":"a.example","version":"TLS 1.3","ja3":{"hash":"j3","string":"s"},"ja4":"t13d"}}`,
  );
  assert.deepEqual(tls.tls, {
    sni: 'a.example',
    subject: 'CN=a',
    issuer: 'CN=b',
    version: 'TLS 1.3',
    ja3: 'j3',
    ja4: 't13d',
  });

  const file = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"fileinfo",${tuple},"http":{"url":"/x.exe"},"fileinfo":{"filename":"/x.exe","size":137,"state":"CLOSED","stored":false,"sha256":"ff"}}`,
  );
  assert.deepEqual(file.fileinfo, {
    filename: '/x.exe',
    size: 137,
    state: 'CLOSED',
    stored: false,
    sha256: 'ff',
  });
  assert.equal(file.http?.url, '/x.exe');

  const anomaly = record(
    '{"timestamp":"1969-12-31T16:04:21.000000-0800","pcap_cnt":9262,"event_type":"anomaly","src_ip":"208.21.2.184","src_port":0,"dest_ip":"10.1.1.99","dest_port":0,"proto":"UDP","anomaly":{"type":"decode","event":"decoder.udp.pkt_too_small"}}',
  );
  assert.deepEqual(anomaly.anomaly, { type: 'decode', event: 'decoder.udp.pkt_too_small' });
  assert.equal(anomaly.ts, 261);

  const stats = record('{"timestamp":"2026-11-23T11:13:00Z","event_type":"stats","stats":{"uptime":8}}');
  assert.equal(stats.eventType, 'stats');
  assert.equal(stats.src, undefined);
  const smb = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"smb",${tuple},"smb":{"command":"x"}}`,
  );
  assert.equal(smb.eventType, 'smb');
  assert.equal(smb.src, '10.99.1.67');
});

test('dns: version 1 flat lines, version 2 answers and grouped, version 3 request/response, v2 alert layout', () => {
  const v1q = record(
    `{"timestamp":"2016-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"type":"query","id":16000,"rrname":"twitter.com","rrtype":"A","tx_id":0}}`,
  ).dns!;
  assert.deepEqual(v1q, {
    version: 1,
    type: 'query',
    id: 16000,
    queries: [{ rrname: 'twitter.com', rrtype: 'A' }],
    answers: [],
  });
  const v1a = record(
    `{"timestamp":"2016-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"type":"answer","id":16000,"rcode":"NOERROR","rrname":"twitter.com","rrtype":"A","ttl":8,"rdata":"199.16.156.6"}}`,
  ).dns!;
  assert.equal(v1a.version, 1);
  assert.equal(v1a.type, 'answer');
  assert.deepEqual(v1a.answers, [{ rrname: 'twitter.com', rrtype: 'A', ttl: 8, rdata: '199.16.156.6' }]);
  const v2a = record(
    `{"timestamp":"2020-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"version":2,"type":"answer","id":45444,"flags":"8180","qr":true,"rrname":"www.suricata.io","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"www.suricata.io","rrtype":"CNAME","ttl":3324,"rdata":"suricata.io"},{"rrname":"suricata.io","rrtype":"A","ttl":10,"rdata":"192.0.78.24"}]}}`,
  ).dns!;
  assert.equal(v2a.version, 2);
  assert.equal(v2a.rcode, 'NOERROR');
  assert.equal(v2a.flags, '8180');
  assert.deepEqual(
    v2a.answers.map((a) => a.rdata),
    ['suricata.io', '192.0.78.24'],
  );
  const v2g = record(
    `{"timestamp":"2020-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"type":"answer","id":18523,"rcode":"NOERROR","grouped":{"A":["192.0.78.24","192.0.78.25"],"CNAME":["suricata.io"]}}}`,
  ).dns!;
  assert.equal(v2g.version, 2);
  assert.deepEqual(v2g.answers, [
    { rrtype: 'A', rdata: '192.0.78.24' },
    { rrtype: 'A', rdata: '192.0.78.25' },
    { rrtype: 'CNAME', rdata: 'suricata.io' },
  ]);
  const v3 = record(
    `{"timestamp":"2025-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"version":3,"type":"response","id":9,"rcode":"NXDOMAIN","queries":[{"rrname":"nope.example","rrtype":"AAAA"}]}}`,
  ).dns!;
  assert.deepEqual(v3, {
    version: 3,
    type: 'answer',
    id: 9,
    rcode: 'NXDOMAIN',
    queries: [{ rrname: 'nope.example', rrtype: 'AAAA' }],
    answers: [],
  });
  const v3unversioned = record(
    `{"timestamp":"2025-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"type":"request","id":9,"queries":[{"rrname":"a.example","rrtype":"A"}]}}`,
  ).dns!;
  assert.equal(v3unversioned.version, 3);
  assert.equal(v3unversioned.type, 'query');
  const alertV2 = record(
    `{"timestamp":"2020-01-11T05:10:54Z","event_type":"alert",${tuple},"alert":{"signature_id":5},"dns":{"query":[{"type":"query","id":77,"rrname":"evil.example","rrtype":"TXT","tx_id":0}],"answer":{"type":"answer","id":77,"rcode":"NOERROR","answers":[{"rrname":"evil.example","rrtype":"TXT","rdata":"x"}]}}}`,
  ).dns!;
  assert.equal(alertV2.version, 2);
  assert.equal(alertV2.id, 77);
  assert.deepEqual(alertV2.queries, [{ rrname: 'evil.example', rrtype: 'TXT' }]);
  assert.equal(alertV2.answers[0]?.rdata, 'x');
  // A flood of answers is bounded and counted.
  const many = Array.from({ length: 100 }, (_, i) => `"10.0.0.${i}"`).join(',');
  const big = record(
    `{"timestamp":"2020-01-11T05:10:54Z","event_type":"dns",${tuple},"dns":{"type":"answer","grouped":{"A":[${many}]}}}`,
  ).dns!;
  assert.equal(big.answers.length, 32);
  assert.equal(big.dropped, 68);
});

test('IPv6 and mapped addresses are put in one text form', () => {
  const r = record(
    '{"timestamp":"2026-11-23T11:13:00Z","event_type":"flow","src_ip":"2001:DB8:0:0:0:0:0:1","src_port":5,"dest_ip":"::FFFF:10.0.0.1","dest_port":6,"proto":"IPv6-ICMP"}',
  );
  assert.equal(r.src, '2001:db8::1');
  assert.equal(r.dst, canonicalAddress('::ffff:10.0.0.1'));
  assert.equal(r.proto, 'ipv6-icmp');
});

test('broken lines are problems with file and line; blank lines are nothing', () => {
  assert.equal(parseEveLine('', ctx()), null);
  assert.equal(parseEveLine('   ', ctx()), null);
  const good = `{"timestamp":"2026-11-23T11:13:00Z","event_type":"flow",${tuple}}`;
  assert.equal(problemCode(good.slice(0, 50)), 'eve.bad-json'); // truncated
  assert.equal(problemCode('Nov 23 11:13:00 h suricata[1]: hello'), 'eve.not-json');
  assert.equal(problemCode('[1,2,3]'), 'eve.not-json');
  assert.equal(problemCode('{"timestamp":"2026-11-23T11:13:00Z"}'), 'eve.missing-field');
  assert.equal(problemCode('{"timestamp":"2026-11-23T11:13:00Z","event_type":7}'), 'eve.missing-field');
  assert.equal(problemCode('{"timestamp":"yesterday","event_type":"flow"}'), 'eve.bad-timestamp');
  assert.equal(problemCode('{"timestamp":1700000000,"event_type":"flow"}'), 'eve.bad-timestamp');
  assert.equal(problemCode('{"timestamp":"2026-13-23T11:13:00Z","event_type":"flow"}'), 'eve.bad-timestamp');
  assert.equal(problemCode(good.replace('"10.99.1.67"', '"10.99.1.267"')), 'eve.bad-address');
  assert.equal(problemCode(good.replace('"10.99.1.67"', '167')), 'eve.bad-address');
  assert.equal(problemCode(good.replace('"flow"', '"alert"')), 'eve.bad-alert');
  assert.equal(
    problemCode(good.replace('"flow"', '"alert"').replace('}', ',"alert":{"signature_id":"x"}}')),
    'eve.bad-alert',
  );
  // Wrong types inside a section are left out, never guessed.
  const r = record(
    good.replace('}', ',"flow":{"pkts_toserver":"many","bytes_toserver":-5,"state":7,"start":"x"}}'),
  );
  assert.deepEqual(r.flow, {});
  const ports = record(good.replace('40022', '70000').replace('"dest_port":22', '"dest_port":"22"'));
  assert.equal(ports.srcPort, undefined);
  assert.equal(ports.dstPort, 22);
  // Keys that name Object.prototype members are plain data.
  const proto = record(
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"http",${tuple},"__proto__":{"x":1},"http":{"constructor":"y","url":"/"}}`,
  );
  assert.equal(proto.http?.url, '/');
  // A deeply nested value does not crash the reader.
  const deep = `{"timestamp":"2026-11-23T11:13:00Z","event_type":"x","a":${'['.repeat(100000)}${']'.repeat(100000)}}`;
  const d = parseEveLine(deep, ctx());
  assert.ok(d !== null);
});

test('a 1 MB line and invalid UTF-8 (decoded as U+FFFD) are read or refused, never thrown', () => {
  const huge = `{"timestamp":"2026-11-23T11:13:00Z","event_type":"http",${tuple},"http":{"url":"/${'A'.repeat(1 << 20)}"}}`;
  const r = record(huge);
  assert.ok((r.http?.url?.length ?? 0) <= 8192);
  const bad = new TextDecoder().decode(
    Buffer.concat([
      Buffer.from(`{"timestamp":"2026-11-23T11:13:00Z","event_type":"http",${tuple},"http":{"url":"/`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}'),
    ]),
  );
  assert.ok(record(bad).http?.url?.includes('\ufffd'));
});

test('sniff: confident on EVE, not on Snort 3 JSON, Zeek JSON or syslog; a cut first line still counts', () => {
  const eve = [
    `{"timestamp":"2026-11-23T11:13:00Z","flow_id":1,"event_type":"flow",${tuple}}`,
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"stats","stats":{"uptime":8,"capture":{"kernel_packets":`,
  ];
  assert.equal(eveReader.sniff(eve), 1);
  const snort3 = [
    '{ "timestamp" : "11/23-11:12:20.000001", "pkt_num" : 7, "proto" : "TCP", "pkt_gen" : "raw", "pkt_len" : 60, "dir" : "C2S", "src_ap" : "10.99.1.67:40022", "dst_ap" : "10.99.0.10:22", "rule" : "1:1000001:1", "action" : "allow" }',
  ];
  assert.equal(eveReader.sniff(snort3), 0);
  assert.equal(snort3JsonReader.sniff(eve), 0);
  assert.equal(
    eveReader.sniff(['{"ts":1700000000.1,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"proto":"tcp"}']),
    0,
  );
  assert.equal(eveReader.sniff(['Nov 23 11:13:00 h sshd[1]: Connection closed by 10.0.0.1 port 5']), 0);
});

/** The JSON objects of the format guide's literal blocks (`::` then an indented block). */
function guideExamples(rst: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const lines = rst.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimEnd().endsWith('::')) continue;
    const block: string[] = [];
    let j = i + 1;
    while (j < lines.length && (lines[j]!.trim() === '' || /^\s/.test(lines[j]!))) block.push(lines[j++]!);
    for (const chunk of topLevelObjects(block.join('\n'))) {
      try {
        const v = JSON.parse(chunk);
        if (v && typeof v === 'object' && typeof v.event_type === 'string' && typeof v.timestamp === 'string')
          out.push(v);
      } catch {
        // Fragments and examples with comments or trailing commas are not whole records.
      }
    }
    i = j - 1;
  }
  return out;
}

function topLevelObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && depth > 0 && --depth === 0) out.push(text.slice(start, i + 1));
  }
  return out;
}

const guide = sharedData('logs/suricata-eve/eve-json-format.rst');

test("Suricata's format guide examples: each becomes a record that agrees with it", {
  skip: guide.skip,
}, () => {
  const examples = guideExamples(readFileSync(guide.path, 'utf8'));
  const types = new Set(examples.map((e) => e.event_type));
  for (const t of ['alert', 'fileinfo', 'http', 'anomaly', 'flow'])
    assert.ok(types.has(t), `guide has a ${t} example`);
  assert.ok(sniffable(examples));
  for (const ex of examples) {
    const line = JSON.stringify(ex);
    const r = record(line);
    assert.equal(r.eventType, ex.event_type);
    assert.equal(r.src, canonicalAddress(ex.src_ip as string));
    assert.equal(r.dst, canonicalAddress(ex.dest_ip as string));
    assert.equal(r.srcPort, ex.src_port);
    assert.equal(r.proto, (ex.proto as string).toLowerCase());
    // Date.parse keeps milliseconds only; the reader keeps microseconds.
    const ms = Date.parse((ex.timestamp as string).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    assert.ok(Math.abs(r.ts - ms / 1000) < 1e-3, `${ex.timestamp} read as ${r.ts}`);
    const alert = ex.alert as Record<string, unknown> | undefined;
    if (alert) {
      assert.equal(r.alert?.sid, alert.signature_id);
      assert.equal(r.alert?.msg, alert.signature);
      assert.equal(r.alert?.priority, alert.severity);
    }
    const flow = ex.flow as Record<string, unknown> | undefined;
    if (flow && ex.event_type === 'flow') {
      assert.equal(r.flow?.pktsToServer, flow.pkts_toserver);
      assert.equal(r.flow?.bytesToClient, flow.bytes_toclient);
      assert.equal(r.flow?.state, flow.state);
    }
    const http = ex.http as Record<string, unknown> | undefined;
    if (http) {
      assert.equal(r.http?.url, http.url);
      assert.equal(r.http?.method, http.http_method);
    }
    const anomaly = ex.anomaly as Record<string, unknown> | undefined;
    if (anomaly) assert.equal(r.anomaly?.event, anomaly.event);
  }
});

function sniffable(examples: Record<string, unknown>[]): boolean {
  return eveReader.sniff(examples.map((e) => JSON.stringify(e))) === 1;
}

const schema = sharedData('logs/suricata-eve/schema.json');

test('the fields the reader reads are in the EVE schema', { skip: schema.skip }, () => {
  const s = JSON.parse(readFileSync(schema.path, 'utf8')) as {
    properties: Record<string, { properties?: object }>;
  };
  const props = (path: string[]): Record<string, unknown> => {
    let node: { properties?: object } | undefined = s as never;
    for (const p of path)
      node = (node?.properties as Record<string, { properties?: object }> | undefined)?.[p];
    return (node?.properties ?? {}) as Record<string, unknown>;
  };
  const expect: Array<[string[], string[]]> = [
    [
      [],
      [
        'timestamp',
        'flow_id',
        'event_type',
        'src_ip',
        'src_port',
        'dest_ip',
        'dest_port',
        'proto',
        'pcap_cnt',
        'tx_id',
        'app_proto',
        'community_id',
        'in_iface',
        'direction',
        'host',
      ],
    ],
    [
      ['alert'],
      ['action', 'gid', 'signature_id', 'rev', 'signature', 'category', 'severity', 'source', 'target'],
    ],
    [
      ['flow'],
      [
        'pkts_toserver',
        'pkts_toclient',
        'bytes_toserver',
        'bytes_toclient',
        'start',
        'end',
        'age',
        'state',
        'reason',
        'alerted',
        'action',
      ],
    ],
    [
      ['http'],
      [
        'hostname',
        'url',
        'http_method',
        'protocol',
        'status',
        'length',
        'http_user_agent',
        'http_refer',
        'http_content_type',
        'http_port',
      ],
    ],
    [
      ['ssh', 'client'],
      ['proto_version', 'software_version', 'hassh'],
    ],
    [
      ['tls'],
      ['sni', 'subject', 'issuerdn', 'version', 'fingerprint', 'ja3', 'ja3s', 'ja4', 'session_resumed'],
    ],
    [['fileinfo'], ['filename', 'size', 'state', 'stored', 'md5', 'sha256', 'magic']],
    [['anomaly'], ['type', 'event', 'layer', 'code']],
    [
      ['dns'],
      [
        'version',
        'type',
        'id',
        'rcode',
        'flags',
        'queries',
        'answers',
        'grouped',
        'query',
        'answer',
        'rrname',
        'rrtype',
      ],
    ],
    [['tcp'], ['tcp_flags_ts', 'tcp_flags_tc', 'state']],
  ];
  const missing: string[] = [];
  for (const [path, keys] of expect) {
    const have = props(path);
    for (const k of keys) if (!(k in have)) missing.push([...path, k].join('.'));
  }
  assert.deepEqual(missing, []);
});
