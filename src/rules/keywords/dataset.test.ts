import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';
import type { DatasetCondition } from './dataset.js';

const condition = (opts: string, proto = 'dns') =>
  accepted(opts, proto).conditions[0]!.value as DatasetCondition;

test('dataset records its command, set, files and the buffer it inspects', () => {
  assert.deepEqual(condition('dns.query; dataset:set,dns-seen, type string, state dns-seen.lst;'), {
    kind: 'dataset',
    cmd: 'set',
    name: 'dns-seen',
    type: 'string',
    state: 'dns-seen.lst',
    buffer: 'dns.query',
    transforms: [],
  });
  const c = condition(
    'http.user_agent; dataset:isset,ua-seen,type string,load datasets.csv,memcap 88074,hashsize 1;',
    'http',
  );
  assert.deepEqual([c.buffer, c.memcap, c.hashsize, c.load], ['http.user_agent', 88074, 1, 'datasets.csv']);
  const r = accepted('dns.query; to_md5; dataset:isnotset,bl, type md5, memcap 10mb;');
  assert.equal(r.support, 'full');
  const d = r.conditions[0]!.value as DatasetCondition;
  assert.deepEqual([d.transforms, d.memcap, d.type], [[{ name: 'to_md5' }], 10 * 1024 * 1024, 'md5']);
});

test('ip and ipv6 are the same type; sizes take units', () => {
  assert.equal(condition('dns.query; dataset:isset,a, type ip;').type, 'ipv6');
  assert.equal(condition('dns.query; dataset:isset,a, type ipv6, memcap 2kb;').memcap, 2048);
});

test('dataset satisfies its sticky buffer and needs one', () => {
  assert.equal(accepted('http.host; dataset:isset,hosts;', 'http').matches.length, 0);
  assert.match(rejection('dataset:isset,hosts;'), /^dataset: needs a sticky buffer/);
  assert.match(rejection('datarep:r, >, 1;'), /^datarep: needs a sticky buffer/);
});

test('dataset: bad values are rejected naming the keyword and token', () => {
  const bad = (v: string) => rejection(`dns.query; dataset:${v};`, 'dns');
  assert.match(bad('add,x'), /^dataset: command "add" is not set, isset, isnotset or unset/);
  assert.match(bad('isset'), /^dataset: missing set name/);
  assert.match(bad('isset,a b'), /^dataset: set name "a b"/);
  assert.match(bad(`isset,${'n'.repeat(64)}`), /^dataset: set name longer than 63/);
  assert.match(bad('isset,x, type blob'), /^dataset: type "blob"/);
  assert.match(bad('isset,x, load a, state b'), /^dataset: "state" cannot be combined/);
  assert.match(bad('isset,x, save a, state b'), /^dataset: "state" cannot be combined/);
  assert.match(bad('isset,x, load a, load b'), /^dataset: "load" given twice/);
  assert.match(bad('isset,x, memcap lots'), /^dataset: memcap "lots"/);
  assert.match(bad('isset,x, hashsize 0'), /^dataset: hashsize "0"/);
  assert.match(bad('isset,x, colour red'), /^dataset: unknown option "colour"/);
  assert.match(bad('isset,x, load'), /^dataset: "load" needs a value/);
});

test('JSON-format datasets parse but load the rule as partial', () => {
  const r = accepted(
    'http.host; dataset:isset,bad, type string, load b.json, format json, enrichment_key x, value_key host, remove_key;',
    'http',
  );
  assert.equal(r.support, 'partial');
  assert.deepEqual(r.ignored, [{ keyword: 'dataset', reason: 'json datasets are not loaded' }]);
});

test('datarep records name, operator and value', () => {
  assert.deepEqual(condition('dns.query; datarep:dns_string, >, 200, load dns_string.rep, type string;'), {
    kind: 'datarep',
    name: 'dns_string',
    op: '>',
    value: 200,
    load: 'dns_string.rep',
    type: 'string',
    buffer: 'dns.query',
    transforms: [],
  });
  const eq = condition(
    'dns.query; to_sha256; datarep:s, ==, 0, load s.rep, type sha256, memcap 100mb, hashsize 2048;',
  );
  assert.deepEqual([eq.kind, eq.kind === 'datarep' && eq.op, eq.hashsize], ['datarep', '==', 2048]);
});

test('datarep: bad values are rejected', () => {
  const bad = (v: string) => rejection(`dns.query; datarep:${v};`, 'dns');
  assert.match(bad('r, >=, 1'), /^datarep: operator ">=" is not >, < or ==/);
  assert.match(bad('r, >, 65536'), /^datarep: value "65536"/);
  assert.match(bad('r, >, x'), /^datarep: value "x"/);
  assert.match(bad('r, >, 1, load f.rep'), /^datarep: "load" needs "type"/);
  assert.match(bad('r, >, 1, state f'), /^datarep: unknown option "state"/);
});
