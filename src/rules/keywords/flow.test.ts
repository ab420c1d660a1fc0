import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('flow options normalise from_* to to_*', () => {
  assert.deepEqual(accepted('flow:established,from_client;').conditions[0]!.value, {
    state: 'established',
    direction: 'to_server',
  });
  assert.deepEqual(accepted('flow: to_client, not_established, only_stream;').conditions[0]!.value, {
    direction: 'to_client',
    state: 'not_established',
    stream: 'only_stream',
  });
  assert.deepEqual(accepted('flow:stateless,no_stream;').conditions[0]!.value, {
    state: 'stateless',
    stream: 'no_stream',
  });
});

test('flow conflicts and unknowns', () => {
  assert.match(rejection('flow:to_server,to_client;'), /flow: "to_client" conflicts with "to_server"/);
  assert.match(rejection('flow:sideways;'), /flow: unknown option "sideways"/);
  assert.match(rejection('flow:established; flow:to_server;'), /flow: given twice/);
});
