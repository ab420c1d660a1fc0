import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('isdataat forms', () => {
  const m = accepted('content:"a"; isdataat:!1,relative;').matches[1]!;
  assert.deepEqual(m, {
    kind: 'isdataat',
    buffer: 'pkt',
    transforms: [],
    negated: true,
    offset: 1,
    relative: true,
    rawbytes: false,
  });
});

test('isdataat errors', () => {
  assert.match(rejection('isdataat:x1!;'), /isdataat: "x1!" is not a number/);
  assert.match(rejection('isdataat:1,sideways;'), /isdataat: unknown or repeated option "sideways"/);
});
