import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('uricontent is content in http.uri', () => {
  const a = accepted('uricontent:"/x.php"; nocase;').matches[0]!;
  const b = accepted('content:"/x.php"; http_uri; nocase;').matches[0]!;
  assert.deepEqual(a, b);
  assert.equal(a.buffer, 'http.uri');
});

test('uricontent needs a quoted pattern', () => {
  assert.match(rejection('uricontent:x;'), /^uricontent: pattern must be in double quotes/);
});
