import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transform } from '../ast.js';
import { accepted } from '../testing.js';
import {
  applyTransforms,
  compileTransforms,
  MAX_TRANSFORM_BYTES,
  TRANSFORM_FAILED,
  transformFailed,
  transformsKey,
} from './index.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const dec = (b: Uint8Array) => String.fromCharCode(...b);
const transformsOf = (opts: string, proto = 'http'): Transform[] =>
  accepted(opts, proto).matches[0]!.transforms;

test('transforms run in rule order, each on the output of the one before', () => {
  const list = transformsOf('http.uri; url_decode; strip_whitespace; to_uppercase; dotprefix; content:"X";');
  assert.equal(dec(applyTransforms(list, enc('/a%20b+c'))), './ABC');
  const hashed = transformsOf('http.uri; to_lowercase; to_md5; content:"X";');
  assert.equal(
    Buffer.from(applyTransforms(hashed, enc('ABC'))).toString('hex'),
    '900150983cd24fb0d6963f7d28e17f72',
  );
});

test('an empty list returns the input itself; the input is never changed', () => {
  const input = enc('Hello World');
  assert.equal(applyTransforms([], input), input);
  const out = applyTransforms([{ name: 'to_lowercase' }], input);
  assert.equal(dec(input), 'Hello World');
  assert.equal(dec(out), 'hello world');
});

test("applyTransforms returns the caller's own bytes, not shared scratch", () => {
  const list: Transform[] = [{ name: 'to_uppercase' }];
  const a = applyTransforms(list, enc('first'));
  const b = applyTransforms(list, enc('second'));
  assert.equal(dec(a), 'FIRST');
  assert.equal(dec(b), 'SECOND');
});

test('a failing transform fails the whole chain, counted', () => {
  const list = transformsOf('http.uri; pcrexform:"^/admin/(.*)"; to_uppercase; content:"X";');
  assert.equal(dec(applyTransforms(list, enc('/admin/panel'))), 'PANEL');
  assert.equal(applyTransforms(list, enc('/public')), TRANSFORM_FAILED);
  assert.ok(transformFailed(applyTransforms(list, enc('/public'))));
  // An empty result is not a failure.
  assert.equal(transformFailed(applyTransforms(list, enc('/admin/'))), false);
  const chain = compileTransforms(list);
  chain.run(enc('/x'));
  chain.run(enc('/admin/y'));
  assert.deepEqual(chain.stats, { runs: 2, failed: 1 });
});

test('luaxform never claims a transformed buffer', () => {
  const list = transformsOf('http.uri; luaxform:x.lua; content:"a";');
  assert.equal(applyTransforms(list, enc('a')), TRANSFORM_FAILED);
});

test('a chain reuses its buffers: steps that return their input keep the right holder', () => {
  // xor with a start past the end returns its input; the next steps must not overwrite it.
  const list = transformsOf(
    'http.uri; to_lowercase; xor:"offset 100,01"; dotprefix; xor:"offset 100,01"; to_uppercase; content:"a";',
  );
  const chain = compileTransforms(list);
  for (const s of ['ABC', 'Hello', 'x', 'LONGER INPUT THAN BEFORE'])
    assert.equal(dec(chain.run(enc(s))), `.${s.toUpperCase()}`);
});

test('outputs past MAX_TRANSFORM_BYTES fail instead of growing memory', () => {
  const big = new Uint8Array(MAX_TRANSFORM_BYTES).fill(0x61);
  assert.equal(applyTransforms([{ name: 'to_uppercase' }], big).length, MAX_TRANSFORM_BYTES);
  assert.equal(applyTransforms([{ name: 'dotprefix' }], big), TRANSFORM_FAILED);
});

test('hostile sizes: a few MiB through every transform family stays linear', () => {
  const n = 4 * 1024 * 1024;
  const input = new Uint8Array(n);
  for (let i = 0; i < n; i++) input[i] = (i * 2654435761) >>> 24;
  const list = transformsOf(
    'http.uri; url_decode; compress_whitespace; header_lowercase; strip_pseudo_headers; xor:"offset 3,extract 2 0"; from_base64:mode rfc2045; content:"a";',
  );
  const out = applyTransforms(list, input);
  assert.ok(out === TRANSFORM_FAILED || out.length <= n);
  // pcrexform over a large buffer with a simple expression.
  const p = transformsOf('http.uri; pcrexform:"^(.{0,10})"; content:"a";');
  assert.equal(
    applyTransforms(p, input).length,
    Math.min(10, input.indexOf(0x0a) < 0 ? 10 : input.indexOf(0x0a)),
  );
});

test('transformsKey names options, so different keys are different buffers', () => {
  const a = transformsOf('http.request_body; xor:"offset 1,extract 1 0"; content:"a";');
  const b = transformsOf('http.request_body; xor:"offset 7,extract 1 6"; content:"a";');
  assert.equal(transformsKey(a), 'xor(offset 1,extract 1 0)');
  assert.notEqual(transformsKey(a), transformsKey(b));
  assert.equal(transformsKey(transformsOf('dns.query; dotprefix; content:"a";', 'dns')), 'dotprefix');
  assert.equal(
    transformsKey(transformsOf('http.uri; xor:"42"; from_base64; content:"a";')),
    'xor(42),from_base64(bytes 0,offset 0,mode rfc4648)',
  );
});
