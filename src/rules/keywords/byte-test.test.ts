import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('byte_test full form', () => {
  const m = accepted('content:"a"; byte_test:4,>,1000,0,relative,little,string,dec;').matches[1]!;
  assert.equal(m.kind, 'byte_test');
  if (m.kind !== 'byte_test') return;
  assert.deepEqual(
    [m.bytes, m.operator, m.negated, m.value, m.offset, m.relative, m.endian, m.string],
    [4, '>', false, 1000, 0, true, 'little', 'dec'],
  );
  const n = accepted('byte_test:1,!&,0x80,2,bitmask 0xf0;').matches[0]!;
  assert.equal(n.kind === 'byte_test' && n.negated && n.operator === '&' && n.bitmask === 0xf0, true);
});

test('byte_test errors', () => {
  assert.match(rejection('byte_test:4,>,1;'), /byte_test: needs bytes, operator, value, offset/);
  assert.match(rejection('byte_test:4,~,1,0;'), /byte_test: bad operator "~"/);
  assert.match(rejection('byte_test:9,>,1,0;'), /byte_test: 9 bytes: binary conversions take 1-8/);
  assert.match(rejection('byte_test:4,>,1,0,sideways;'), /byte_test: unknown option "sideways"/);
  assert.match(rejection('byte_test:4,>,1,0,hex;'), /"hex" needs "string" before it/);
});
