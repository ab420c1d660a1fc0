import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('byte_extract defines a variable used later', () => {
  const r = accepted('byte_extract:2,0,len,relative,big; byte_test:2,>,len,0;');
  const m = r.matches[0]!;
  assert.equal(m.kind === 'byte_extract' && m.name, 'len');
  assert.deepEqual(r.matches[1]!.kind === 'byte_test' && r.matches[1]!.value, { var: 'len' });
});

test('byte_extract errors', () => {
  assert.match(rejection('byte_extract:2,0;'), /byte_extract: needs bytes, offset, name/);
  assert.match(rejection('byte_extract:2,0,9bad;'), /byte_extract: bad variable name "9bad"/);
  assert.match(rejection('byte_test:2,>,nothere,0;'), /byte_test: variable "nothere" is not defined/);
});
