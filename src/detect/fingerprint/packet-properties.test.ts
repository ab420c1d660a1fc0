/**
 * Hostile and heavy input for the packet fingerprinter: random frames through
 * the real decoder never throw, and a flood of sources stays inside the
 * memory budget while every flooding source is still concluded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createDecoder } from '../../decode/index.js';
import { eth, frame, ipv4, ipv6, tcp, udp } from '../../decode/testing/packet-builders.js';
import { createProblemLog } from '../../util/problems.js';
import { createPacketFingerprinter } from './packet.js';

test('random and mutated frames never make the fingerprinter throw', () => {
  const seedFrames = [
    eth(0x0800, ipv4({ proto: 6, ttl: 255, id: 0x1234 }, tcp({ flags: 0x02, window: 1024 }))),
    eth(0x0800, ipv4({ proto: 6 }, tcp({ flags: 0x29, window: 512 }))),
    eth(0x0800, ipv4({ proto: 17 }, udp(5000, 40125, new Uint8Array(0)))),
    eth(0x86dd, ipv6({ nh: 6 }, tcp({ flags: 0x02, options: [2, 4, 5, 0xb4] }))),
  ];
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc
            .tuple(
              fc.constantFrom(...seedFrames),
              fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }),
            )
            .map(([b, edits]) => {
              const c = Uint8Array.from(b);
              for (const [at, v] of edits) c[at % c.length] = v;
              return c;
            }),
        ),
        { maxLength: 40 },
      ),
      (frames) => {
        const dec = createDecoder(createProblemLog());
        const fp = createPacketFingerprinter({ budgetBytes: 64 * 1024 });
        let t = 1000;
        for (const f of frames) fp.packet(dec.decode(frame(f, 1, t++)));
        fp.finish();
        const s = fp.stats();
        assert.equal(s.packets, frames.length);
        assert.ok(s.probes <= s.packets);
        for (const list of fp.tools().values()) for (const m of list) assert.ok(m.count > 0);
      },
    ),
    { numRuns: 300 },
  );
});

test('a flood of 50,000 masscan-like sources stays under the budget; evicted sources are still concluded', () => {
  const budget = 256 * 1024;
  const fp = createPacketFingerprinter({ budgetBytes: budget, idleSeconds: 3600, maxResults: 100_000 });
  const dec = createDecoder(createProblemLog());
  const sources = 50_000;
  for (let i = 0; i < sources; i++) {
    const src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    // Three SYNs per source with masscan's IP ID relation: id = (dst ^ dport ^ seq) & 0xffff (dst 192.0.2.x: low half 0x02xx).
    for (let k = 0; k < 3; k++) {
      const dstLow = 1 + k;
      const seq = (i * 7919 + k * 104729) >>> 0;
      const id = (((0x0200 | dstLow) ^ 22 ^ (seq & 0xffff)) & 0xffff) >>> 0;
      const bytes = eth(
        0x0800,
        ipv4(
          { src, dst: `192.0.2.${dstLow}`, id, ttl: 255, proto: 6 },
          tcp({ sport: 40000, dport: 22, seq, window: 1024 }),
        ),
      );
      fp.packet(dec.decode(frame(bytes, 1, 1000 + i)));
    }
  }
  fp.finish();
  const s = fp.stats();
  assert.ok(s.peakBytes <= budget + 4096, `peak ${s.peakBytes} within budget ${budget}`);
  assert.ok(s.evicted > sources / 2, `evicted ${s.evicted}`);
  assert.equal(s.concluded, sources);
  assert.equal(fp.tools().size, sources);
  const one = fp.tools().get('10.0.0.7')?.[0];
  assert.equal(one?.name, 'masscan');
  assert.equal(one?.count, 3);
});

test('identified sources past maxResults are counted as dropped, not kept', () => {
  const fp = createPacketFingerprinter({ budgetBytes: 1 << 20, maxResults: 10 });
  const dec = createDecoder(createProblemLog());
  for (let i = 0; i < 30; i++) {
    for (let k = 0; k < 3; k++) {
      const seq = 1000 + k;
      const id = (0x0200 | (k + 1)) ^ 22 ^ seq;
      fp.packet(
        dec.decode(
          frame(
            eth(
              0x0800,
              ipv4(
                { src: `10.1.0.${i}`, dst: `192.0.2.${k + 1}`, id, ttl: 255 },
                tcp({ dport: 22, seq, window: 1024 }),
              ),
            ),
            1,
            1000,
          ),
        ),
      );
    }
  }
  fp.finish();
  assert.equal(fp.tools().size, 10);
  assert.equal(fp.stats().resultsDropped, 20);
  assert.equal(fp.stats().identified, 30);
});
