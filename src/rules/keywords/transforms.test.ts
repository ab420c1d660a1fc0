import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('transforms attach to the sticky buffer and its matches', () => {
  const m = accepted('dns.query; dotprefix; content:".example.com"; endswith;', 'dns').matches[0]!;
  assert.deepEqual(m.transforms, ['dotprefix']);
});

test('a transform needs a sticky buffer', () => {
  assert.match(rejection('url_decode; content:"a";'), /url_decode: a transform must follow a sticky buffer/);
});
