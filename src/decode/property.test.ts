import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DecodedPacket } from '../schema/packet.js';
import { LinkType } from '../schema/packet.js';
import { createProblemLog } from '../util/problems.js';
import { createStats } from './context.js';
import { createFragmentTable } from './fragments.js';
import { createDecoder } from './index.js';
import {
  arp,
  bytes,
  concat,
  eth,
  ext6,
  frag6,
  frame,
  icmp,
  ipv4,
  ipv6,
  loopback,
  sll,
  sll2,
  tcp,
  udp,
} from './testing/packet-builders.js';

const linkTypes = [...Object.values(LinkType), 12, 14, 147];

/** Invariants every decoded packet must keep, whatever the input. */
function checkInvariants(p: DecodedPacket, data: Uint8Array): void {
  assert.ok([0, 4, 16].includes(p.addrLen));
  for (const port of [p.srcPort, p.dstPort, p.icmpInnerSrcPort, p.icmpInnerDstPort]) {
    assert.ok(Number.isInteger(port) && port >= -1 && port <= 65535);
  }
  assert.ok(p.tcpFlags >= 0 && p.tcpFlags <= 0x1ff);
  assert.ok(p.seq >= -1 && p.seq <= 0xffffffff);
  if (p.payload.length > 0 && !p.reassembled) {
    assert.equal(p.payload.buffer, data.buffer, 'payload points into the frame');
    assert.ok(p.payload.byteOffset >= data.byteOffset);
    assert.ok(p.payload.byteOffset + p.payload.length <= data.byteOffset + data.length);
  }
  assert.ok(p.payload.length <= 65535);
  assert.equal(typeof p.error, 'string');
}

test('random bytes under every link type: no throw, invariants hold, problems are bounded', () => {
  const problems = createProblemLog(5);
  const dec = createDecoder(problems, { maxFragmentBytes: 1 << 20 });
  fc.assert(
    fc.property(fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), (linkType, data) => {
      const p = dec.decode(frame(data, linkType));
      checkInvariants(p, data);
    }),
    { numRuns: 4000 },
  );
  assert.ok(problems.samples.length <= 5 * problems.counts.size);
});

const valid: [number, Uint8Array][] = [
  [
    LinkType.ETHERNET,
    eth(0x0800, ipv4({ options: [1, 1, 1, 0] }, tcp({ options: [2, 4, 5, 180, 4, 2, 1, 0] }))),
  ],
  [
    LinkType.ETHERNET,
    eth(0x86dd, ipv6({ nh: 0 }, concat(ext6(44), frag6(17, 0, true, 1), udp(1, 2, bytes(16))))),
  ],
  [
    LinkType.ETHERNET,
    eth(0x0800, ipv4({ proto: 17, more: true }, udp(1, 2, bytes(24))), [
      [0x88a8, 1],
      [0x8100, 2],
    ]),
  ],
  [LinkType.ETHERNET, eth(0x0806, arp(1, '1.2.3.4', '5.6.7.8'))],
  [
    LinkType.LINUX_SLL,
    sll(
      0x0800,
      ipv4({ proto: 1 }, icmp(3, 3, concat(new Uint8Array(4), ipv4({ proto: 17 }, udp(1, 2, bytes(4)))))),
    ),
  ],
  [
    LinkType.LINUX_SLL2,
    sll2(0x86dd, ipv6({ nh: 58 }, icmp(1, 4, concat(new Uint8Array(4), ipv6({ nh: 6 }, tcp({})))))),
  ],
  [LinkType.NULL, loopback(2, ipv4({ proto: 17, fragOffset: 8 }, bytes(16)), true)],
  [LinkType.RAW, ipv6({ nh: 60 }, concat(ext6(6, 1), tcp({ options: [8, 10, 0, 0, 0, 1, 0, 0, 0, 2] })))],
];

test('mutated valid packets: no throw, invariants hold', () => {
  const dec = createDecoder(createProblemLog(3), { maxFragmentBytes: 1 << 20, fragmentTimeout: 5 });
  fc.assert(
    fc.property(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.nat({ max: 200 }),
      fc.nat({ max: 100 }),
      ([linkType, original], edits, cut, time) => {
        const data = new Uint8Array(original);
        for (const [pos, value] of edits) data[pos % data.length] = value;
        const view = data.subarray(0, Math.max(0, data.length - (cut % (data.length + 1))));
        const p = dec.decode(frame(view, linkType, time));
        checkInvariants(p, view);
      },
    ),
    { numRuns: 5000 },
  );
});

test('random fragment floods stay within the byte budget', () => {
  const budget = 64 * 1024;
  const counters = createStats().fragments;
  const table = createFragmentTable(counters, budget, 30);
  const ip = ipv4({}, new Uint8Array(0));
  fc.assert(
    fc.property(
      fc.nat({ max: 50 }),
      fc.nat({ max: 8000 }),
      fc.boolean(),
      fc.nat({ max: 1400 }),
      fc.nat({ max: 100 }),
      (id, offset8, more, len, time) => {
        const whole = table.addV4(
          concat(ip, bytes(len)),
          0,
          id,
          17,
          offset8 * 8,
          more,
          20,
          20 + len,
          1000 + time,
        );
        assert.ok(table.bufferedBytes <= budget, `buffered ${table.bufferedBytes}`);
        assert.ok(table.bufferedBytes >= 0);
        if (whole) assert.ok(whole.length <= 65535);
      },
    ),
    { numRuns: 5000 },
  );
  assert.ok(counters.droppedOverBudget + counters.expired + counters.reassembled > 0);
});
