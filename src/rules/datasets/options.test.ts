import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDatarepOption, parseDatasetOption, parseSize } from './options.js';

test('sizes as Suricata writes them', () => {
  assert.equal(parseSize('88074'), 88074);
  assert.equal(parseSize('10kb'), 10240);
  assert.equal(parseSize('100mb'), 100 * 1024 * 1024);
  assert.equal(parseSize('1GB'), 1024 ** 3);
  assert.equal(parseSize('1.5mb'), undefined);
  assert.equal(parseSize('-1'), undefined);
});

test('whitespace around commas and values is free', () => {
  assert.deepEqual(parseDatasetOption(' isset , ua-seen ,type string,  load   datasets.csv '), {
    kind: 'dataset',
    cmd: 'isset',
    name: 'ua-seen',
    type: 'string',
    load: 'datasets.csv',
  });
  assert.deepEqual(
    parseDatarepOption('dns_md5, >, 200, load dns_md5.rep, type md5, memcap 100mb, hashsize 2048'),
    {
      kind: 'datarep',
      name: 'dns_md5',
      op: '>',
      value: 200,
      load: 'dns_md5.rep',
      type: 'md5',
      memcap: 100 * 1024 * 1024,
      hashsize: 2048,
    },
  );
});

test('parsers never throw on random or mutated text', () => {
  const seeds = [
    'set,dns-seen, type string, state dns-seen.lst',
    'dns_string, >, 200, load dns_string.rep, type string',
  ];
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 100 }),
        fc
          .tuple(fc.constantFrom(...seeds), fc.nat(60), fc.string({ maxLength: 5 }))
          .map(([s, at, ins]) => s.slice(0, at) + ins + s.slice(at + 2)),
      ),
      (v) => {
        for (const r of [parseDatasetOption(v), parseDatarepOption(v)]) assert.ok(typeof r === 'object');
      },
    ),
    { numRuns: 3000 },
  );
});
