import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClassificationConfig } from '../parse/classification.js';
import { toEveAlert } from './eve.js';
import { eveString, eveTimestamp, printablePayload } from './eve-text.js';
import { alertFor, bytes, dnsTx, httpTx, sshTx, tlsTx } from './testing.js';

const JCE =
  'msg:"PICKET SCAN JCE bot"; flow:established,to_server; http.user_agent; content:"BOT for JCE"; ' +
  'classtype:web-application-attack; priority:1; metadata:created_at 2024_05_01, affected_product Joomla; ' +
  'sid:9900042; rev:3;';

test('an HTTP alert becomes the exact EVE record Suricata would write', () => {
  const http = httpTx({
    method: 'GET',
    uri: '/index.php?option=com_jce&task=plugin',
    protocol: 'HTTP/1.1',
    requestHeaders: [
      ['Host', 'Example.COM:8080'],
      ['User-Agent', 'BOT/0.1 (BOT for JCE)'],
      ['Referer', 'http://example.com/'],
    ],
    status: '404',
    responseHeaders: [
      ['Content-Type', 'text/html; charset=us-ascii'],
      ['Content-Length', '311'],
    ],
    responseBody: 'x'.repeat(20),
  });
  const rec = toEveAlert(alertFor(JCE, { http, appProto: 'http', txId: 0, capture: 'in.pcap' }), {
    sensorName: 'edge-1',
    utcOffsetMinutes: 0,
  });
  assert.deepEqual(rec, {
    timestamp: '2024-01-02T03:04:05.123456+0000',
    flow_id: 1676750115612680,
    pcap_cnt: 42,
    event_type: 'alert',
    pcap_filename: 'in.pcap',
    src_ip: '203.0.113.5',
    src_port: 40000,
    dest_ip: '192.168.1.10',
    dest_port: 80,
    proto: 'TCP',
    community_id: '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
    tx_id: 0,
    alert: {
      action: 'allowed',
      gid: 1,
      signature_id: 9900042,
      rev: 3,
      signature: 'PICKET SCAN JCE bot',
      category: 'web-application-attack',
      severity: 1,
      metadata: { created_at: ['2024_05_01'], affected_product: ['Joomla'] },
    },
    http: {
      hostname: 'example.com',
      http_port: 8080,
      url: '/index.php?option=com_jce&task=plugin',
      http_user_agent: 'BOT/0.1 (BOT for JCE)',
      http_content_type: 'text/html',
      http_refer: 'http://example.com/',
      http_method: 'GET',
      protocol: 'HTTP/1.1',
      status: 404,
      length: 311,
    },
    app_proto: 'http',
    direction: 'to_server',
    host: 'edge-1',
  });
  // Key order follows Suricata's: time and flow first, tuple, alert, app objects, then direction.
  assert.deepEqual(Object.keys(rec).slice(0, 4), ['timestamp', 'flow_id', 'pcap_cnt', 'event_type']);
});

test('category comes from classification.config; severity defaults to 3 without priority', () => {
  const classes = parseClassificationConfig(
    'config classification: web-application-attack,Web Application Attack,1\n',
  ).classes;
  const a = alertFor(JCE);
  const alert = toEveAlert(a, { classifications: classes }).alert as Record<string, unknown>;
  assert.equal(alert.category, 'Web Application Attack');
  const bare = toEveAlert(alertFor('msg:"x"; content:"a"; sid:5;')).alert as Record<string, unknown>;
  assert.equal(bare.category, '');
  assert.equal(bare.severity, 3);
  assert.equal(bare.metadata, undefined, 'no metadata object when the rule has none');
});

test('timestamps: local offset with sign, microseconds rounded, default is the machine zone', () => {
  assert.equal(eveTimestamp(1704164645.123456, 0), '2024-01-02T03:04:05.123456+0000');
  assert.equal(eveTimestamp(1704164645.123456, 330), '2024-01-02T08:34:05.123456+0530');
  assert.equal(eveTimestamp(1704164645.5, -480), '2024-01-01T19:04:05.500000-0800');
  assert.equal(eveTimestamp(1.9999996, 0), '1970-01-01T00:00:02.000000+0000');
  assert.equal(eveTimestamp(0, 0), '1970-01-01T00:00:00.000000+0000');
  const local = eveTimestamp(1704164645, undefined);
  const off = -new Date(1704164645000).getTimezoneOffset();
  assert.equal(local, eveTimestamp(1704164645, off));
  assert.throws(() => eveTimestamp(Number.NaN, 0), /finite/);
});

test('attacker bytes: valid UTF-8 kept, otherwise high bytes as \\xNN, controls left to JSON', () => {
  assert.equal(eveString(bytes('héllo')), 'héllo');
  assert.equal(eveString(new Uint8Array([0x61, 0xff, 0x62])), 'a\\xffb');
  assert.equal(eveString(new Uint8Array([0xc3])), '\\xc3', 'a cut multi-byte sequence is invalid');
  assert.equal(eveString(new Uint8Array([0x1b, 0x5b, 0x33, 0x31, 0x6d])), '\x1b[31m');
  assert.equal(JSON.stringify(eveString(new Uint8Array([0x1b, 0x00]))), '"\\u001b\\u0000"');
  assert.equal(eveString(bytes('abcdef'), 3), 'abc[truncated]');
  const ua = httpTx({ requestHeaders: [['User-Agent', '}__test|O:21:"JDatabaseDriverMysqli"']] });
  ua.requestHeaders[0]![1] = new Uint8Array([...bytes('x'), 0x00, 0xfe, ...bytes('"\\')]);
  const rec = toEveAlert(alertFor(JCE, { http: ua }), { utcOffsetMinutes: 0 });
  const line = JSON.stringify(rec);
  assert.ok(line.includes('"http_user_agent":"x\\u0000\\\\xfe\\"\\\\"'), line);
  assert.deepEqual(JSON.parse(line), rec, 'round-trips through JSON');
});

test('payload, payload_printable and payload_length only when asked', () => {
  const payload = new Uint8Array([0x47, 0x45, 0x54, 0x20, 0x00, 0xff, 0x0d, 0x0a]);
  const a = alertFor(JCE, { payload });
  assert.equal(toEveAlert(a).payload, undefined);
  const rec = toEveAlert(a, { includePayload: true });
  assert.equal(rec.payload, Buffer.from(payload).toString('base64'));
  assert.equal(rec.payload_printable, 'GET ..\r\n');
  assert.equal(rec.payload_length, 8);
  assert.equal(printablePayload(new Uint8Array([0x7f, 0x7e, 0x09])), '.~.');
});

test('ICMP and IPv6-ICMP: Suricata protocol names, no ports, the type from the flow key', () => {
  const rec = toEveAlert(
    alertFor('msg:"p"; itype:8; sid:7;', {
      ipProto: 1,
      srcPort: 8,
      dstPort: 0,
      src: '198.51.100.7',
      dst: '10.0.0.1',
    }),
  );
  assert.equal(rec.proto, 'ICMP');
  assert.equal(rec.src_port, undefined);
  assert.equal(rec.dest_port, undefined);
  assert.equal(rec.icmp_type, 8);
  const v6 = toEveAlert(alertFor('msg:"p"; sid:7;', { ipProto: 58, src: '2001:db8::1', dst: '2001:db8::2' }));
  assert.equal(v6.proto, 'IPv6-ICMP');
  assert.equal(toEveAlert(alertFor('msg:"p"; sid:7;', { ipProto: 17 })).proto, 'UDP');
  assert.equal(toEveAlert(alertFor('msg:"p"; sid:7;', { ipProto: 253 })).proto, '253');
  const arp = toEveAlert(alertFor('msg:"p"; sid:7;', { ipProto: -1, flowUid: undefined }));
  assert.equal(arp.src_ip, undefined);
  assert.equal(arp.direction, undefined);
});

test('direction and target', () => {
  const a = alertFor('msg:"t"; content:"x"; target:dest_ip; sid:8;', { toServer: false });
  const rec = toEveAlert(a);
  assert.equal(rec.direction, 'to_client');
  const alert = rec.alert as Record<string, unknown>;
  assert.deepEqual(alert.target, { ip: '192.168.1.10', port: 80 });
  assert.deepEqual(alert.source, { ip: '203.0.113.5', port: 40000 });
  const s = toEveAlert(alertFor('msg:"t"; content:"x"; target:src_ip; sid:8;')).alert as Record<
    string,
    unknown
  >;
  assert.deepEqual(s.target, { ip: '203.0.113.5', port: 40000 });
});

test('dns, tls, ssh and files objects', () => {
  const q = toEveAlert(
    alertFor(JCE, {
      dns: dnsTx({ queries: [{ name: bytes('evil.example'), type: 1, class: 1 }] }),
      appProto: 'dns',
    }),
  );
  assert.deepEqual(q.dns, {
    version: 3,
    type: 'request',
    id: 0x1234,
    queries: [{ rrname: 'evil.example', rrtype: 'A' }],
  });
  const r = toEveAlert(
    alertFor(JCE, {
      dns: dnsTx({
        response: true,
        rcode: 3,
        queries: [{ name: bytes('x.example'), type: 28, class: 1 }],
        answers: [{ name: bytes('x.example'), type: 5, ttl: 60, data: 'y.example' }],
      }),
    }),
  );
  assert.deepEqual(r.dns, {
    version: 3,
    type: 'response',
    id: 0x1234,
    qr: true,
    rcode: 'NXDOMAIN',
    queries: [{ rrname: 'x.example', rrtype: 'AAAA' }],
    answers: [{ rrname: 'x.example', rrtype: 'CNAME', ttl: 60, rdata: 'y.example' }],
  });

  const tls = toEveAlert(
    alertFor(JCE, {
      tls: tlsTx({
        clientVersion: 0x0303,
        serverVersion: 0x0304,
        serverHelloDone: true,
        sni: bytes('login.example'),
        certSubject: bytes('C=US, CN=login.example'),
        certIssuer: bytes('C=US, O=Test CA'),
        certSerial: bytes('0A:1B'),
        certFingerprint: bytes('aa:bb'),
        certNotBefore: 1704067200,
        certNotAfter: 1735689599,
        ja3: { hash: 'e7d705a3286e19ea42f587b344ee6865', string: '771,4865,0,29,0' },
        ja3s: { hash: '15af977ce25de452b96affa2addb1036', string: '771,4865,43' },
      }),
    }),
  );
  assert.deepEqual(tls.tls, {
    subject: 'C=US, CN=login.example',
    issuerdn: 'C=US, O=Test CA',
    serial: '0A:1B',
    fingerprint: 'aa:bb',
    sni: 'login.example',
    version: 'TLS 1.3',
    notbefore: '2024-01-01T00:00:00',
    notafter: '2024-12-31T23:59:59',
    ja3: { hash: 'e7d705a3286e19ea42f587b344ee6865', string: '771,4865,0,29,0' },
    ja3s: { hash: '15af977ce25de452b96affa2addb1036', string: '771,4865,43' },
  });

  const ssh = toEveAlert(
    alertFor(JCE, {
      ssh: sshTx({ clientProto: bytes('2.0'), clientSoftware: bytes('libssh_0.9.6') }),
    }),
  );
  assert.deepEqual(ssh.ssh, { client: { proto_version: '2.0', software_version: 'libssh_0.9.6' } });

  const file = {
    proto: 'http',
    id: 0,
    name: bytes('/shell.php'),
    toServer: true,
    data: bytes('<?php'),
    truncated: false,
    done: true,
  };
  const f = toEveAlert(alertFor(JCE, { file, txId: 2 }));
  assert.deepEqual(f.files, [
    { filename: '/shell.php', gaps: false, state: 'CLOSED', stored: false, size: 5, tx_id: 2 },
  ]);
  const partial = toEveAlert(alertFor(JCE, { file: { ...file, truncated: true, done: false } }));
  assert.deepEqual(partial.files, [{ filename: '/shell.php', gaps: false, state: 'OPEN', stored: false }]);
});

test('http: status that is not three digits goes to status_string; HTTP/2 authority and version', () => {
  const tx = httpTx({
    method: 'GET',
    uri: '/',
    requestHeaders: [[':authority', '[2001:DB8::1]:443']],
    status: '2XX',
    version: 2,
  });
  const h = toEveAlert(alertFor(JCE, { http: tx })).http as Record<string, unknown>;
  assert.equal(h.hostname, '2001:db8::1');
  assert.equal(h.http_port, 443);
  assert.equal(h.status_string, '2XX');
  assert.equal(h.status, undefined);
  assert.equal(h.version, '2');
  assert.equal(h.length, 0, 'no Content-Length: the body length');
  const noPort = toEveAlert(alertFor(JCE, { http: httpTx({ requestHeaders: [['Host', 'a.example:']] }) }))
    .http as Record<string, unknown>;
  assert.equal(noPort.hostname, 'a.example:', 'an empty port is not a port');
});
