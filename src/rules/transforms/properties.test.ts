/** Property tests: random and mutated input never throws, never grows without bound, never changes the input. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { SimpleTransformName, Transform } from '../ast.js';
import { parseFromBase64Args } from './base64.js';
import { applyTransforms, TRANSFORM_FAILED } from './index.js';
import { parseLuaxformArgs } from './luaxform.js';
import { parsePcrexformArgs } from './pcrexform.js';
import { parseXorArgs } from './xor.js';

const SIMPLE: SimpleTransformName[] = [
  'dotprefix',
  'url_decode',
  'strip_whitespace',
  'compress_whitespace',
  'to_lowercase',
  'to_uppercase',
  'to_md5',
  'to_sha1',
  'to_sha256',
  'header_lowercase',
  'strip_pseudo_headers',
];

function ok<T>(r: T | { error: string }): T {
  if (typeof r === 'object' && r !== null && 'error' in r) throw new Error((r as { error: string }).error);
  return r as T;
}

const transformArb: fc.Arbitrary<Transform> = fc.oneof(
  fc.constantFrom(...SIMPLE).map((name): Transform => ({ name })),
  fc
    .record({ key: fc.uint8Array({ minLength: 1, maxLength: 8 }), start: fc.nat(40) })
    .map(({ key, start }): Transform => ({ name: 'xor', args: { key: { bytes: key }, start } })),
  fc
    .record({ offset: fc.nat(40), length: fc.integer({ min: 1, max: 8 }), start: fc.nat(40) })
    .map(
      ({ offset, length, start }): Transform => ({ name: 'xor', args: { key: { offset, length }, start } }),
    ),
  fc
    .record({
      bytes: fc.nat(40),
      offset: fc.nat(40),
      mode: fc.constantFrom('rfc4648', 'rfc2045', 'strict' as const),
    })
    .map((args): Transform => ({ name: 'from_base64', args })),
  fc
    .constantFrom('(.*)', '^(\\S+)', '\\.([^.]+)$', '(a+)b', '([\\x80-\\xff]+)')
    .map((re): Transform => ({ name: 'pcrexform', args: ok(parsePcrexformArgs(`"${re}"`)) })),
);

/** Bytes that look like what the transforms parse (escapes, base64, headers), plus noise. */
const inputArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .array(
      fc.constantFrom(
        '%',
        '%4',
        '%41',
        '+',
        ' ',
        '\t',
        '\r\n',
        ':',
        'A',
        'z',
        '=',
        'Zm9v',
        '/',
        '\n:method: GET',
      ),
      {
        maxLength: 60,
      },
    )
    .map((parts) => Uint8Array.from(parts.join(''), (c) => c.charCodeAt(0))),
);

function growth(list: readonly Transform[]): number {
  return list.filter((t) => t.name === 'dotprefix').length;
}

test('any transform list on any input: no throw, bounded output, input unchanged', () => {
  fc.assert(
    fc.property(fc.array(transformArb, { maxLength: 6 }), inputArb, (list, input) => {
      const copy = input.slice();
      const out = applyTransforms(list, input);
      assert.deepEqual(input, copy);
      if (out !== TRANSFORM_FAILED) assert.ok(out.length <= Math.max(input.length, 32) + growth(list));
    }),
    { numRuns: 2000 },
  );
});

test('a compiled chain gives what applying the transforms one at a time gives', () => {
  fc.assert(
    fc.property(fc.array(transformArb, { minLength: 1, maxLength: 6 }), inputArb, (list, input) => {
      let step: Uint8Array = input;
      for (const t of list) {
        step = applyTransforms([t], step);
        if (step === TRANSFORM_FAILED) break;
      }
      const whole = applyTransforms(list, input);
      if (step === TRANSFORM_FAILED) assert.equal(whole, TRANSFORM_FAILED);
      else assert.deepEqual([...whole], [...step]);
    }),
    { numRuns: 2000 },
  );
});

test('simple transforms agree with plain string reference versions', () => {
  const text = (b: Uint8Array) => String.fromCharCode(...b);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
      const s = text(input);
      const ascii = (f: (c: string) => string) => s.replace(/[A-Za-z]/g, f);
      assert.equal(
        text(applyTransforms([{ name: 'to_lowercase' }], input)),
        ascii((c) => c.toLowerCase()),
      );
      assert.equal(
        text(applyTransforms([{ name: 'to_uppercase' }], input)),
        ascii((c) => c.toUpperCase()),
      );
      assert.equal(
        text(applyTransforms([{ name: 'strip_whitespace' }], input)),
        s.replace(/[\t\n\v\f\r ]/g, ''),
      );
      assert.equal(
        text(applyTransforms([{ name: 'compress_whitespace' }], input)),
        s.replace(/([\t\n\v\f\r ])[\t\n\v\f\r ]+/g, '$1'),
      );
      const lines = s.split(/(?<=\n)/);
      assert.equal(
        text(applyTransforms([{ name: 'strip_pseudo_headers' }], input)),
        lines.filter((l) => !l.startsWith(':')).join(''),
      );
    }),
    { numRuns: 1000 },
  );
});

test('url_decode undoes encodeURIComponent; from_base64 undoes base64 encoding', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (raw) => {
      const latin = String.fromCharCode(...raw);
      const encoded = Uint8Array.from(
        [...raw].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
        (c) => c.charCodeAt(0),
      );
      assert.deepEqual([...applyTransforms([{ name: 'url_decode' }], encoded)], [...raw]);
      const b64 = Uint8Array.from(Buffer.from(raw).toString('base64'), (c) => c.charCodeAt(0));
      for (const mode of ['rfc4648', 'rfc2045', 'strict'] as const)
        assert.equal(
          String.fromCharCode(
            ...applyTransforms([{ name: 'from_base64', args: { bytes: 0, offset: 0, mode } }], b64),
          ),
          latin,
        );
    }),
    { numRuns: 1000 },
  );
});

test('option parsers never throw on random or mutated text', () => {
  const seeds = ['offset 1,extract 1 0', '"0d0ac8ff"', 'bytes 4, offset 3, mode strict', '"(a)"', 'x.lua, a'];
  const textArb = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc
      .tuple(fc.constantFrom(...seeds), fc.nat(30), fc.string({ maxLength: 6 }))
      .map(([s, at, ins]) => s.slice(0, at) + ins + s.slice(at + 1)),
  );
  fc.assert(
    fc.property(textArb, (v) => {
      for (const r of [parseXorArgs(v), parseFromBase64Args(v), parsePcrexformArgs(v), parseLuaxformArgs(v)])
        assert.ok(typeof r === 'object' && r !== null);
    }),
    { numRuns: 3000 },
  );
});
