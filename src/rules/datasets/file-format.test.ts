import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatDatasetEntry, parseDatasetLine } from './file-format.js';
import type { DatasetType } from './options.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('string lines are base64, with an optional reputation', () => {
  const e = parseDatasetLine('string', 'Z29vZ2xlLmNvbQ==,255');
  assert.ok(!('error' in e));
  assert.deepEqual([text(e.key), e.value], ['google.com', 255]);
  const ua = parseDatasetLine('string', 'Y3VybC83LjQzLjA=');
  assert.ok(!('error' in ua) && text(ua.key) === 'curl/7.43.0' && ua.value === 0);
  assert.match((parseDatasetLine('string', 'not base64!') as { error: string }).error, /is not base64/);
  assert.match((parseDatasetLine('string', 'Zg==,70000') as { error: string }).error, /reputation "70000"/);
});

test('md5 and sha256 lines are hex of the right length', () => {
  const md5 = parseDatasetLine('md5', '900150983CD24FB0D6963F7D28E17F72');
  assert.ok(!('error' in md5) && md5.key.length === 16 && md5.key[0] === 0x90);
  assert.ok('error' in parseDatasetLine('md5', '900150983cd24fb0d6963f7d28e17f7'));
  assert.ok('error' in parseDatasetLine('sha256', '900150983cd24fb0d6963f7d28e17f72'));
  assert.ok(
    !(
      'error' in
      parseDatasetLine('sha256', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,3')
    ),
  );
});

test('ipv4 and ipv6 lines; IPv4 in an ipv6 set uses the 4-bytes-then-zeros layout', () => {
  const v4 = parseDatasetLine('ipv4', '192.168.0.1');
  assert.ok(!('error' in v4));
  assert.deepEqual([...v4.key], [192, 168, 0, 1]);
  assert.ok('error' in parseDatasetLine('ipv4', '::1'));
  assert.ok('error' in parseDatasetLine('ipv4', '256.1.1.1'));
  const layout = [10, 0, 0, 1, ...new Array(12).fill(0)];
  for (const s of ['10.0.0.1', '::ffff:10.0.0.1']) {
    const e = parseDatasetLine('ipv6', s);
    assert.ok(!('error' in e));
    assert.deepEqual([...e.key], layout, s);
  }
  const v6 = parseDatasetLine('ipv6', '2001:db8::1,9');
  assert.ok(!('error' in v6) && v6.key.length === 16 && v6.key[0] === 0x20 && v6.value === 9);
});

test('format then parse gives the same entry, for every type', () => {
  const arb = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((k) => ['string', k] as const),
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((k) => ['md5', k] as const),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((k) => ['sha256', k] as const),
    fc.uint8Array({ minLength: 4, maxLength: 4 }).map((k) => ['ipv4', k] as const),
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((k) => ['ipv6', k] as const),
  );
  fc.assert(
    fc.property(arb, fc.nat(0xffff), fc.boolean(), ([type, key], value, withValue) => {
      const line = formatDatasetEntry(type as DatasetType, key, value, withValue);
      const back = parseDatasetLine(type as DatasetType, line);
      assert.ok(!('error' in back), line);
      // An IPv6 key whose last 12 bytes are zero is written as IPv4 and reads back the same.
      assert.deepEqual([...back.key], [...key]);
      assert.equal(back.value, withValue ? value : 0);
    }),
    { numRuns: 1000 },
  );
});

test('random lines never throw', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<DatasetType>('string', 'md5', 'sha256', 'ipv4', 'ipv6'),
      fc.string({ maxLength: 80 }),
      (t, l) => {
        assert.ok(typeof parseDatasetLine(t, l) === 'object');
      },
    ),
    { numRuns: 3000 },
  );
});
