import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FromBase64Args } from '../ast.js';
import { fromBase64 } from './base64.js';
import { Scratch } from './scratch.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const run = (s: string, a: Partial<FromBase64Args> = {}) => {
  const out = fromBase64(enc(s), new Scratch(), { bytes: 0, offset: 0, mode: 'rfc4648', ...a });
  return out === undefined ? undefined : String.fromCharCode(...out);
};

test('RFC 4648 test vectors decode in every mode', () => {
  const vectors: Array<[string, string]> = [
    ['Zg==', 'f'],
    ['Zm8=', 'fo'],
    ['Zm9v', 'foo'],
    ['Zm9vYg==', 'foob'],
    ['Zm9vYmE=', 'fooba'],
    ['Zm9vYmFy', 'foobar'],
  ];
  for (const mode of ['rfc4648', 'rfc2045', 'strict'] as const)
    for (const [b64, plain] of vectors) assert.equal(run(b64, { mode }), plain, `${mode} ${b64}`);
});

test('rfc4648 stops at the first byte outside the alphabet and decodes a short tail', () => {
  assert.equal(run('Zm9v YmFy'), 'foo');
  assert.equal(run('Zm9vYg'), 'foob');
  assert.equal(run('Zm9vYmE'), 'fooba');
  assert.equal(run('Zm9vY'), 'foo');
  assert.equal(run('Zg==Zm8='), 'ffo');
  assert.equal(run('!Zm9v'), undefined);
});

test('rfc2045 skips bytes outside the alphabet (MIME line breaks)', () => {
  assert.equal(run('Zm9v\r\nYmFy', { mode: 'rfc2045' }), 'foobar');
  assert.equal(run('Z m 9 v', { mode: 'rfc2045' }), 'foo');
  assert.equal(run('Zm9vYg', { mode: 'rfc2045' }), 'foo');
});

test('strict fails on any stray byte, bad length or bad padding', () => {
  assert.equal(run('Zm9v YmFy', { mode: 'strict' }), undefined);
  assert.equal(run('Zm9vYg', { mode: 'strict' }), undefined);
  assert.equal(run('Zg==Zm8=', { mode: 'strict' }), undefined);
  assert.equal(run('Zg=a', { mode: 'strict' }), undefined);
  assert.equal(run('=Zg=', { mode: 'strict' }), undefined);
});

test('offset and bytes select the part to decode; out of range leaves the buffer as it is', () => {
  assert.equal(run('xxZm9vYmFy', { offset: 2 }), 'foobar');
  assert.equal(run('Zm9vYmFy', { bytes: 4 }), 'foo');
  assert.equal(run('xxZm9vYmFyxx', { offset: 2, bytes: 8 }), 'foobar');
  // As in Suricata: offset >= length, or bytes >= what is left, means "not transformed".
  assert.equal(run('Zm9v', { offset: 4 }), 'Zm9v');
  assert.equal(run('Zm9v', { bytes: 4 }), 'Zm9v');
  assert.equal(run('', {}), '');
});
