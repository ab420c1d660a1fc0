/** Every EVE alert Picket can write validates against Suricata's own EVE JSON schema. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/env.js';
import type { DnsTx, FileTx, HttpTx, SshTx, TlsTx } from '../../schema/app-tx.js';
import type { Alert } from '../engine/alert.js';
import { toEveAlert } from './eve.js';
import { alertFor, httpTx } from './testing.js';

const schemaFile = sharedData('logs/suricata-eve/schema.json');

function validator() {
  const schema = JSON.parse(readFileSync(schemaFile.path, 'utf8'));
  // strict off: the schema carries Suricata's own annotation keywords ("suricata", "desription").
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(schema);
}

const anyBytes = fc.uint8Array({ maxLength: 64 });
/** Mostly text-like bytes, sometimes raw noise, so both rendering paths run. */
const fieldBytes = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
  anyBytes,
);
const headers = fc.array(
  fc.tuple(
    fc
      .constantFrom(
        'Host',
        'User-Agent',
        'Referer',
        'X-Other',
        ':authority',
        'content-type',
        'Location',
        'Content-Length',
      )
      .map((s) => new TextEncoder().encode(s)),
    fieldBytes,
  ),
  { maxLength: 6 },
);

const http: fc.Arbitrary<HttpTx> = fc
  .record({
    version: fc.constantFrom(1 as const, 2 as const),
    method: fc.option(fieldBytes, { nil: undefined }),
    uri: fc.option(fieldBytes, { nil: undefined }),
    protocol: fc.option(fieldBytes, { nil: undefined }),
    requestHeaders: headers,
    statusCode: fc.option(
      fc.oneof(
        fieldBytes,
        fc.integer({ min: 100, max: 599 }).map((n) => new TextEncoder().encode(String(n))),
      ),
      { nil: undefined },
    ),
    responseHeaders: headers,
    responseBody: anyBytes,
    responseHeadersDone: fc.boolean(),
  })
  .map((p) => {
    const tx = httpTx({ version: p.version });
    if (p.method) tx.method = p.method;
    if (p.uri) tx.rawUri = p.uri;
    if (p.protocol) tx.protocol = p.protocol;
    if (p.statusCode) tx.statusCode = p.statusCode;
    tx.requestHeaders = p.requestHeaders;
    tx.responseHeaders = p.responseHeaders;
    tx.responseBody = p.responseBody;
    tx.responseHeadersDone = p.responseHeadersDone;
    return tx;
  });

const dns: fc.Arbitrary<DnsTx> = fc.record({
  txId: fc.integer({ min: 0, max: 65535 }),
  response: fc.boolean(),
  rcode: fc.integer({ min: 0, max: 15 }),
  queries: fc.array(
    fc.record({ name: fieldBytes, type: fc.integer({ min: 0, max: 65535 }), class: fc.constant(1) }),
    { maxLength: 3 },
  ),
  answers: fc.array(
    fc.record({
      name: fieldBytes,
      type: fc.integer({ min: 0, max: 65535 }),
      ttl: fc.integer({ min: 0, max: 2 ** 31 }),
      data: fc.string({ maxLength: 30 }),
    }),
    { maxLength: 3 },
  ),
});

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const fp = fc.record({ hash: fc.string({ maxLength: 32 }), string: fc.string({ maxLength: 60 }) });
const tls: fc.Arbitrary<TlsTx> = fc.record({
  clientVersion: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 0xffff })),
  serverVersion: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 0xffff })),
  sni: opt(fieldBytes),
  certSubject: opt(fieldBytes),
  certIssuer: opt(fieldBytes),
  certSerial: opt(fieldBytes),
  certFingerprint: opt(fieldBytes),
  certNotBefore: opt(fc.integer({ min: -1e11, max: 1e11 })),
  certNotAfter: opt(fc.double()),
  certs: fc.constant([]),
  ja3: opt(fp),
  ja3s: opt(fp),
  clientHelloDone: fc.boolean(),
  serverHelloDone: fc.boolean(),
  certificateDone: fc.boolean(),
});
const ssh: fc.Arbitrary<SshTx> = fc.record({
  clientProto: opt(fieldBytes),
  clientSoftware: opt(fieldBytes),
  serverProto: opt(fieldBytes),
  serverSoftware: opt(fieldBytes),
});
const file: fc.Arbitrary<FileTx> = fc.record({
  proto: fc.constantFrom('http', 'smb', 'smtp'),
  id: fc.nat(100),
  name: fieldBytes,
  toServer: fc.boolean(),
  data: anyBytes,
  truncated: fc.boolean(),
  done: fc.boolean(),
});

const address = fc.oneof(fc.ipV4(), fc.ipV6());
const ruleOptions = fc.constantFrom(
  'msg:"a"; content:"x"; sid:1;',
  'msg:"PICKET b"; content:"x"; classtype:attempted-recon; metadata:created_at 2024_01_01, foo bar, foo baz; sid:9900001; rev:2;',
  'msg:"c"; content:"x"; target:dest_ip; priority:4; sid:3;',
  'msg:"d \\"quoted\\" \\; semi"; content:"x"; target:src_ip; gid:3; sid:4;',
);

const alert: fc.Arbitrary<Alert> = fc
  .record({
    options: ruleOptions,
    ts: fc.double({ min: 0, max: 4294967295, noNaN: true }),
    action: fc.constantFrom('allowed' as const, 'blocked' as const),
    src: address,
    dst: address,
    srcPort: fc.integer({ min: 0, max: 65535 }),
    dstPort: fc.integer({ min: 0, max: 65535 }),
    ipProto: fc.oneof(fc.constantFrom(-1, 1, 6, 17, 58, 132), fc.integer({ min: 0, max: 255 })),
    toServer: fc.boolean(),
    frame: fc.integer({ min: 0, max: 2 ** 40 }),
    capture: opt(fc.string({ maxLength: 20 })),
    flowUid: opt(fc.string({ maxLength: 18 })),
    communityId: opt(fc.string({ maxLength: 30 })),
    flowId: opt(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    appProto: opt(fc.constantFrom('http', 'tls', 'ssh', 'dns', 'smb', 'failed', '')),
    txId: opt(fc.nat(1000)),
    http: opt(http),
    dns: opt(dns),
    tls: opt(tls),
    ssh: opt(ssh),
    file: opt(file),
    payload: opt(anyBytes),
  })
  .map(({ options, ...p }) => {
    const a = alertFor(options, {});
    const out: Alert = { ...a, ...p, spans: [] };
    for (const k of Object.keys(out) as Array<keyof Alert>) if (out[k] === undefined) delete out[k];
    return out;
  });

test("fuzzed alerts validate against Suricata's EVE schema and round-trip through JSON", {
  skip: schemaFile.skip,
}, () => {
  const validate = validator();
  fc.assert(
    fc.property(
      alert,
      fc.boolean(),
      fc.option(fc.integer({ min: -720, max: 840 }), { nil: undefined }),
      (a, withPayload, offset) => {
        const rec = toEveAlert(a, {
          includePayload: withPayload,
          sensorName: 'sensor-1',
          ...(offset !== undefined ? { utcOffsetMinutes: offset } : {}),
        });
        const line = JSON.stringify(rec);
        assert.ok(!line.includes('\n'), 'one line per record');
        const back = JSON.parse(line);
        assert.deepEqual(back, rec);
        if (!validate(back)) assert.fail(`${JSON.stringify(validate.errors)}\n${line}`);
      },
    ),
    { numRuns: 1500 },
  );
});

test('the schema check can fail: a wrong type and an unknown field are rejected', {
  skip: schemaFile.skip,
}, () => {
  const validate = validator();
  const good = toEveAlert(alertFor('msg:"a"; content:"x"; sid:1;'));
  assert.ok(validate(good), JSON.stringify(validate.errors));
  assert.equal(validate({ ...good, pcap_cnt: 'one' }), false);
  assert.equal(validate({ ...good, alert: { ...(good.alert as object), sid: 1 } }), false);
  assert.equal(validate({ ...good, timestamp: '2024-01-02 03:04:05' }), false);
});
