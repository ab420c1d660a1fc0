import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { assetLimits, assetSchema, truncatedMark } from '../../schema/asset.js';
import { createProblemLog } from '../../util/problems.js';
import { createNmapXmlParser } from './index.js';
import { parseNmap, sampleFooter, sampleHeader, sampleScan, sampleWeb6 } from './testing/sample.js';

const sampleBytes = new TextEncoder().encode(sampleScan);
const full = parseNmap(sampleScan).assets;

const valid = (assets: unknown[]) => {
  for (const a of assets) assetSchema.parse(a);
};

test('random text and random bytes never throw and never give an invalid asset', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.array(fc.nat(300)), (s, chunks) => {
      const r = parseNmap(s, { chunks });
      valid(r.assets);
      assert.ok(r.problems.total() >= 1 || r.assets.length === 0);
    }),
    { numRuns: 1500 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => valid(parseNmap(b).assets)),
    { numRuns: 1500 },
  );
});

test('chunk boundaries never change the result', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }), (chunks) => {
      const r = parseNmap(sampleBytes, { chunks });
      assert.deepEqual(r.assets, full);
      assert.equal(r.problems.total(), 0);
    }),
    { numRuns: 300 },
  );
});

test('a valid scan with random byte mutations never throws; hosts before the first damage are exact', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          at: fc.nat(sampleBytes.length - 1),
          op: fc.constantFrom('set', 'insert', 'delete'),
          byte: fc.constantFrom(0x3c, 0x3e, 0x26, 0x22, 0x2f, 0x00, 0xff, 0x0a, 0x41, 0x3b, 0x23),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      fc.array(fc.integer({ min: 1, max: 2000 }), { maxLength: 4 }),
      (mutations, chunks) => {
        const b = [...sampleBytes];
        for (const m of mutations) {
          const at = Math.min(m.at, b.length - 1);
          if (m.op === 'set') b[at] = m.byte;
          else if (m.op === 'insert') b.splice(at, 0, m.byte);
          else b.splice(at, 1);
        }
        const r = parseNmap(new Uint8Array(b), { chunks });
        valid(r.assets);
        assert.ok(r.assets.length <= 3);
      },
    ),
    { numRuns: 1500 },
  );
});

test('a file cut at a random place, fed in random chunks, gives a prefix of the hosts', () => {
  fc.assert(
    fc.property(
      fc.nat(sampleBytes.length),
      fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 5 }),
      (cut, chunks) => {
        const r = parseNmap(sampleBytes.subarray(0, cut), { chunks });
        assert.deepEqual(r.assets, full.slice(0, r.assets.length));
      },
    ),
    { numRuns: 500 },
  );
});

/** Characters XML 1.0 allows, written as a serializer must inside an attribute. */
const xmlText = fc
  .string({ unit: 'grapheme', maxLength: 60 })
  .map((s) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ''));
const escapeAttr = (s: string) => s.replace(/[&<>"'\t\n\r]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);

test('any attribute text survives escaping: entities and character references are decoded exactly', () => {
  fc.assert(
    fc.property(xmlText, xmlText, xmlText, (product, version, output) => {
      const host = sampleWeb6
        .replace('product="Microsoft IIS httpd"', () => `product="${escapeAttr(product)}"`)
        .replace('version="10.0"', () => `version="${escapeAttr(version)}"`)
        .replace(
          '</service></port>',
          () => `</service><script id="t" output="${escapeAttr(output)}"/></port>`,
        );
      const r = parseNmap(sampleHeader + host + sampleFooter);
      assert.equal(r.problems.total(), 0);
      const s = r.assets[0]!.services[0]!;
      assert.equal(s.product, product);
      assert.equal(s.version, version);
      assert.equal(s.scripts.t, output);
    }),
    { numRuns: 500 },
  );
  const long = 'é'.repeat(assetLimits.field + 10);
  const r = parseNmap(sampleScan.replace('product="Microsoft IIS httpd"', `product="${long}"`));
  assert.equal(r.assets[1]!.services[0]!.product, long.slice(0, assetLimits.field) + truncatedMark);
});

test('memory stays bounded on a stream with no markup: reading stops after the token bound', () => {
  const problems = createProblemLog();
  const parser = createNmapXmlParser({ file: 'flood.xml', problems, onAsset: () => {} });
  parser.write(new TextEncoder().encode(`${sampleHeader}<host>`));
  const chunk = new Uint8Array(1 << 20).fill(0x41);
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let fed = 0;
  while (!parser.stopped && fed < 64) {
    parser.write(chunk);
    fed++;
  }
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(parser.stopped, 'stopped');
  assert.ok(fed <= 5, `stopped after ${fed} MiB`);
  assert.ok(grown < 64 * 1024 * 1024, `heap grew ${grown} bytes`);
  assert.equal(problems.counts.get('nmap.token-too-long'), 1);
  parser.end();
});
