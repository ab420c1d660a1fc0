import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePcrexformArgs, pcrexformStep } from './pcrexform.js';
import { Scratch } from './scratch.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const dec = (b: Uint8Array | undefined) => (b ? String.fromCharCode(...b) : undefined);
const step = (re: string) => {
  const a = parsePcrexformArgs(`"${re}"`);
  if ('error' in a) throw new Error(a.error);
  return pcrexformStep(a);
};

test('the buffer becomes the capture group (detect-pcrexform-01 request line)', () => {
  const s = step('[a-zA-Z]+\\s+(.*)\\s+HTTP');
  assert.equal(dec(s(enc('GET /z4d4kWk.jpg HTTP/1.1'), new Scratch())), '/z4d4kWk.jpg');
});

test('the datasets guide TLD example', () => {
  assert.equal(dec(step('\\.([^\\.]+)$')(enc('www.example.org'), new Scratch())), 'org');
});

test('no match, or a group that did not take part, fails the buffer', () => {
  assert.equal(step('^POST (.*)')(enc('GET /'), new Scratch()), undefined);
  assert.equal(step('(x)?y')(enc('y'), new Scratch()), undefined);
  assert.equal(dec(step('a(x*)b')(enc('ab'), new Scratch())), '');
});

test('bytes above 0x7f map one to one (Latin-1, not windows-1252)', () => {
  const input = Uint8Array.of(0x80, 0x41, 0x9f, 0xff, 0x42);
  assert.deepEqual([...step('A(.*)B')(input, new Scratch())!], [0x9f, 0xff]);
  assert.deepEqual([...step('^(.)')(input, new Scratch())!], [0x80]);
});

test('PCRE syntax goes through the project translator (\\A, \\z, $ before a final newline)', () => {
  assert.equal(dec(step('\\A(\\w+)')(enc('abc def'), new Scratch())), 'abc');
  assert.equal(dec(step('(\\w+)$')(enc('abc def\n'), new Scratch())), 'def');
  assert.equal(step('(\\w+)\\z')(enc('abc def\n'), new Scratch()), undefined);
});

test('helper groups of the translation (atomic groups) do not shift the captured group', () => {
  assert.equal(dec(step('(?>a+)(b+)')(enc('xaabbb'), new Scratch())), 'bbb');
  assert.equal(dec(step('(?>\\w+)\\s(\\w+)')(enc('GET index'), new Scratch())), 'index');
});

test('caseless expressions keep high bytes as they are', () => {
  const s = step('(?i)X(.)\\1');
  assert.deepEqual([...s(Uint8Array.of(0x78, 0xe9, 0xe9), new Scratch())!], [0xe9]);
});
