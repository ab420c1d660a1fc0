import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createReassemblyStats, createStreamReassembler } from './reassembly.js';

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/** A reassembler that records what it delivers; gaps show as '<gap N>'. */
function harness(opts: { maxBuffered?: number; historyBytes?: number } = {}) {
  const out: number[] = [];
  const events: string[] = [];
  const offsets: number[] = [];
  const r = createStreamReassembler({
    ...opts,
    onData(bytes, off) {
      offsets.push(off);
      for (const b of bytes) out.push(b);
      events.push(Buffer.from(bytes).toString('latin1'));
    },
    onGap(len) {
      events.push(`<gap ${len}>`);
    },
  });
  return { r, out, events, offsets, text: () => Buffer.from(out).toString('latin1') };
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

test('in-order segments after a SYN are delivered at their stream offsets', () => {
  const h = harness();
  h.r.segment(1000, SYN, new Uint8Array(0));
  h.r.segment(1001, ACK, bytes('hello '));
  h.r.segment(1007, ACK, bytes('world'));
  assert.equal(h.text(), 'hello world');
  assert.deepEqual(h.offsets, [0, 6]);
  assert.equal(h.r.stats.segments, 2);
  assert.equal(h.r.stats.outOfOrder, 0);
});

test('midstream start without SYN begins at the first data segment', () => {
  const h = harness();
  h.r.segment(5000, ACK, new Uint8Array(0)); // pure ACK does not anchor the stream
  h.r.segment(77, ACK, bytes('abc'));
  h.r.segment(80, ACK, bytes('def'));
  assert.equal(h.text(), 'abcdef');
});

test('out-of-order segments are buffered and delivered once the hole fills', () => {
  const h = harness();
  h.r.segment(0, SYN, new Uint8Array(0));
  h.r.segment(7, ACK, bytes('world'));
  h.r.segment(4, ACK, bytes('lo '));
  assert.equal(h.text(), '');
  h.r.segment(1, ACK, bytes('hel'));
  assert.equal(h.text(), 'hello world');
  assert.equal(h.r.stats.outOfOrder, 2);
  assert.equal(h.r.stats.gaps, 0);
});

test('an identical retransmission is counted and not delivered twice', () => {
  const h = harness();
  h.r.segment(10, SYN, new Uint8Array(0));
  h.r.segment(11, ACK, bytes('GET / HTTP/1.1\r\n'));
  h.r.segment(11, ACK, bytes('GET / HTTP/1.1\r\n'));
  h.r.segment(27, ACK, bytes('Host: x\r\n'));
  assert.equal(h.text(), 'GET / HTTP/1.1\r\nHost: x\r\n');
  assert.equal(h.r.stats.retransmissions, 1);
  assert.equal(h.r.stats.inconsistentOverlaps, 0);
});

test('a consistent overlap delivers only the new part', () => {
  const h = harness();
  h.r.segment(0, SYN, new Uint8Array(0));
  h.r.segment(1, ACK, bytes('abcdef'));
  h.r.segment(4, ACK, bytes('defghi'));
  assert.equal(h.text(), 'abcdefghi');
  assert.equal(h.r.stats.overlaps, 1);
  assert.equal(h.r.stats.inconsistentOverlaps, 0);
});

test('an inconsistent overlap keeps the first data and is flagged (delivered and buffered cases)', () => {
  const h = harness();
  h.r.segment(0, SYN, new Uint8Array(0));
  h.r.segment(1, ACK, bytes('abcdef'));
  h.r.segment(4, ACK, bytes('XYZghi')); // rewrites 'def'
  assert.equal(h.text(), 'abcdefghi');
  assert.equal(h.r.stats.overlaps, 1);
  assert.equal(h.r.stats.inconsistentOverlaps, 1);

  // Both pieces ahead of a hole: the first buffered one wins too.
  const b = harness();
  b.r.segment(0, SYN, new Uint8Array(0));
  b.r.segment(5, ACK, bytes('EFGH'));
  b.r.segment(3, ACK, bytes('cdXXijk')); // 'EF' vs 'XX' differs; 'k' is new
  b.r.segment(1, ACK, bytes('ab'));
  assert.equal(b.text(), 'abcdEFGHk');
  assert.equal(b.r.stats.inconsistentOverlaps, 1);
  // A full duplicate with different bytes is not a plain retransmission.
  h.r.segment(1, ACK, bytes('abQdef'));
  assert.equal(h.r.stats.inconsistentOverlaps, 2);
  assert.equal(h.r.stats.retransmissions, 0);
});

test('sequence numbers wrap around 2^32', () => {
  const h = harness();
  const isn = 0xffff_fff0;
  h.r.segment(isn, SYN, new Uint8Array(0));
  h.r.segment(isn + 1, ACK, bytes('0123456789'));
  h.r.segment((isn + 11) >>> 0, ACK, bytes('abcdefghij')); // crosses zero
  h.r.segment(((isn + 31) >>> 0) as number, ACK, bytes('KLM')); // ahead, out of order
  h.r.segment(((isn + 21) >>> 0) as number, ACK, bytes('klmnopqrst'));
  assert.equal(h.text(), '0123456789abcdefghijklmnopqrstKLM');
  assert.equal(h.r.offset, 33);
});

test('an ACK past a hole reports a gap of the hole length and the stream goes on', () => {
  const h = harness();
  h.r.segment(100, SYN, new Uint8Array(0));
  h.r.segment(101, ACK, bytes('aaaa'));
  h.r.segment(115, ACK, bytes('cccc')); // bytes 4..14 lost by the capture
  h.r.ack(119);
  assert.deepEqual(h.events, ['aaaa', '<gap 10>', 'cccc']);
  assert.equal(h.r.stats.gaps, 1);
  assert.equal(h.r.stats.gapBytes, 10);
  h.r.segment(119, ACK, bytes('dd'));
  assert.equal(h.events.at(-1), 'dd');
  // ACKs at or below the delivered edge change nothing.
  h.r.ack(110);
  h.r.ack(121);
  assert.equal(h.r.stats.gaps, 1);
});

test('a FIN ends the stream; its sequence number is not counted as a gap', () => {
  const h = harness();
  h.r.segment(0, SYN, new Uint8Array(0));
  h.r.segment(1, ACK | FIN, bytes('bye'));
  h.r.ack(5); // FIN consumes one sequence number
  assert.equal(h.r.stats.gaps, 0);
  assert.equal(h.r.closed, true);
  h.r.segment(4, ACK, bytes('more')); // ignored after close
  assert.equal(h.text(), 'bye');
});

test('finish delivers buffered data across holes; RST finishes too', () => {
  const h = harness();
  h.r.segment(0, SYN, new Uint8Array(0));
  h.r.segment(1, ACK, bytes('ab'));
  h.r.segment(6, ACK, bytes('fg'));
  h.r.segment(10, ACK | FIN, bytes('jk'));
  h.r.finish();
  assert.deepEqual(h.events, ['ab', '<gap 3>', 'fg', '<gap 2>', 'jk']);
  const r = harness();
  r.r.segment(0, SYN, new Uint8Array(0));
  r.r.segment(5, ACK, bytes('late'));
  r.r.segment(1, RST, new Uint8Array(0));
  assert.deepEqual(r.events, ['<gap 4>', 'late']);
  assert.equal(r.r.closed, true);
});

test('out-of-order buffering is bounded: a full buffer gives up the oldest hole', () => {
  const h = harness({ maxBuffered: 100 });
  h.r.segment(0, SYN, new Uint8Array(0));
  h.r.segment(51, ACK, new Uint8Array(80).fill(0x61)); // offsets 50..129, hole 0..49
  h.r.segment(201, ACK, new Uint8Array(80).fill(0x62)); // does not fit: hole 0..49 becomes a gap
  assert.deepEqual(h.events.slice(0, 1), ['<gap 50>']);
  assert.equal(h.r.offset, 130);
  assert.equal(h.r.stats.truncatedBytes, 0);
  // A single piece larger than the bound keeps only the bound.
  h.r.segment(1001, ACK, new Uint8Array(300).fill(0x63));
  assert.ok(h.r.stats.truncatedBytes > 0);
  h.r.finish();
  // Nothing buffered is lost from the count: offset covers everything up to the last kept byte.
  assert.ok(h.out.length <= 80 + 80 + 100);
});

test('a shared stats object accumulates over streams', () => {
  const stats = createReassemblyStats();
  for (let i = 0; i < 3; i++) {
    const r = createStreamReassembler({ onData() {}, stats });
    r.segment(0, SYN, new Uint8Array(0));
    r.segment(1, ACK, bytes('x'));
  }
  assert.equal(stats.segments, 3);
});

test('property: random cuts, order and duplicates reassemble to the original stream', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 3000 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.array(fc.nat(), { maxLength: 20 }),
      fc.integer(),
      (data, cutSeeds, isn, dupSeeds, shuffleSeed) => {
        const cuts = [...new Set(cutSeeds.map((c) => c % data.length))].sort((a, b) => a - b);
        const segs: { off: number; len: number }[] = [];
        let prev = 0;
        for (const c of [...cuts, data.length]) {
          if (c > prev) segs.push({ off: prev, len: c - prev });
          prev = c;
        }
        // Duplicates: whole segments again, and overlapping spans across neighbours.
        for (const d of dupSeeds) {
          const s = segs[d % segs.length]!;
          const extra = d % 7;
          segs.push({ off: s.off, len: Math.min(data.length - s.off, s.len + extra) });
        }
        let seed = shuffleSeed;
        const rand = () => {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          return seed;
        };
        for (let i = segs.length - 1; i > 0; i--) {
          const j = rand() % (i + 1);
          [segs[i], segs[j]] = [segs[j]!, segs[i]!];
        }
        const h = harness();
        h.r.segment(isn, SYN, new Uint8Array(0));
        for (const s of segs) {
          // The reader's buffer is reused: hand a scratch copy and scribble on it afterwards.
          const scratch = data.slice(s.off, s.off + s.len);
          h.r.segment((isn + 1 + s.off) >>> 0, ACK, scratch);
          scratch.fill(0xee);
        }
        h.r.finish();
        assert.equal(h.r.stats.gaps, 0);
        assert.equal(h.r.stats.inconsistentOverlaps, 0);
        assert.deepEqual(new Uint8Array(h.out), data);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: hostile segment sequences never throw and stay within bounds', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          seq: fc.integer({ min: 0, max: 0xffffffff }),
          flags: fc.integer({ min: 0, max: 0x1ff }),
          len: fc.nat(2000),
          ack: fc.option(fc.integer({ min: 0, max: 0xffffffff })),
        }),
        { maxLength: 60 },
      ),
      (segs) => {
        let delivered = 0;
        const r = createStreamReassembler({
          maxBuffered: 4096,
          onData(b) {
            delivered += b.length;
          },
        });
        for (const s of segs) {
          r.segment(s.seq, s.flags, new Uint8Array(s.len));
          if (s.ack !== null) r.ack(s.ack);
        }
        r.finish();
        assert.ok(delivered <= segs.reduce((n, s) => n + s.len, 0));
        assert.equal(r.closed, true);
      },
    ),
    { numRuns: 300 },
  );
});

test('RST before any data closes an empty stream', () => {
  const h = harness();
  h.r.segment(9, RST, new Uint8Array(0));
  h.r.finish();
  assert.equal(h.text(), '');
});
