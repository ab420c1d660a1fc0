/** The byte matcher against a naive indexOf reference, on random and hostile input. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildMatcher, FOLD, type MatcherPattern } from './prefilter-automaton.js';
import { MatcherScanner } from './prefilter-scan.js';

/** Pattern id -> end offset of its first occurrence, by brute force. */
function naive(patterns: readonly MatcherPattern[], t: Uint8Array): Map<number, number> {
  const out = new Map<number, number>();
  const ft = t.map((b) => FOLD[b]!);
  for (let p = 0; p < patterns.length; p++) {
    const { bytes, nocase } = patterns[p]!;
    if (bytes.length === 0) continue;
    const hay = Buffer.from(nocase ? ft : t);
    const needle = Buffer.from(nocase ? bytes.map((b) => FOLD[b]!) : bytes);
    const at = hay.indexOf(needle);
    if (at >= 0) out.set(p, at + bytes.length);
  }
  return out;
}

function found(s: MatcherScanner, t: Uint8Array): Map<number, number> {
  const n = s.scan(t);
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    assert.ok(!out.has(s.hitPattern[i]!), 'a pattern is reported once per scan');
    out.set(s.hitPattern[i]!, s.hitEnd[i]!);
  }
  return out;
}

// A small alphabet makes overlaps, shared prefixes and case twins likely.
const smallByte = fc.constantFrom(0x41, 0x61, 0x42, 0x62, 0x00, 0xff, 0x80, 0xc1, 0xe1, 0x3a);
const anyByte = fc.integer({ min: 0, max: 255 });
const patternArb = fc.record({
  bytes: fc.oneof(
    fc
      .uint8Array({ minLength: 1, maxLength: 6 })
      .map((a) => a.map((_, i) => [0x41, 0x61, 0x62, 0xff][a[i]! & 3]!)),
    fc.array(smallByte, { minLength: 1, maxLength: 12 }).map((a) => Uint8Array.from(a)),
    fc.array(anyByte, { minLength: 1, maxLength: 40 }).map((a) => Uint8Array.from(a)),
  ),
  nocase: fc.boolean(),
});

/** Haystacks: random bytes, or pieces of the patterns (whole, prefixes, case-flipped) glued together. */
function haystackArb(patterns: MatcherPattern[]) {
  const piece = fc.tuple(fc.nat(patterns.length - 1), fc.nat(40), fc.boolean()).map(([p, cut, flip]) => {
    const b = patterns[p]!.bytes;
    const part = b.subarray(0, Math.max(1, Math.min(b.length, cut)));
    return flip ? part.map((x) => (x >= 0x61 && x <= 0x7a ? x - 0x20 : FOLD[x]!)) : part;
  });
  return fc.oneof(
    fc.array(smallByte, { maxLength: 200 }).map((a) => Uint8Array.from(a)),
    fc.uint8Array({ maxLength: 200 }),
    fc
      .array(
        fc.oneof(
          piece,
          fc.array(smallByte, { maxLength: 3 }).map((a) => Uint8Array.from(a)),
        ),
        { maxLength: 30 },
      )
      .map((parts) => Uint8Array.from(parts.flatMap((x) => [...x]))),
  );
}

test('matches exactly what indexOf finds, with first end offsets (random pattern sets and haystacks)', () => {
  fc.assert(
    fc.property(
      fc
        .array(patternArb, { minLength: 1, maxLength: 30 })
        .chain((ps) =>
          fc.tuple(fc.constant(ps), fc.array(haystackArb(ps), { minLength: 1, maxLength: 4 }), fc.nat(2)),
        ),
      ([patterns, haystacks, denseDepth]) => {
        const scanner = new MatcherScanner(buildMatcher(patterns, { denseDepth }));
        // Several scans on one scanner: generation stamps must not leak between them.
        for (const t of haystacks) assert.deepEqual(found(scanner, t), naive(patterns, t));
      },
    ),
    { numRuns: 600 },
  );
});

test('dense-row cap and zero dense depth still give the same answers', () => {
  const patterns: MatcherPattern[] = ['he', 'she', 'his', 'hers', 'SHE', 'a', 'HiS'].map((s, i) => ({
    bytes: Buffer.from(s),
    nocase: i % 2 === 0,
  }));
  const t = Buffer.from('ushers and HIS sHe a hers');
  for (const o of [{ denseDepth: 0 }, { maxDenseRows: 1 }, { denseDepth: 3 }]) {
    assert.deepEqual(found(new MatcherScanner(buildMatcher(patterns, o)), t), naive(patterns, t));
  }
});

test('no patterns, empty input, inputs shorter than the filter window', () => {
  assert.equal(new MatcherScanner(buildMatcher([])).scan(Buffer.from('abc')), 0);
  const ps = [{ bytes: Buffer.from('ab'), nocase: false }];
  const s = new MatcherScanner(buildMatcher(ps));
  assert.equal(s.scan(new Uint8Array(0)), 0);
  assert.deepEqual(found(s, Buffer.from('xab')), new Map([[0, 3]]));
});

test('patterns past 255 bytes are refused (the prefilter truncates first)', () => {
  assert.throws(() => buildMatcher([{ bytes: new Uint8Array(256), nocase: false }]), /max 255/);
});

test('hostile input stays linear: prefix floods, one-byte floods, nested patterns', () => {
  const mb = 1 << 20;
  const cases: Array<{ name: string; patterns: string[]; hay: Uint8Array }> = [
    {
      name: 'prefix repeated',
      patterns: ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'aaab'],
      hay: new Uint8Array(mb).fill(0x61),
    },
    {
      name: 'nested a..a',
      patterns: Array.from({ length: 30 }, (_, i) => `${'a'.repeat(i + 1)}b`),
      hay: new Uint8Array(mb).fill(0x41),
    },
    { name: 'short patterns', patterns: ['\x00', '\x00\x00', 'ab', 'a'], hay: new Uint8Array(mb) },
  ];
  for (const c of cases) {
    // Case-sensitive twins that never match force the exact-case check each time.
    const patterns = c.patterns.flatMap((p) => [
      { bytes: Buffer.from(p, 'latin1'), nocase: true },
      { bytes: Buffer.from(p.toUpperCase(), 'latin1'), nocase: false },
    ]);
    const s = new MatcherScanner(buildMatcher(patterns));
    // Scan time on these inputs is measured in bench/prefilter.ts; here: the whole input scans and agrees.
    for (let k = 0; k < 4; k++) s.scan(c.hay);
    assert.deepEqual(found(s, c.hay.subarray(0, 4096)), naive(patterns, c.hay.subarray(0, 4096)));
  }
});
