/** The prefilter over whole rule sets: the ET Suricata set and hand-written rules. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/env.js';
import type { Rule } from '../ast.js';
import { loadRules } from '../load.js';
import { accepted } from '../testing.js';
import { buildPrefilter, type Prefilter } from './prefilter.js';
import { FOLD } from './prefilter-automaton.js';

const et = sharedData('rules/et-open-suricata-5.0');
const bytes = (s: string) => Buffer.from(s, 'latin1');

function candidates(pf: Prefilter, buffer: string, t: Uint8Array): Map<number, number> {
  const n = pf.scan(buffer, t);
  const m = new Map<number, number>();
  for (let i = 0; i < n; i++) m.set(pf.candidates[i]!, pf.positions[i]!);
  return m;
}

/** Rule index -> first end offset, by indexOf over each rule's (truncated) fast pattern. */
function naive(pf: Prefilter, rules: readonly Rule[], buffer: string, t: Uint8Array, maxLen: number) {
  const m = new Map<number, number>();
  const folded = Buffer.from(t.map((b) => FOLD[b]!));
  for (let r = 0; r < rules.length; r++) {
    const c = pf.fastPatternOf(r);
    if (!c || c.bufferKey !== buffer) continue;
    const p = c.bytes.subarray(0, maxLen);
    const at = c.nocase ? folded.indexOf(Buffer.from(p.map((b) => FOLD[b]!))) : Buffer.from(t).indexOf(p);
    if (at >= 0) m.set(r, at + p.length);
  }
  return m;
}

test('hand-written rules: candidates per buffer, always-evaluate and header-only lists', () => {
  const rules = [
    accepted('content:"Nessus"; nocase; sid:1;'),
    accepted('http.uri; content:"/admin"; sid:2;', 'http'),
    accepted('content:!"x"; sid:3;'),
    accepted('flags:S; sid:4;'),
    accepted('http.uri; content:"/ADMIN"; sid:5;', 'http'),
    accepted('content:"nessus"; nocase; sid:6;'),
  ];
  const pf = buildPrefilter(rules);
  assert.deepEqual([...candidates(pf, 'pkt', bytes('hello NESSUS!'))].sort(), [
    [0, 12],
    [5, 12],
  ]);
  assert.deepEqual([...candidates(pf, 'http.uri', bytes('/x/admin/'))], [[1, 8]]);
  assert.equal(pf.scan('http.host', bytes('/admin')), 0, 'unknown buffer: nothing');
  assert.deepEqual([...(pf.alwaysEvaluate.get('pkt') ?? [])], [2]);
  assert.deepEqual([...pf.headerOnly], [3]);
  assert.equal(pf.stats.buffers.pkt?.patterns, 1, 'identical nocase patterns are merged');
  assert.equal(pf.stats.rules, 6);
});

test('long and pathological patterns are cut, so memory stays bounded', () => {
  const long = 'A'.repeat(4000);
  const rules = Array.from({ length: 200 }, (_, i) => accepted(`content:"${long}${i}"; sid:${i + 1};`));
  const pf = buildPrefilter(rules, { maxPatternLength: 16 });
  const s = pf.stats.buffers.pkt!;
  assert.equal(s.patterns, 1, 'all 200 share one 16-byte prefix');
  assert.equal(s.truncatedPatterns, 1);
  assert.ok(s.states <= 17);
  assert.equal(pf.scan('pkt', bytes(long.slice(0, 16))), 200);
});

const loaded = et.skip ? undefined : loadRules([et.path]);

test('ET Suricata: builds in seconds with bounded memory; seed sids are candidates in their buffer', {
  skip: et.skip,
}, () => {
  const rules = loaded!.rules;
  const pf = buildPrefilter(rules);
  const st = pf.stats;
  assert.ok(st.rules > 24000, `enabled rules ${st.rules}`);
  assert.equal(st.withFastPattern + st.alwaysEvaluate + st.headerOnly, st.rules);
  assert.ok(st.memoryBytes < 64 * 1024 * 1024, `memory ${st.memoryBytes}`);
  const seeds: Array<[number, string, string]> = [
    [2016032, 'http.user_agent', 'BOT/0.1 (BOT for JCE)'],
    [2002664, 'http.user_agent', 'Mozilla/4.0 (compatible; NESSUS)'],
    [2018232, 'http.uri', '/rom-0'],
    [2022263, 'http.user_agent', '}__test|O:21:"JDatabaseDriverMysqli":3:{}'],
    [2006546, 'pkt', 'SSH-2.0-libssh-0.1\r\n'],
    [
      2009358,
      'http.user_agent',
      'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
    ],
  ];
  const sidIndex = new Map(rules.map((r, i) => [r.sid, i]));
  for (const [sid, buffer, payload] of seeds) {
    const r = sidIndex.get(sid)!;
    assert.equal(pf.fastPatternOf(r)?.bufferKey, buffer, `sid ${sid} fast pattern buffer`);
    const found = candidates(pf, buffer, bytes(payload));
    assert.ok(found.has(r), `sid ${sid} is a candidate for ${JSON.stringify(payload)} in ${buffer}`);
    assert.equal(candidates(pf, buffer, bytes('nothing to see here')).has(r), false);
  }
});

test('ET Suricata: candidate sets equal indexOf over every fast pattern (random and pattern-built buffers)', {
  skip: et.skip,
}, () => {
  const rules = loaded!.rules;
  const pf = buildPrefilter(rules);
  const buffers = ['pkt', 'http.uri', 'http.user_agent', 'dns.query', 'http.header', 'tls.sni'];
  const pieces = new Map(
    buffers.map((b) => [
      b,
      rules.flatMap((_, r) => (pf.fastPatternOf(r)?.bufferKey === b ? [pf.fastPatternOf(r)!.bytes] : [])),
    ]),
  );
  const hay = fc.constantFrom(...buffers).chain((b) =>
    fc.tuple(
      fc.constant(b),
      fc
        .array(
          fc.oneof(
            fc.nat(pieces.get(b)!.length - 1).map((i) => pieces.get(b)![i]!),
            fc
              .nat(pieces.get(b)!.length - 1)
              .map((i) => bytes(Buffer.from(pieces.get(b)![i]!).toString('latin1').toUpperCase())),
            fc.uint8Array({ maxLength: 8 }),
          ),
          { maxLength: 12 },
        )
        .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p]))),
    ),
  );
  fc.assert(
    fc.property(hay, ([buffer, t]) => {
      assert.deepEqual(candidates(pf, buffer, t), naive(pf, rules, buffer, t, 32));
    }),
    { numRuns: 300 },
  );
});

test('a buffer scanned again (unchanged, or changed in one byte) gets the answer a fresh scan gives', () => {
  const rules = [
    accepted('http.header; content:"Host|3a|"; sid:1;', 'http'),
    accepted('http.header; content:"evil"; nocase; sid:2;', 'http'),
    accepted('http.header; content:"EvIl"; sid:3;', 'http'),
    accepted('http.header; content:"x-a"; sid:4;', 'http'),
  ];
  const pf = buildPrefilter(rules);
  const base = fc.stringMatching(/^(?:Host:|evil|EVIL|EvIl|x-a|[a-z: ]){0,12}$/).map(bytes);
  const step = fc.tuple(fc.boolean(), fc.nat(40), fc.constantFrom(...'HEeIiLlx-:a'));
  fc.assert(
    fc.property(base, fc.array(step, { maxLength: 8 }), (first, steps) => {
      let t = Uint8Array.from(first);
      assert.deepEqual(candidates(pf, 'http.header', t), naive(pf, rules, 'http.header', t, 32));
      for (const [change, at, ch] of steps) {
        // Same length, maybe one byte different: the remembered answer must not be reused wrongly.
        if (change && t.length > 0) {
          t = Uint8Array.from(t);
          t[at % t.length] = ch.charCodeAt(0);
        }
        assert.deepEqual(candidates(pf, 'http.header', t), naive(pf, rules, 'http.header', t, 32));
      }
    }),
    { numRuns: 500 },
  );
});
