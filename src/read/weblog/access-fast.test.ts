import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../../test/support/env.js';
import { parseAccessLine } from './access.js';
import { parseAccessFast } from './access-fast.js';
import { decodeLogEscapes } from './escapes.js';
import type { WeblogRecord } from './record.js';
import { applyRequest } from './request.js';
import { accessLine, hostileText, hugeLine, mutatedLine } from './testing/lines.js';
import { referenceAccessLine, referenceDecode, referenceRequest } from './testing/reference.js';

const lab = join(repoRoot, 'examples', 'lab');
const labAccess = readFileSync(join(lab, 'access.log'), 'utf8').trim().split('\n');
const labError = readFileSync(join(lab, 'error.log'), 'utf8').trim().split('\n');

/** Same values and the same key order (the order shows in events.jsonl). */
function assertSame(ours: WeblogRecord | undefined, plain: WeblogRecord | undefined, line: string): void {
  assert.deepStrictEqual(ours, plain, `line ${JSON.stringify(line)}`);
  assert.equal(JSON.stringify(ours), JSON.stringify(plain), `key order, line ${JSON.stringify(line)}`);
}

test('the lab access log: every line is read by the fast path, as the plain pattern reads it', () => {
  for (const line of labAccess) {
    assert.ok(parseAccessFast(line), `fast path gave up on ${line.slice(0, 80)}`);
    assertSame(parseAccessLine(line), referenceAccessLine(line), line);
  }
  for (const line of labError) assertSame(parseAccessLine(line), referenceAccessLine(line), line);
});

test('fast path = plain pattern on generated, hostile and mutated lines, in runs (the date memo carries over)', () => {
  const anyLine = fc.oneof(
    { weight: 6, arbitrary: accessLine },
    { weight: 2, arbitrary: mutatedLine([...labAccess, ...labError]) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
  fc.assert(
    fc.property(fc.array(anyLine, { minLength: 1, maxLength: 8 }), (lines) => {
      for (const line of lines) assertSame(parseAccessLine(line), referenceAccessLine(line), line);
    }),
    { numRuns: 6000 },
  );
});

test('the generator makes lines the fast path reads (so the comparison above covers it)', () => {
  let fast = 0;
  let total = 0;
  fc.assert(
    fc.property(accessLine, (line) => {
      total++;
      if (parseAccessFast(line)) fast++;
    }),
    { numRuns: 2000 },
  );
  assert.ok(fast / total > 0.2, `fast path read only ${fast} of ${total} generated lines`);
});

test('fast path = plain pattern on lines with fields of 10,000-60,000 characters', () => {
  fc.assert(
    fc.property(hugeLine, (line) => assertSame(parseAccessLine(line), referenceAccessLine(line), line)),
    { numRuns: 60 },
  );
});

test('edge cases decided the way the pattern decides them', () => {
  const lines = [
    // vhost prefix: only "host:digits " counts; an IPv6 client is not a vhost.
    'example.org:443 10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "-" "a"',
    '2001:db8::1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "-" "a"',
    '2001:db8::1:80 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "-" "a"',
    'a:1:2 10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5',
    // user with spaces and a bracket before the date; a date-like bracket in the user.
    '10.0.0.1 - John [Doe] Smith [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5',
    '10.0.0.1 - a [1/Jan/2000:00:00:00 +0000] b [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5',
    // escapes: quote, backslash before the closing quote, backslash before a line break.
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET /\\"x\\" HTTP/1.1" 200 5 "\\\\" "a\\x22b"',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET /\\\u2028 HTTP/1.1" 200 5 "-" "a"',
    // unescaped quote in the request (the loose fallback), trailing extra fields.
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET /"x" HTTP/1.1" 200 5 "-" "a"',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "-" "a" 0.003 "extra"',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "-" "a"x',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "-" "a" \r',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 "ref"',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 ',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5 x',
    // dates: one-digit day, fractions, other zones, unknown month, bytes past 2^53.
    '10.0.0.1 - - [3/Nov/2026:11:12:20.250 -0130] "GET / HTTP/1.1" - - "" ""',
    '10.0.0.1 - - [03/Foo/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 123456789012345678901234',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"',
    '10.0.0.1\t- - [23/Nov/2026:11:12:20 +0000] "GET / HTTP/1.1" 200 5',
    '10.0.0.1 - - [23/Nov/2026:11:12:20 +0000] "GET /a\u3000b HTTP/1.1" 200 5',
  ];
  for (const line of lines) assertSame(parseAccessLine(line), referenceAccessLine(line), line);
  // The fast path takes the common shapes itself.
  assert.equal(parseAccessFast(lines[0]!)?.format, 'vhost-combined');
  assert.equal(parseAccessFast(lines[1]!)?.src, '2001:db8::1');
  assert.equal(parseAccessFast(lines[6]!)?.http.uri, '/"x"');
  assert.equal(parseAccessFast(lines[9]!)?.attrs.extra, '0.003 "extra"');
  assert.equal(parseAccessFast(lines[15]!)?.ts, Date.UTC(2026, 10, 3, 12, 42, 20) / 1000 + 0.25);
});

test('decodeLogEscapes = the plain byte-list decoder (invalid UTF-8 escapes, surrogates, long text)', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText(60), hostileText(2000), fc.string({ unit: 'binary' })), (s) => {
      assert.equal(decodeLogEscapes(s), referenceDecode(s));
    }),
    { numRuns: 4000 },
  );
  const big = '\\xe2\\x82\\xac'.repeat(200_000); // past the reused buffer: its own bytes
  assert.equal(decodeLogEscapes(big), '€'.repeat(200_000));
  assert.equal(decodeLogEscapes('\ud800\\x41'), referenceDecode('\ud800\\x41'));
});

test('the request split = its pattern', () => {
  const request = fc.oneof(
    hostileText(30),
    fc
      .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,40}$/), fc.string(), fc.string({ maxLength: 12 }))
      .map(([m, u, v]) => `${m} ${u} HTTP/${v}`),
  );
  fc.assert(
    fc.property(request, (req) => {
      const ours: WeblogRecord = {
        reader: 'weblog',
        format: 'combined',
        ts: 0,
        raw: '',
        http: {},
        attrs: {},
      };
      const plain: WeblogRecord = {
        reader: 'weblog',
        format: 'combined',
        ts: 0,
        raw: '',
        http: {},
        attrs: {},
      };
      applyRequest(ours, req);
      referenceRequest(plain, req);
      assert.deepStrictEqual(ours, plain);
      assert.equal(JSON.stringify(ours), JSON.stringify(plain));
    }),
    { numRuns: 4000 },
  );
});
