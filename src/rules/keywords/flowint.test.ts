import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('flowint operations', () => {
  assert.deepEqual(accepted('flowint:count,+,1;').conditions[0]!.value, { name: 'count', op: '+', value: 1 });
  assert.deepEqual(accepted('flowint:count,>=,5;').conditions[0]!.value, {
    name: 'count',
    op: '>=',
    value: 5,
  });
  assert.deepEqual(accepted('flowint:count,notset;').conditions[0]!.value, { name: 'count', op: 'notset' });
  assert.match(rejection('flowint:count,**,1;'), /flowint: bad operator "\*\*"/);
  assert.match(rejection('flowint:count,+;'), /flowint: expected name,\+,value/);
});
