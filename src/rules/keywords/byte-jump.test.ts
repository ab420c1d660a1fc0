import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('byte_jump options', () => {
  const m = accepted('byte_jump:4,12,relative,little,multiplier 2,align,post_offset -4,from_beginning;')
    .matches[0]!;
  assert.equal(m.kind, 'byte_jump');
  if (m.kind !== 'byte_jump') return;
  assert.deepEqual(
    [m.bytes, m.offset, m.relative, m.endian, m.multiplier, m.align, m.postOffset, m.fromBeginning],
    [4, 12, true, 'little', 2, true, -4, true],
  );
});

test('byte_jump errors', () => {
  assert.match(rejection('byte_jump:4;'), /byte_jump: needs bytes and offset/);
  assert.match(
    rejection('byte_jump:4,0,from_beginning,from_end;'),
    /byte_jump: from_beginning and from_end conflict/,
  );
  assert.match(rejection('byte_jump:4,0,relative,relative;'), /byte_jump: option "relative" given twice/);
});
