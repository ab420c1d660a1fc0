import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseClassificationConfig } from './classification.js';
import { parseReferenceConfig } from './reference.js';
import { readTar } from './tar.js';
import { parseThresholdConfig } from './threshold-config.js';

test('classification.config', () => {
  const c = parseClassificationConfig(
    '# c\nconfig classification: bad-unknown,Potentially Bad Traffic, 2\nconfig classification: oops\n',
  );
  assert.deepEqual(c.classes.get('bad-unknown'), { description: 'Potentially Bad Traffic', priority: 2 });
  assert.equal(c.problems[0]!.line, 3);
});

test('reference.config', () => {
  const r = parseReferenceConfig('config reference: cve cve.example/?id=\nbroken\n');
  assert.equal(r.systems.get('cve'), 'http://cve.example/?id=');
  assert.equal(r.problems.length, 1);
});

test('threshold.config: all four directives, what is honoured', () => {
  const t = parseThresholdConfig(
    [
      'suppress gen_id 1, sig_id 2002664, track by_src, ip 10.0.0.1',
      'suppress gen_id 1, sig_id 2002665',
      'threshold gen_id 1, sig_id 2006546, type both, track by_src, count 5, seconds 30',
      'event_filter gen_id 1, sig_id 1, type limit, track by_dst, count 1, seconds 60',
      'rate_filter gen_id 1, sig_id 1, track by_rule, count 10, seconds 1, new_action drop, timeout 10',
      'suppress gen_id 1, sig_id x',
      'bogus 1',
    ].join('\n'),
  );
  assert.deepEqual(
    t.entries.map((e) => [e.kind, e.sid, e.honoured]),
    [
      ['suppress', 2002664, true],
      ['suppress', 2002665, true],
      ['threshold', 2006546, true],
      ['event_filter', 1, true],
      ['rate_filter', 1, true],
    ],
  );
  assert.deepEqual(
    t.problems.map((p) => p.line),
    [6, 7],
  );
});

test('threshold.config: bracketed ip lists, gen_id 0 only with sig_id 0, rate_filter actions', () => {
  const t = parseThresholdConfig(
    [
      'suppress gen_id 1, sig_id 2003614, track by_src, ip [192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]',
      'suppress gen_id 0, sig_id 0, track by_either, ip $HOME_NET',
      'threshold gen_id 0, sig_id 5, type limit, track by_src, count 1, seconds 1',
      'rate_filter gen_id 1, sig_id 888, track by_src, count 10, seconds 60, new_action drop, timeout 300',
      'rate_filter gen_id 1, sig_id 889, track by_src, count 10, seconds 60, new_action explode, timeout 300',
    ].join('\n'),
  );
  assert.deepEqual(
    t.entries.map((e) => (e.kind === 'suppress' ? e.ip : e.kind === 'rate_filter' ? e.newAction : e.kind)),
    ['[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]', '$HOME_NET', 'drop'],
  );
  assert.deepEqual(
    t.problems.map((p) => [p.line, p.reason]),
    [
      [3, 'sig_id > 0 needs a gen_id (gen_id 0 only with sig_id 0)'],
      [5, 'bad new_action "explode"'],
    ],
  );
});

test('tar reader', () => {
  const header = Buffer.alloc(512);
  header.write('rules/a.rules', 0);
  header.write('00000000005\0', 124);
  header.write('0', 156);
  const body = Buffer.alloc(512);
  body.write('hello');
  const tar = Buffer.concat([header, body, Buffer.alloc(1024)]);
  const entries = [...readTar(tar)];
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.name, 'rules/a.rules');
  assert.equal(Buffer.from(entries[0]!.data).toString(), 'hello');
  assert.ok(gzipSync(tar).length > 0);
  assert.throws(() => [...readTar(tar.subarray(0, 514))], /runs past the end/);
});
