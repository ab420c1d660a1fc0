import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createHttpParser, type HttpMessage, type HttpParserOptions } from './http.js';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

function run(side: 'request' | 'response', chunks: string[], extra: Partial<HttpParserOptions> = {}) {
  const msgs: HttpMessage[] = [];
  const problems: string[] = [];
  const p = createHttpParser({
    side,
    onMessage: (m) => msgs.push(m),
    onProblem: (c) => problems.push(c),
    ...extra,
  });
  for (const c of chunks) p.feed(enc(c));
  return { p, msgs, problems };
}

/** Splits a string at every position given, to prove the parser is incremental. */
function cutAt(s: string, step: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += step) out.push(s.slice(i, i + step));
  return out;
}

test('GET request: request line, headers in order with duplicates, no body', () => {
  const raw =
    'GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\nX-A: 1\r\nX-A: 2\r\n\r\n';
  for (const step of [1, 3, raw.length]) {
    const { msgs, problems } = run('request', cutAt(raw, step));
    assert.equal(msgs.length, 1);
    const m = msgs[0]!;
    assert.equal(m.method, 'GET');
    assert.equal(m.uri, '/index.html?q=1');
    assert.equal(m.version, '1.1');
    assert.deepEqual(m.headers, [
      ['Host', 'example.com'],
      ['User-Agent', 'curl/8.0'],
      ['Accept', '*/*'],
      ['X-A', '1'],
      ['X-A', '2'],
    ]);
    assert.equal(m.bodyLen, 0);
    assert.equal(m.complete, true);
    assert.deepEqual(problems, []);
  }
});

test('POST with Content-Length: body counted, prefix kept and bounded', () => {
  const body = `a=1&b=${'x'.repeat(100)}`;
  const raw = `POST /form HTTP/1.0\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /next HTTP/1.0\r\n\r\n`;
  const { msgs } = run('request', cutAt(raw, 7), { bodyPrefixBytes: 10 });
  assert.equal(msgs.length, 2);
  assert.equal(msgs[0]!.bodyLen, body.length);
  assert.equal(msgs[0]!.bodyPrefix, 'a=1&b=xxxx');
  assert.equal(msgs[1]!.uri, '/next');
});

test('chunked response: chunk framing removed, trailers skipped, next message parsed', () => {
  const raw =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
    '5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n' +
    'HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop';
  for (const step of [1, 5, raw.length]) {
    const { msgs, problems } = run('response', cutAt(raw, step));
    assert.equal(msgs.length, 2);
    assert.equal(msgs[0]!.statusCode, 200);
    assert.equal(msgs[0]!.statusMsg, 'OK');
    assert.equal(msgs[0]!.bodyLen, 12);
    assert.equal(msgs[0]!.bodyPrefix, 'hello, world');
    assert.equal(msgs[1]!.statusCode, 404);
    assert.equal(msgs[1]!.bodyPrefix, 'nop');
    assert.deepEqual(problems, []);
  }
});

test('HEAD, 304 and 204 responses have no body even with Content-Length; 100 Continue is interim', () => {
  let method = 'HEAD';
  const raw =
    'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' +
    'HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n' +
    'HTTP/1.1 204 No Content\r\n\r\n' +
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok';
  const msgs: HttpMessage[] = [];
  const p = createHttpParser({
    side: 'response',
    requestMethod: () => method,
    onMessage(m) {
      msgs.push(m);
      method = 'GET';
    },
  });
  p.feed(enc(raw));
  assert.deepEqual(
    msgs.map((m) => [m.statusCode, m.bodyLen]),
    [
      [200, 0],
      [304, 0],
      [204, 0],
      [100, 0],
      [201, 2],
    ],
  );
});

test('a response without length runs until the stream ends', () => {
  const { p, msgs } = run('response', ['HTTP/1.0 200 OK\r\nServer: x\r\n\r\n', 'abc', 'def']);
  assert.equal(msgs.length, 0);
  p.end();
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0]!.bodyLen, 6);
  assert.equal(msgs[0]!.complete, true);
});

test('pipelined requests come out in order; folded header lines are joined', () => {
  const raw =
    'GET /a HTTP/1.1\r\nHost: h\r\nX-Long: part1\r\n  part2\r\n\r\n' +
    '\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\nHEAD /c HTTP/1.1\r\n\r\n';
  const { msgs } = run('request', [raw]);
  assert.deepEqual(
    msgs.map((m) => [m.method, m.uri]),
    [
      ['GET', '/a'],
      ['GET', '/b'],
      ['HEAD', '/c'],
    ],
  );
  assert.deepEqual(msgs[0]!.headers[1], ['X-Long', 'part1 part2']);
});

test('garbage stops the parser with a problem code and never throws', () => {
  const bin = run('request', ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n']);
  assert.equal(bin.p.dead, true);
  assert.deepEqual(bin.problems, ['http.not-http']);
  const long = run('request', ['GET /', 'a'.repeat(20000)]);
  assert.equal(long.p.dead, true);
  assert.deepEqual(long.problems, ['http.line-too-long']);
  const huge = run('request', [
    'GET / HTTP/1.1\r\n',
    ...Array.from({ length: 2000 }, (_, i) => `X-${i}: ${'v'.repeat(60)}\r\n`),
  ]);
  assert.equal(huge.p.dead, true);
  assert.ok(huge.problems.includes('http.headers-too-large'));
  assert.equal(huge.msgs.length, 1, 'the started message is still reported, marked incomplete');
  assert.equal(huge.msgs[0]!.complete, false);
  const cl = run('request', ['POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n']);
  assert.deepEqual(cl.problems, ['http.bad-content-length']);
  // Feeding more after death is ignored.
  cl.p.feed(enc('GET / HTTP/1.1\r\n\r\n'));
  assert.equal(cl.msgs.length, 1);
});

test('a gap inside a known-length body keeps framing; a gap in headers stops', () => {
  const { p, msgs } = run('response', ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab']);
  p.gap(5);
  p.feed(enc('cdeHTTP/1.1 204 No Content\r\n\r\n'));
  assert.deepEqual(
    msgs.map((m) => [m.statusCode, m.bodyLen, m.bodyPrefix]),
    [
      [200, 10, 'ab'],
      [204, 0, ''],
    ],
  );
  const h = run('request', ['GET / HTTP/1.1\r\nHo']);
  h.p.gap(3);
  assert.deepEqual(h.problems, ['http.gap']);
});

test('101 Switching Protocols ends HTTP parsing of the stream (websocket etc.)', () => {
  const { p, msgs, problems } = run('response', [
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello',
  ]);
  assert.equal(msgs.length, 1);
  assert.equal(p.dead, true);
  assert.deepEqual(problems, []);
});

test('property: random and mutated input never throws and keeps bounds', () => {
  const valid = enc(
    'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi',
  );
  const mutated = fc
    .array(fc.record({ at: fc.nat(valid.length - 1), byte: fc.integer({ min: 0, max: 255 }) }), {
      maxLength: 8,
    })
    .map((muts) => {
      const b = valid.slice();
      for (const m of muts) b[m.at] = m.byte;
      return b;
    });
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 2000 }), mutated),
      fc.constantFrom<'request' | 'response'>('request', 'response'),
      fc.array(fc.nat(60), { maxLength: 10 }),
      (data, side, cuts) => {
        let n = 0;
        const p = createHttpParser({
          side,
          maxLine: 256,
          maxHeaderBytes: 1024,
          bodyPrefixBytes: 16,
          onMessage(m) {
            n++;
            assert.ok(m.headers.length <= 100);
            assert.ok(m.bodyPrefix.length <= 16);
          },
        });
        let pos = 0;
        for (const c of cuts) {
          p.feed(data.subarray(pos, Math.min(data.length, pos + c)));
          pos = Math.min(data.length, pos + c);
        }
        p.feed(data.subarray(pos));
        p.end();
        assert.ok(n <= data.length);
      },
    ),
    { numRuns: 500 },
  );
});

test('malformed request lines as scanners send them are kept, like tshark shows them', () => {
  const raw =
    'OPTIONS HTTP/1.1\r\nHost: h\r\n\r\nGET /HTTP/1.1\r\n\r\nGET / HTTP/1.\r\n\r\nOPTIONS\r\n\r\nCCM_POST / HTTP/1.1\r\n\r\n';
  const { msgs, problems } = run('request', [raw]);
  assert.deepEqual(
    msgs.map((m) => [m.method, m.uri, m.version]),
    [
      ['OPTIONS', 'HTTP/1.1', ''],
      ['GET', '/HTTP/1.1', ''],
      ['GET', '/', '1.'],
      ['OPTIONS', '', ''],
      ['CCM_POST', '/', '1.1'],
    ],
  );
  assert.deepEqual(problems, []);
  // Lower-case words without a version are text, not a request.
  assert.deepEqual(run('request', ['hello world\r\n']).problems, ['http.not-http']);
});
