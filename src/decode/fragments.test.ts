import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkType } from '../schema/packet.js';
import { createProblemLog } from '../util/problems.js';
import { createDecoder } from './index.js';
import { bytes, concat, frag6, frame, ipv4, ipv6, udp } from './testing/packet-builders.js';

/** Splits a UDP datagram into IPv4 fragments of `size` bytes (multiple of 8). */
function fragmentsV4(transport: Uint8Array, size: number, id = 77, src = '10.0.0.1'): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < transport.length; off += size) {
    const part = transport.subarray(off, off + size);
    out.push(ipv4({ proto: 17, id, src, fragOffset: off, more: off + size < transport.length }, part));
  }
  return out;
}

function fragmentsV6(transport: Uint8Array, size: number, id = 0x01020304): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < transport.length; off += size) {
    const part = transport.subarray(off, off + size);
    out.push(ipv6({ nh: 44 }, concat(frag6(17, off, off + size < transport.length, id), part)));
  }
  return out;
}

const datagram = () => udp(5000, 53, bytes(100, 3));

function run(frames: Uint8Array[], opts = {}, times?: number[]) {
  const problems = createProblemLog();
  const dec = createDecoder(problems, opts);
  const results = frames.map((f, i) => {
    const p = dec.decode(frame(f, LinkType.RAW, times?.[i] ?? 1000));
    return {
      fragment: p.fragment,
      reassembled: p.reassembled,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      payload: [...p.payload],
      ipLen: p.ipLen,
      error: p.error,
    };
  });
  return { results, stats: dec.stats, problems };
}

test('IPv4 fragments in order: last one returns the reassembled datagram', () => {
  const { results, stats } = run(fragmentsV4(datagram(), 40));
  assert.equal(results.length, 3);
  assert.deepEqual(
    results.map((r) => [r.fragment, r.reassembled]),
    [
      [true, false],
      [true, false],
      [false, true],
    ],
  );
  assert.equal(results[0]!.dstPort, 53); // first fragment holds the UDP header
  assert.equal(results[1]!.dstPort, -1);
  const last = results[2]!;
  assert.deepEqual([last.srcPort, last.dstPort, last.ipLen], [5000, 53, 128]);
  assert.deepEqual(last.payload, [...bytes(100, 3)]);
  assert.equal(last.error, '');
  assert.deepEqual(stats.fragments, {
    seen: 3,
    reassembled: 1,
    expired: 0,
    droppedOverBudget: 0,
    overlaps: 0,
  });
});

test('IPv4 fragments out of order and duplicated still reassemble once', () => {
  const [a, b, c] = fragmentsV4(datagram(), 40);
  const { results, stats } = run([c!, a!, a!, b!]);
  assert.deepEqual(
    results.map((r) => r.reassembled),
    [false, false, false, true],
  );
  assert.deepEqual(results[3]!.payload, [...bytes(100, 3)]);
  assert.equal(stats.fragments.reassembled, 1);
  assert.equal(stats.fragments.overlaps, 1);
});

test('overlapping fragments: counted, and the first data wins', () => {
  const good = datagram();
  const evil = new Uint8Array(good);
  evil.fill(0xee, 16, 64);
  const first = ipv4({ proto: 17, id: 5, fragOffset: 0, more: true }, good.subarray(0, 48));
  const overlap = ipv4({ proto: 17, id: 5, fragOffset: 16, more: true }, evil.subarray(16, 64));
  const last = ipv4({ proto: 17, id: 5, fragOffset: 64 }, good.subarray(64));
  const { results, stats } = run([first, overlap, last]);
  const whole = results[2]!;
  assert.equal(whole.reassembled, true);
  assert.deepEqual(whole.payload.slice(8, 40), [...good.subarray(16, 48)]); // first copy kept
  assert.deepEqual(whole.payload.slice(40, 56), [...evil.subarray(48, 64)]); // the new part filled the gap
  assert.equal(stats.fragments.overlaps, 1);
});

test('datagrams with different ids or sources do not mix', () => {
  const a = fragmentsV4(datagram(), 56, 1, '10.0.0.1');
  const b = fragmentsV4(datagram(), 56, 1, '10.0.0.9');
  const { results, stats } = run([a[0]!, b[1]!, a[1]!, b[0]!]);
  assert.deepEqual(
    results.map((r) => r.reassembled),
    [false, false, true, true],
  );
  assert.equal(stats.fragments.reassembled, 2);
});

test('never-completing fragments expire after the timeout in packet time', () => {
  const [a] = fragmentsV4(datagram(), 40, 1);
  const later = fragmentsV4(datagram(), 40, 2);
  const { results, stats } = run(
    [a!, later[1]!, later[0]!, later[2]!],
    { fragmentTimeout: 30 },
    [100, 131, 131, 131],
  );
  assert.equal(results[3]!.reassembled, true);
  assert.equal(stats.fragments.expired, 1);
});

test('over the byte budget the oldest datagram is evicted and counted', () => {
  const big = udp(1, 2, bytes(3000));
  const first = fragmentsV4(big, 1480, 1);
  const second = fragmentsV4(big, 1480, 2);
  const { results, stats } = run([first[0]!, second[0]!, second[1]!, second[2]!, first[1]!, first[2]!], {
    maxFragmentBytes: 4096,
  });
  assert.equal(results[3]!.reassembled, true);
  assert.equal(results[5]!.reassembled, false);
  assert.ok(stats.fragments.droppedOverBudget >= 1);
});

test('a fragment past 65,535 bytes is an error and not buffered', () => {
  const f = ipv4({ proto: 17, fragOffset: 65528, more: false }, bytes(100));
  const { results, problems } = run([f]);
  assert.equal(results[0]!.error, 'ipv4.fragment-too-large');
  assert.equal(problems.counts.get('ipv4.fragment-too-large'), 1);
});

test('with reassembly off, fragments are only flagged; the first still gives ports', () => {
  const { results, stats } = run(fragmentsV4(datagram(), 40), { reassembleFragments: false });
  assert.deepEqual(
    results.map((r) => [r.fragment, r.reassembled, r.dstPort]),
    [
      [true, false, 53],
      [true, false, -1],
      [true, false, -1],
    ],
  );
  assert.equal(stats.fragments.seen, 3);
  assert.equal(stats.fragments.reassembled, 0);
});

test('IPv6 fragment header: reassembled like IPv4, ipId is the fragment id', () => {
  const frags = fragmentsV6(datagram(), 48);
  const { results } = run([frags[2]!, frags[0]!, frags[1]!]);
  const whole = results[2]!;
  assert.equal(whole.reassembled, true);
  assert.deepEqual([whole.srcPort, whole.dstPort], [5000, 53]);
  assert.deepEqual(whole.payload, [...bytes(100, 3)]);
  assert.equal(whole.ipLen, 40 + 108);
  assert.equal(results[0]!.fragment, true);
  assert.equal(results[0]!.dstPort, -1);
});
