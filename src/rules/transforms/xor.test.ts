import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Scratch } from './scratch.js';
import { parseXorArgs, xor } from './xor.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const args = (v: string) => {
  const a = parseXorArgs(v);
  if ('error' in a) throw new Error(a.error);
  return a;
};

test('static key repeats over the whole buffer (Suricata unit test vector)', () => {
  const out = xor(enc('example.com'), new Scratch(), args('0a0DC8ff'));
  assert.deepEqual([...out!], [...enc('ou\xa9\x92za\xad\xd1ib\xa5')]);
});

test('xor is its own inverse', () => {
  const a = args('"0d0ac8ff"');
  const once = xor(enc('GET /secret HTTP/1.1'), new Scratch(), a)!.slice();
  assert.deepEqual(xor(once, new Scratch(), a), enc('GET /secret HTTP/1.1'));
});

test('variable key: read at the key offset, decoding from the start offset, prefix kept', () => {
  const body = Uint8Array.from([0x42, ...enc('password=secret').map((b) => b ^ 0x42)]);
  const out = xor(body, new Scratch(), args('offset 1,extract 1 0'))!;
  assert.equal(out[0], 0x42);
  assert.equal(String.fromCharCode(...out.subarray(1)), 'password=secret');
});

test('two sections keyed independently (detect-xor-key-12 layout)', () => {
  const body = Uint8Array.from([
    0x42,
    ...enc('hello').map((b) => b ^ 0x42),
    0x37,
    ...enc('world').map((b) => b ^ 0x37),
  ]);
  const first = String.fromCharCode(...xor(body, new Scratch(), args('offset 1,extract 1 0'))!);
  const second = String.fromCharCode(...xor(body, new Scratch(), args('offset 7,extract 1 6'))!);
  assert.ok(first.includes('hello') && !first.includes('world'));
  assert.ok(second.includes('world') && !second.includes('hello'));
});

test('multi-byte key starts over at the start offset', () => {
  const out = xor(Uint8Array.of(9, 1, 2, 1, 2), new Scratch(), args('offset 1,0102'))!;
  assert.deepEqual([...out], [9, 0, 0, 0, 0]);
});

test('start past the end or a key outside the buffer leaves the buffer as it is', () => {
  const input = enc('abc');
  assert.equal(xor(input, new Scratch(), args('offset 4,42')), input);
  assert.equal(xor(input, new Scratch(), args('extract 2 2')), input);
  assert.equal(xor(input, new Scratch(), args('extract 1 3')), input);
  // start == length: nothing to decode, output equals input.
  assert.deepEqual(xor(input, new Scratch(), args('offset 3,42')), input);
  assert.equal(xor(new Uint8Array(0), new Scratch(), args('42'))!.length, 0);
});
