import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAddress } from '../../util/ip.js';
import { type CompiledRule, compileRule } from './compile.js';
import { headerMatches } from './header.js';
import { HeaderIndex } from './header-index.js';
import { ruleText } from './testing.js';

const HOME = '[10.0.0.0/8,192.168.0.0/16,172.16.0.0/12]';

function compiled(headers: string[]): CompiledRule[] {
  return headers.map((h, i) => compileRule(ruleText(`alert tcp ${h} (msg:"x"; sid:${i + 1};)`), i));
}

function bytes(addr: string): Uint8Array {
  const a = parseAddress(addr);
  if (a === undefined) throw new Error(addr);
  return a;
}

/** The rules a packet meets: the index's candidates plus the generic ones. */
function met(index: HeaderIndex, src: string, dst: string, dstPort: number): number[] {
  const s = bytes(src);
  const out: CompiledRule[] = [];
  index.candidates(s, bytes(dst), s.length, dstPort, out);
  return [...out, ...index.generic].map((c) => c.index).sort((a, b) => a - b);
}

test('reputation lists too large for single keys (whole /8s, IPv6 entries) are indexed, not generic', () => {
  const rules = compiled([
    `[1.0.0.0/8,5.6.7.8,2001:db8::/32] any -> ${HOME} any`,
    `[31.0.0.0/10,45.1.2.0/24] any -> ${HOME} any`,
    `${HOME} any -> !${HOME} any`,
    'any any -> any any',
  ]);
  const index = new HeaderIndex(rules, rules);
  assert.deepEqual(
    index.generic.map((c) => c.index),
    [3],
    'only the rule with no narrow side ($HOME_NET spans 273 /16 blocks: narrow enough)',
  );
  assert.deepEqual(met(index, '1.200.3.4', '10.0.0.1', 80), [0, 3]);
  assert.deepEqual(met(index, '5.6.7.8', '10.0.0.1', 80), [0, 3]);
  assert.deepEqual(met(index, '31.63.0.1', '10.0.0.1', 80), [1, 3]);
  assert.deepEqual(met(index, '31.64.0.1', '10.0.0.1', 80), [3], 'just past the /10');
  assert.deepEqual(met(index, '10.1.1.1', '10.0.0.1', 80), [2, 3]);
  assert.deepEqual(
    met(index, '2001:db8::1', '::1', 80),
    [0, 3],
    'an IPv6 packet meets rules with IPv6 entries',
  );
});

// Random headers over a few address blocks, so packets often fall inside them.
const v4 = fc
  .tuple(fc.constantFrom(1, 10, 31, 45, 192), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((o) => o.join('.'));
const v6 = fc.constantFrom('2001:db8::1', '2001:db8::ff', 'fe80::1', '::1');
const block = fc.oneof(
  v4,
  fc.tuple(v4, fc.constantFrom(8, 10, 12, 16, 20, 24, 28, 30)).map(([a, m]) => `${a}/${m}`),
  fc.constantFrom('2001:db8::/32', 'fe80::/10'),
);
const addressSpec = fc.oneof(
  fc.constant('any'),
  fc.constant(HOME),
  fc.constant(`!${HOME}`),
  block,
  fc.array(block, { minLength: 1, maxLength: 6 }).map((l) => `[${l.join(',')}]`),
  fc.array(block, { minLength: 1, maxLength: 3 }).map((l) => `![${l.join(',')}]`),
);
const portSpec = fc.oneof(
  fc.constant('any'),
  fc.integer({ min: 1, max: 200 }).map(String),
  fc.constantFrom('[80,443,8080]', '1:1024', '!22', '[1:100,200]'),
);
const header = fc
  .tuple(addressSpec, portSpec, fc.constantFrom('->', '<>'), addressSpec, portSpec)
  .map(([s, sp, d, t, tp]) => `${s} ${sp} ${d} ${t} ${tp}`);

test('the index never misses a rule whose header matches the packet', () => {
  fc.assert(
    fc.property(
      fc.array(header, { minLength: 1, maxLength: 12 }),
      fc.array(
        fc.tuple(
          fc.oneof(v4, v6),
          fc.oneof(v4, v6),
          fc.integer({ min: 0, max: 300 }),
          fc.integer({ min: 0, max: 300 }),
        ),
        { minLength: 1, maxLength: 8 },
      ),
      (headers, packets) => {
        const rules = compiled(headers);
        const index = new HeaderIndex(rules, rules);
        for (const [src, dst, sp, dp] of packets) {
          const s = bytes(src);
          const d = bytes(dst);
          if (s.length !== d.length) continue;
          const candidates = new Set(met(index, src, dst, dp));
          for (const c of rules)
            if (headerMatches(c.rule.header, s, sp, d, dp, s.length))
              assert.ok(candidates.has(c.index), `${c.rule.text} for ${src}:${sp} -> ${dst}:${dp}`);
        }
      },
    ),
    { numRuns: 400 },
  );
});
