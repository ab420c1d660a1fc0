import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createSyslogFramer } from './listen-framing.js';

interface Seen {
  messages: string[];
  problems: { code: string; offset: number }[];
  fatal: { code: string; offset: number }[];
}

function framer(max: number) {
  const seen: Seen = { messages: [], problems: [], fatal: [] };
  const f = createSyslogFramer(max, {
    message: (b, s, e) => seen.messages.push(b.toString('latin1', s, e)),
    problem: (code, _r, offset) => seen.problems.push({ code, offset }),
    fatal: (code, _r, offset) => seen.fatal.push({ code, offset }),
  });
  return { f, seen };
}

/** Feeds `bytes` cut at the given points. */
function feed(f: ReturnType<typeof framer>['f'], bytes: Buffer, cuts: number[]): void {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c <= at || c >= bytes.length) continue;
    f.push(bytes.subarray(at, c));
    at = c;
  }
  f.push(bytes.subarray(at));
}

const octet = (msgs: string[]) =>
  Buffer.from(msgs.map((m) => `${Buffer.byteLength(m, 'latin1')} ${m}`).join(''), 'latin1');
const lines = (msgs: string[]) => Buffer.from(msgs.map((m) => `${m}\n`).join(''), 'latin1');

test('newline framing: messages split at LF, CR stripped, empty lines skipped', () => {
  const { f, seen } = framer(100);
  f.push(Buffer.from('<13>Nov 23 11:12:20 h a: one\r\n\n<13>Nov 23 11:12:2'));
  f.push(Buffer.from('1 h a: two\n'));
  f.end();
  assert.equal(f.mode, 'newline');
  assert.deepEqual(seen.messages, ['<13>Nov 23 11:12:20 h a: one', '<13>Nov 23 11:12:21 h a: two']);
  assert.deepEqual(seen.problems, []);
});

test('octet counting is detected from "DIGITS SP" and frames may hold newlines', () => {
  const { f, seen } = framer(100);
  const bytes = octet(['<13>1 - h a - - - multi\nline', '<13>1 - h a - - - x']);
  feed(f, bytes, [1, 2, 3]);
  f.end();
  assert.equal(f.mode, 'octet-counted');
  assert.deepEqual(seen.messages, ['<13>1 - h a - - - multi\nline', '<13>1 - h a - - - x']);
});

test('a line starting with digits but no space after them is newline framing (ISO stamps)', () => {
  const { f, seen } = framer(100);
  f.push(Buffer.from('2026-11-23T11:12:20Z h a: x\n'));
  assert.equal(f.mode, 'newline');
  assert.deepEqual(seen.messages, ['2026-11-23T11:12:20Z h a: x']);
});

test('an over-long line is one problem at its offset, and the next line still arrives', () => {
  const { f, seen } = framer(16);
  const long = 'x'.repeat(40);
  feed(f, Buffer.from(`ok1\n${long}\nok2\n`), [6, 10, 30]);
  f.end();
  assert.deepEqual(seen.messages, ['ok1', 'ok2']);
  assert.deepEqual(seen.problems, [{ code: 'syslog-tcp.frame-too-long', offset: 4 }]);
});

test('an over-long octet-counted frame is skipped by its count; framing continues', () => {
  const { f, seen } = framer(16);
  const bytes = octet(['a', 'y'.repeat(50), 'b']);
  feed(f, bytes, [5, 20, 40]);
  f.end();
  assert.deepEqual(seen.messages, ['a', 'b']);
  assert.deepEqual(seen.problems, [{ code: 'syslog-tcp.frame-too-long', offset: 3 }]);
});

test('a broken octet count is fatal and names the offset; later input is ignored', () => {
  const { f, seen } = framer(100);
  f.push(Buffer.from('3 abc'));
  f.push(Buffer.from('xyz 4 defg'));
  f.push(Buffer.from('5 hello'));
  assert.deepEqual(seen.messages, ['abc']);
  assert.deepEqual(seen.fatal, [{ code: 'syslog-tcp.bad-octet-count', offset: 5 }]);
  assert.equal(f.ok, false);
});

test('a count of more than 9 digits is fatal', () => {
  const { f, seen } = framer(100);
  f.push(Buffer.from('1 a12345678901 b'));
  assert.deepEqual(seen.messages, ['a']);
  assert.equal(seen.fatal.length, 1);
});

test('a connection closed mid-frame reports the partial frame, in both framings', () => {
  const a = framer(100);
  a.f.push(Buffer.from('10 abc'));
  a.f.end();
  assert.deepEqual(a.seen.problems, [{ code: 'syslog-tcp.truncated-frame', offset: 0 }]);
  const b = framer(100);
  b.f.push(Buffer.from('one\ntw'));
  b.f.end();
  assert.deepEqual(b.seen.messages, ['one']);
  assert.deepEqual(b.seen.problems, [{ code: 'syslog-tcp.truncated-frame', offset: 4 }]);
  const c = framer(100);
  c.f.push(Buffer.from('12'));
  c.f.end();
  assert.deepEqual(c.seen.problems, [{ code: 'syslog-tcp.truncated-frame', offset: 0 }]);
});

// Messages of printable bytes without LF (newline framing cannot carry LF) and not ending in CR.
const message = fc
  .string({
    unit: fc.integer({ min: 32, max: 255 }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 60,
  })
  .filter((m) => m.trim() !== '' || m.length > 0);
const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 20 });

test('property: any chunking of either framing gives back the same messages', () => {
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 30 }),
      cuts,
      fc.boolean(),
      (msgs, at, useOctet) => {
        const bytes = useOctet ? octet(msgs) : lines(msgs);
        // Newline framing is detected only when the first message does not look like "DIGITS SP".
        if (!useOctet && /^[1-9]\d{0,8} /.test(msgs[0]!)) return;
        const { f, seen } = framer(64);
        feed(f, bytes, at);
        f.end();
        assert.deepEqual(seen.messages, msgs);
        assert.deepEqual(seen.problems, []);
        assert.deepEqual(seen.fatal, []);
      },
    ),
    { numRuns: 400 },
  );
});

test('property: random and mutated input never throws, messages stay within the bound', () => {
  const max = 32;
  const bytesArb = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc
      .tuple(
        fc.array(message, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 10 }),
      )
      .map(([msgs, o, flips]) => {
        const b = Buffer.from(o ? octet(msgs) : lines(msgs));
        for (const [i, v] of flips) if (b.length) b[i % b.length] = v;
        return new Uint8Array(b);
      }),
  );
  fc.assert(
    fc.property(bytesArb, cuts, (raw, at) => {
      const { f, seen } = framer(max);
      const bytes = Buffer.from(raw);
      feed(f, bytes, at);
      f.end();
      let total = 0;
      for (const m of seen.messages) {
        assert.ok(m.length <= max, `message of ${m.length} bytes`);
        total += m.length;
      }
      assert.ok(total <= bytes.length);
      assert.ok(seen.fatal.length <= 1);
      for (const p of [...seen.problems, ...seen.fatal]) assert.ok(p.offset >= 0 && p.offset <= bytes.length);
    }),
    { numRuns: 400 },
  );
});

test('a 1 MB line in many chunks costs one problem and no more than the frame bound', () => {
  const { f, seen } = framer(64 * 1024);
  const big = Buffer.alloc(1 << 20, 0x61);
  f.push(Buffer.from('before\n'));
  feed(
    f,
    big,
    Array.from({ length: 15 }, (_, i) => (i + 1) * 65536),
  );
  f.push(Buffer.from('\nafter\n'));
  f.end();
  assert.deepEqual(seen.messages, ['before', 'after']);
  assert.deepEqual(seen.problems, [{ code: 'syslog-tcp.frame-too-long', offset: 7 }]);
});
