import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('bsize belongs to the sticky buffer', () => {
  const m = accepted('http.uri; bsize:<10; content:"a";').matches[0]!;
  assert.deepEqual(m, { kind: 'bsize', buffer: 'http.uri', transforms: [], test: { op: '<', value: 10 } });
  assert.match(rejection('bsize:10;'), /bsize: needs a sticky buffer/);
});

test('urilen and dsize forms', () => {
  assert.deepEqual(accepted('urilen:6;').conditions[0], {
    keyword: 'urilen',
    value: { test: { op: '=', value: 6 }, raw: false },
  });
  assert.deepEqual(accepted('urilen:5<>10,raw;').conditions[0]!.value, {
    test: { op: 'between', value: 5, max: 10 },
    raw: true,
  });
  assert.deepEqual(accepted('dsize:>100;').conditions[0]!.value, { op: '>', value: 100 });
  assert.match(rejection('dsize:70000;'), /dsize: 70000 out of range 0-65535/);
  assert.match(rejection('urilen:10<>5;'), /urilen: range "10<>5" must have min < max/);
  assert.match(rejection('urilen:5,weird;'), /urilen: expected N\[,raw\|norm\]/);
});
