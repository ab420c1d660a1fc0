/** The JSON form: hand-made lines in Zeek's shapes (epoch, ISO and millisecond times, nested ids), hostile keys, bad lines, sniffing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLineContext, isProblem } from '../syslog/types.js';
import { isoSeconds, zeekReader } from './index.js';
import { readZeekText } from './testing.js';

const conn = {
  ts: 1700000000.123456,
  uid: 'CHhAvVGS1DHFjwGM9',
  'id.orig_h': '10.0.0.5',
  'id.orig_p': 51000,
  'id.resp_h': '10.0.0.9',
  'id.resp_p': 22,
  proto: 'tcp',
  conn_state: 'S0',
  local_orig: true,
  tunnel_parents: [],
  orig_pkts: 1,
  resp_pkts: 0,
};

test('ISO 8601 times keep microseconds and honour offsets', () => {
  assert.equal(isoSeconds('2024-01-02T03:04:05.123456Z'), 1704164645.123456);
  assert.equal(isoSeconds('2024-01-02T05:04:05+02:00'), 1704164645);
  assert.equal(isoSeconds('2024-13-02T03:04:05Z'), undefined);
  assert.equal(isoSeconds('yesterday'), undefined);
});

test('conn, http, dns, notice lines: ts forms, nested id, _path and file-name paths', async () => {
  const lines = [
    conn,
    { ...conn, ts: '2023-11-14T22:13:20.123456Z', uid: 'C2' },
    { ...conn, ts: 1700000000123, uid: 'C3' },
    {
      ts: 1700000001,
      uid: 'C4',
      id: { orig_h: '2001:db8::1', orig_p: 5, resp_h: '2001:db8::2', resp_p: 80 },
      _path: 'http',
      method: 'GET',
      uri: '/admin',
      status_code: 403,
      tags: ['A'],
      extra: { deep: { deeper: { deepest: { x: 1 } } } },
    },
    {
      ts: 1700000002,
      uid: 'C5',
      'id.orig_h': '10.0.0.1',
      'id.resp_h': '10.0.0.53',
      query: 'x.example',
      qtype: 1,
    },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n');
  const r = await readZeekText('conn.log', `${lines}\n`);
  assert.deepEqual(r.problems, []);
  const recs = r.records.map((x) => x.rec);
  assert.deepEqual(
    recs.map((x) => [x.format, x.path, x.ts]),
    [
      ['zeek-json', 'conn', 1700000000.123456],
      ['zeek-json', 'conn', 1700000000.123456],
      ['zeek-json', 'conn', 1700000000.123],
      ['zeek-json', 'http', 1700000001],
      ['zeek-json', 'conn', 1700000002], // the file name wins over the keys
    ],
  );
  assert.equal(recs[0]!.fields.local_orig, true);
  assert.deepEqual(recs[0]!.fields.tunnel_parents, []);
  assert.equal(recs[3]!.fields['id.orig_h'], '2001:db8::1');
  assert.equal(recs[3]!.fields['id.resp_p'], 80);
  assert.equal(recs[3]!.fields['extra.deep.deeper.deepest'], '{"x":1}');
  const guessed = await readZeekText('zeek.json', `${JSON.stringify({ ...conn, ts: 5 })}\n`);
  assert.equal(guessed.records[0]!.rec.path, 'conn');
});

test('hostile keys stay data: __proto__ and constructor are plain fields', () => {
  const ctx = defaultLineContext({ file: 'x.json' });
  const r = zeekReader.parseLine(
    '{"ts":1,"uid":"C1","id.orig_h":"10.0.0.1","__proto__":{"polluted":1},"constructor":"x"}',
    ctx,
  );
  assert.ok(r && !isProblem(r));
  assert.equal(r.fields['__proto__.polluted'], 1);
  assert.equal(r.fields.constructor, 'x');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('bad JSON lines are problems with the reason', () => {
  const ctx = defaultLineContext({ file: 'x.json', line: 3 });
  const cases: Array<[string, string]> = [
    ['{"ts":1,', 'zeek.bad-json'],
    ['{}x', 'zeek.bad-json'],
    ['{"uid":"C1"}', 'zeek.no-time'],
    ['{"ts":"soon","uid":"C1"}', 'zeek.no-time'],
    ['{"ts":1,"id.orig_h":"10.0.0.256"}', 'zeek.bad-value'],
    ['{"ts":1,"id.orig_h":7}', 'zeek.bad-value'],
    ['{"ts":1,"id.resp_p":70000}', 'zeek.bad-value'],
    ['{"ts":1,"id.resp_p":"80"}', 'zeek.bad-value'],
  ];
  for (const [line, code] of cases) {
    const r = zeekReader.parseLine(line, ctx);
    assert.ok(r && isProblem(r), line);
    assert.equal(r.code, code, line);
    assert.equal(r.line, 3);
    assert.equal(r.file, 'x.json');
  }
  // '[' starts no Zeek line: a TSV data line without header.
  const arr = zeekReader.parseLine('[1,2]', ctx);
  assert.ok(arr && isProblem(arr));
});

test('sniff: Zeek JSON yes, Suricata EVE no', () => {
  assert.equal(zeekReader.sniff([JSON.stringify(conn)]), 1);
  assert.equal(
    zeekReader.sniff([JSON.stringify({ ...conn, 'id.orig_h': undefined, id: { orig_h: '1.2.3.4' } })]),
    1,
  );
  const eve = {
    timestamp: '2024-01-01T00:00:00.000000+0000',
    flow_id: 1,
    event_type: 'flow',
    src_ip: '10.0.0.1',
    uid: 'x',
    'id.orig_h': '10.0.0.1',
  };
  assert.equal(zeekReader.sniff([JSON.stringify(eve)]), 0);
  assert.equal(zeekReader.sniff(['{"uid": 1']), 0);
});
