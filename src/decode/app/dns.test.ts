import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type DnsMessage,
  DnsType,
  isDnsError,
  MAX_NAME_BYTES,
  NAME_LOOP,
  NAME_TRUNCATED,
  parseDnsMessage,
} from './dns.js';
import { createDnsTcpParser } from './dns-tcp.js';

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
/** Wire form of a dotted name (no compression). */
function wireName(name: string): number[] {
  const out: number[] = [];
  if (name !== '')
    for (const label of name.split('.')) out.push(label.length, ...Buffer.from(label, 'latin1'));
  out.push(0);
  return out;
}
function header(id: number, flags: number, qd: number, an: number, ns = 0, ar = 0): number[] {
  return [...be16(id), ...be16(flags), ...be16(qd), ...be16(an), ...be16(ns), ...be16(ar)];
}
const question = (name: string, type = 1) => [...wireName(name), ...be16(type), ...be16(1)];
function rr(nameBytes: number[], type: number, ttl: number, rdata: number[]): number[] {
  return [...nameBytes, ...be16(type), ...be16(1), ...be32(ttl), ...be16(rdata.length), ...rdata];
}
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
function ok(bytes: number[] | Uint8Array): DnsMessage {
  const r = parseDnsMessage(Uint8Array.from(bytes));
  if (isDnsError(r)) assert.fail(`unexpected error ${r.error} at ${r.offset}`);
  return r;
}

test('a query: id, flags and the name rendered dotted without the trailing dot', () => {
  const m = ok([...header(0x1234, 0x0100, 1, 0), ...question('www.Example.com', 28)]);
  assert.equal(m.txId, 0x1234);
  assert.equal(m.response, false);
  assert.equal(m.opcode, 0);
  assert.equal(m.queries.length, 1);
  assert.equal(text(m.queries[0]!.name), 'www.Example.com');
  assert.equal(m.queries[0]!.type, 28);
  assert.equal(m.queries[0]!.class, 1);
});

test('the root name is an empty buffer, and non-printable label bytes stay bytes', () => {
  const m = ok([...header(1, 0, 2, 0), ...question(''), 3, 0x61, 0x00, 0xff, 2, 0x2e, 0x0a, 0, 0, 1, 0, 1]);
  assert.equal(m.queries[0]!.name.length, 0);
  // A label holding a dot is not escaped: Suricata copies label bytes as they are.
  assert.deepEqual([...m.queries[1]!.name], [0x61, 0x00, 0xff, 0x2e, 0x2e, 0x0a]);
});

test('compression pointers: answers naming the question, a pointer to a suffix, CNAME chains', () => {
  // Question name at offset 12: 03 www 07 example 03 com 00
  const q = question('www.example.com');
  const ptrQ = [0xc0, 12];
  const ptrSuffix = [0xc0, 16]; // 'example.com'
  const msg = [
    ...header(7, 0x8180, 1, 3),
    ...q,
    ...rr(ptrQ, DnsType.CNAME, 300, [3, 0x63, 0x64, 0x6e, ...ptrSuffix]),
    ...rr(ptrSuffix, DnsType.A, 60, [192, 0, 2, 1]),
    ...rr(ptrSuffix, DnsType.AAAA, 60, [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]),
  ];
  const m = ok(msg);
  assert.equal(m.response, true);
  assert.equal(m.rcode, 0);
  assert.deepEqual(
    m.answers.map((a) => [text(a.name), a.type, a.ttl, a.data]),
    [
      ['www.example.com', 5, 300, 'cdn.example.com'],
      ['example.com', 1, 60, '192.0.2.1'],
      ['example.com', 28, 60, '2001:db8::1'],
    ],
  );
});

test('MX, SOA, TXT (one answer per string) and unknown types as hex', () => {
  const owner = [0xc0, 12];
  const msg = [
    ...header(9, 0x8183, 1, 4),
    ...question('example.org'),
    ...rr(owner, DnsType.MX, 1, [...be16(10), 4, 0x6d, 0x61, 0x69, 0x6c, 0xc0, 12]),
    ...rr(owner, DnsType.SOA, 2, [
      ...wireName('ns.example.org'),
      0xc0,
      12,
      ...be32(5),
      ...be32(6),
      ...be32(7),
      ...be32(8),
      ...be32(9),
    ]),
    ...rr(owner, DnsType.TXT, 3, [2, 0x68, 0x69, 0, 3, 0x61, 0x00, 0x62]),
    ...rr(owner, 99, 4, [0xde, 0xad]),
  ];
  const m = ok(msg);
  assert.equal(m.rcode, 3);
  assert.deepEqual(
    m.answers.map((a) => a.data),
    ['10 mail.example.org', 'ns.example.org example.org 5 6 7 8 9', 'hi', '', 'a\u0000b', 'dead'],
  );
});

test('a request is judged by its questions only; a response with a broken answer is an error', () => {
  const q = [...header(1, 0x0100, 1, 1), ...question('a.example')];
  assert.equal(text(ok([...q, 0xff, 0xff]).queries[0]!.name), 'a.example');
  const r = parseDnsMessage(Uint8Array.from([...header(1, 0x8180, 1, 1), ...question('a.example'), 0xc0]));
  assert.ok(isDnsError(r));
  assert.match(r.error, /answer 1/);
});

test('malformed names give errors with offsets', () => {
  const cases: Array<[number[], RegExp, number]> = [
    [[...header(1, 0, 1, 0), 5, 0x61], /label runs past/, 12],
    [[...header(1, 0, 1, 0), 0x80, 0x61, 0], /reserved label type/, 12],
    [[...header(1, 0, 1, 0), 0xc0, 12], /points at itself/, 12],
    [[...header(1, 0, 1, 0), 0xc0, 0xff], /beyond the message/, 12],
    [[...header(1, 0, 1, 0), 1, 0x61, 0, 0], /type and class cut/, 15],
    [[1, 2, 3], /shorter than the 12-byte header/, 0],
  ];
  for (const [bytes, re, offset] of cases) {
    const r = parseDnsMessage(Uint8Array.from(bytes));
    assert.ok(isDnsError(r), `expected an error for ${bytes}`);
    assert.match(r.error, re);
    assert.equal(r.offset, offset);
  }
});

test('a pointer loop after a first pointer ends as a truncated name, not a hang', () => {
  // Question name: pointer to 16; at 16 a label 'a' then a pointer back to 16.
  const msg = [...header(1, 0, 1, 0), 0xc0, 16, 0, 0, 1, 0x61, 0xc0, 16, 0, 1, 0, 1];
  const m = ok(msg);
  assert.ok(m.nameFlags & NAME_TRUNCATED);
  assert.ok(m.queries[0]!.name.length <= MAX_NAME_BYTES);
  assert.match(text(m.queries[0]!.name), /^a(\.a)+$/);
  // A pointer to a pointer to itself is caught as a loop.
  const self = ok([...header(1, 0, 1, 0), 0xc0, 14, 0xc0, 14, 0, 1, 0, 1]);
  assert.ok(self.nameFlags & NAME_LOOP);
});

test('names longer than 1025 bytes are cut, and parsing continues after them', () => {
  const long: number[] = [];
  for (let i = 0; i < 20; i++) long.push(63, ...new Array(63).fill(0x78));
  long.push(0);
  const m = ok([...header(1, 0, 2, 0), ...long, 0, 1, 0, 1, ...question('next.example')]);
  assert.equal(m.queries[0]!.name.length, MAX_NAME_BYTES);
  assert.ok(m.nameFlags & NAME_TRUNCATED);
  assert.equal(text(m.queries[1]!.name), 'next.example');
});

test('records beyond maxRecords are checked and counted, not kept', () => {
  const qs: number[] = [];
  for (let i = 0; i < 10; i++) qs.push(0xc0, 12 + 10 * 0, 0, 1, 0, 1);
  const first = question('x.example');
  const msg = Uint8Array.from([...header(1, 0, 11, 0), ...first, ...qs]);
  const r = parseDnsMessage(msg, { maxRecords: 4 });
  assert.ok(!isDnsError(r));
  assert.equal(r.queries.length, 4);
  assert.equal(r.droppedRecords, 7);
  assert.ok(r.queries.every((q) => text(q.name) === 'x.example'));
});

test('DNS over TCP: length framing across any split, several messages per chunk', () => {
  const m1 = [...header(1, 0x0100, 1, 0), ...question('one.example')];
  const m2 = [...header(2, 0x0100, 1, 0), ...question('two.example')];
  const stream = Uint8Array.from([...be16(m1.length), ...m1, ...be16(m2.length), ...m2]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const seen: string[] = [];
    const offsets: number[] = [];
    const p = createDnsTcpParser(
      (tx, at) => {
        seen.push(text(tx.queries[0]!.name));
        offsets.push(at);
      },
      (e) => assert.fail(e),
    );
    p.feed(stream.subarray(0, cut));
    p.feed(stream.subarray(cut));
    p.end();
    assert.deepEqual(seen, ['one.example', 'two.example'], `cut at ${cut}`);
    assert.deepEqual(offsets, [0, m1.length + 2]);
  }
  // Byte by byte, too.
  const seen: number[] = [];
  const p = createDnsTcpParser(
    (tx) => seen.push(tx.txId),
    (e) => assert.fail(e),
  );
  for (const b of stream) p.feed(Uint8Array.of(b));
  assert.deepEqual(seen, [1, 2]);
});

test('DNS over TCP: bad messages, zero lengths, a cut-short end and gaps are reported', () => {
  const errors: Array<[string, number]> = [];
  const msgs: number[] = [];
  const p = createDnsTcpParser(
    (tx) => msgs.push(tx.txId),
    (e, at) => errors.push([e, at]),
  );
  p.feed(Uint8Array.from([0, 3, 1, 2, 3, 0, 0, 0, 20, 1, 2]));
  p.end();
  assert.deepEqual(msgs, []);
  assert.equal(errors.length, 3);
  assert.match(errors[0]![0], /shorter than the 12-byte header/);
  assert.match(errors[1]![0], /zero-length/);
  assert.equal(errors[1]![1], 5);
  assert.match(errors[2]![0], /cut short: 2 of 20/);
  assert.equal(errors[2]![1], 7);

  const after: number[] = [];
  const g = createDnsTcpParser(
    (tx) => after.push(tx.txId),
    () => {},
  );
  g.feed(Uint8Array.from([0, 40, 1]));
  g.gap(100);
  g.feed(Uint8Array.from([0, 2, 0, 0]));
  assert.deepEqual(after, []);
  assert.equal(g.offset, 107);
});

/** A valid response with compression, to mutate. */
const sample = Uint8Array.from([
  ...header(0xbeef, 0x8180, 2, 3, 1),
  ...question('www.example.com'),
  0xc0,
  16,
  0,
  28,
  0,
  1,
  ...rr([0xc0, 12], DnsType.CNAME, 1, [3, 0x63, 0x64, 0x6e, 0xc0, 16]),
  ...rr([0xc0, 16], DnsType.TXT, 1, [1, 0x61, 2, 0x62, 0x63]),
  ...rr([0xc0, 16], DnsType.MX, 1, [0, 5, 0xc0, 12]),
  ...rr([0xc0, 16], DnsType.SOA, 1, [0xc0, 12, 0xc0, 16, ...new Array(20).fill(1)]),
]);

function checkBounded(r: ReturnType<typeof parseDnsMessage>): void {
  if (isDnsError(r)) {
    assert.equal(typeof r.error, 'string');
    assert.ok(r.offset >= 0);
    return;
  }
  assert.ok(r.queries.length <= 256 && r.answers.length <= 256);
  for (const q of r.queries) assert.ok(q.name.length <= MAX_NAME_BYTES);
  for (const a of r.answers) assert.ok(a.name.length <= MAX_NAME_BYTES);
}

test('the sample parses, and random bytes never throw and stay bounded', () => {
  const m = ok(sample);
  assert.equal(m.queries.length, 2);
  assert.equal(m.answers.length, 4);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => checkBounded(parseDnsMessage(bytes))),
    { numRuns: 3000 },
  );
});

test('mutated valid messages never throw and stay bounded', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.nat(sample.length),
      (edits, cut) => {
        const b = sample.slice(0, Math.max(cut, 1));
        for (const [at, v] of edits) if (at < b.length) b[at] = v;
        checkBounded(parseDnsMessage(b));
      },
    ),
    { numRuns: 3000 },
  );
});

test('random TCP streams in random chunks never throw', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 800 }), fc.array(fc.nat(800), { maxLength: 8 }), (bytes, cuts) => {
      const p = createDnsTcpParser(checkBounded, () => {});
      let at = 0;
      for (const c of [...cuts].sort((a, b) => a - b)) {
        p.feed(bytes.subarray(at, Math.max(at, c)));
        at = Math.max(at, c);
      }
      p.feed(bytes.subarray(at));
      p.end();
      assert.equal(p.offset, bytes.length);
    }),
    { numRuns: 1000 },
  );
});
