import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('byte_math named parameters', () => {
  const m = accepted('byte_math:bytes 2, offset 0, oper +, rvalue 10, result sum, relative;').matches[0]!;
  assert.equal(m.kind, 'byte_math');
  if (m.kind !== 'byte_math') return;
  assert.deepEqual([m.bytes, m.operator, m.rvalue, m.result, m.relative], [2, '+', 10, 'sum', true]);
});

test('byte_math errors', () => {
  assert.match(rejection('byte_math:bytes 2, offset 0, oper +, rvalue 10;'), /byte_math: missing "result"/);
  assert.match(
    rejection('byte_math:bytes 2, offset 0, oper %, rvalue 1, result r;'),
    /byte_math: bad operator "%"/,
  );
});
