import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('base64_decode then base64_data', () => {
  const m = accepted(
    'content:"a"; base64_decode:bytes 20, offset 2, relative; base64_data; content:"b";',
  ).matches;
  assert.deepEqual(m[1], {
    kind: 'base64_decode',
    buffer: 'pkt',
    transforms: [],
    bytes: 20,
    offset: 2,
    relative: true,
  });
  assert.equal(m[2]!.buffer, 'base64_data');
  assert.match(rejection('base64_decode:bytes x;'), /base64_decode: "x" is not a number/);
  assert.match(rejection('base64_decode:color red;'), /base64_decode: unknown parameter "color"/);
});
