/**
 * Hostile input: random datagrams and mutations of real ones (truncation, bit
 * flips, rewritten lengths and counts, template ids reused with other layouts).
 * Decoding never throws, never hangs, stays within its bounds, and every
 * problem names the exporter and a byte offset.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/env.js';
import { createProblemLog } from '../../util/problems.js';
import { createNetflowSession } from './session.js';
import { ipfix, set, templateRecord, v9 } from './testing/build.js';

const dir = sharedData('logs/netflow/logstash-codec-netflow/spec-codecs');
const real = dir.skip
  ? []
  : readdirSync(dir.path)
      .filter((f) => f.endsWith('.dat'))
      .sort()
      .map((f) => new Uint8Array(readFileSync(join(dir.path, f))));

function feed(datagrams: Uint8Array[]) {
  const problems = createProblemLog();
  let records = 0;
  const s = createNetflowSession({
    problems,
    onRecord: () => {
      records++;
    },
    pendingMaxSets: 50,
    pendingMaxBytes: 64 * 1024,
    maxTemplates: 64,
  });
  let ts = 0;
  for (const d of datagrams) {
    ts += 7;
    s.datagram(d, '198.51.100.7:2055', ts);
  }
  s.flush();
  for (const p of problems.samples) {
    assert.equal(typeof p.offset, 'number', `${p.code} has an offset`);
    assert.ok(p.message.includes('198.51.100.7:2055'), `${p.code} names the exporter`);
  }
  // bounded: never more records than bytes could describe (every record takes ≥ 1 byte)
  const bytes = datagrams.reduce((n, d) => n + d.length, 0);
  assert.ok(records <= bytes, `${records} records from ${bytes} bytes`);
  return { problems, records, s };
}

const mutate = (b: Uint8Array, edits: [number, number][], cut: number) => {
  const out = b.slice(0, Math.max(0, b.length - cut));
  for (const [at, v] of edits) if (out.length > 0) out[at % out.length] = v;
  return out;
};

test('random datagrams: no throw, bounded', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 1500 }), { maxLength: 20 }), (ds) => {
      feed(ds);
    }),
    { numRuns: 300 },
  );
});

test('random bodies behind valid v5 / v9 / IPFIX headers: no throw, bounded', () => {
  const head = fc.constantFrom(
    [0, 5, 0, 30],
    [0, 9, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 10, 5, 220, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(head, fc.uint8Array({ maxLength: 1400 })), { maxLength: 20 }), (ds) => {
      feed(ds.map(([h, body]) => Uint8Array.from([...h, ...body])));
    }),
    { numRuns: 300 },
  );
});

test('mutated real payloads (bit flips, rewritten bytes, truncation): no throw, bounded', {
  skip: dir.skip,
}, () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.nat(real.length - 1),
          fc.array(fc.tuple(fc.nat(2000), fc.constantFrom(0, 1, 2, 3, 0x7f, 0x80, 0xff)), { maxLength: 8 }),
          fc.nat(64),
        ),
        { minLength: 1, maxLength: 12 },
      ),
      (picks) => {
        feed(picks.map(([i, edits, cut]) => mutate(real[i]!, edits, cut)));
      },
    ),
    { numRuns: 400 },
  );
});

test('hand-made hostile cases: zero-length fields, lengths past the end, absurd counts, id reuse', () => {
  const zeroOnly = ipfix([
    set(
      2,
      templateRecord(256, [
        [8, 0],
        [12, 0],
      ]),
    ),
    set(256, new Uint8Array(400)),
  ]);
  const past = ipfix([set(2, templateRecord(256, [[8, 4]]))]);
  past[18] = 0xff; // set length far past the end
  const absurdFields = ipfix([set(2, Uint8Array.from([1, 0, 0xff, 0xff, 0, 8, 0, 4]))]);
  const varPast = ipfix([
    set(2, templateRecord(256, [[82, 0xffff]])),
    set(256, Uint8Array.from([255, 0xff, 0xff, 65])),
  ]);
  const reuse = [
    ipfix([
      set(
        2,
        templateRecord(256, [
          [8, 4],
          [12, 4],
        ]),
      ),
    ]),
    ipfix([set(2, templateRecord(256, [[27, 16]]))]),
    ipfix([set(256, new Uint8Array(8))]),
  ];
  const v9Count = v9([set(0, templateRecord(256, [[8, 4]])), set(256, new Uint8Array(4))], { count: 65535 });
  const ipfixShortLen = ipfix([]);
  ipfixShortLen[3] = 2;
  const { problems } = feed([zeroOnly, past, absurdFields, varPast, ...reuse, v9Count, ipfixShortLen]);
  for (const code of [
    'netflow.empty-template',
    'netflow.bad-set-length',
    'netflow.bad-template',
    'netflow.truncated-record',
    'netflow.template-redefined',
    'netflow.bad-length',
  ])
    assert.ok((problems.counts.get(code) ?? 0) >= 1, `${code} in ${[...problems.counts.keys()]}`);
});

test('many exporters and templates stay within their limits', () => {
  const problems = createProblemLog();
  const s = createNetflowSession({ problems, onRecord: () => {}, maxExporters: 100, maxTemplates: 10 });
  for (let e = 0; e < 1000; e++) {
    const sets = [];
    for (let t = 0; t < 20; t++) sets.push(set(2, templateRecord(256 + t, [[8, 4]])));
    s.datagram(ipfix(sets), `10.0.${e >> 8}.${e & 255}:2055`, e);
  }
  assert.equal(s.templateCount('10.0.3.231:2055'), 10);
  assert.equal(s.templateCount('10.0.0.0:2055'), 0, 'the least recently heard exporter was forgotten');
  assert.equal(problems.counts.get('netflow.too-many-templates'), 1000 * 10);
});
