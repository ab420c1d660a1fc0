import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { HttpTx } from '../../schema/app-tx.js';
import { createProblemLog } from '../../util/problems.js';
import { createHttp1TxParser, type Http1Progress, type Http1TxOptions } from './http1-tx.js';

const b = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array | undefined) => (u === undefined ? undefined : Buffer.from(u).toString('latin1'));

interface Run {
  txs: HttpTx[];
  log: Array<[number, Http1Progress]>;
}

/** Feeds whole directions (request first, then response) or interleaved pieces, then ends. */
function run(pieces: Array<['req' | 'res', string | Uint8Array]>, opts: Partial<Http1TxOptions> = {}): Run {
  const out: Run = { txs: [], log: [] };
  const p = createHttp1TxParser({
    ...opts,
    onTx: (tx, at) => {
      if (!out.txs.includes(tx)) out.txs.push(tx);
      out.log.push([tx.id, at]);
    },
  });
  for (const [dir, data] of pieces) {
    const bytes = typeof data === 'string' ? b(data) : data;
    if (dir === 'req') p.request(bytes);
    else p.response(bytes);
  }
  p.end();
  return out;
}

test('a GET and its response: every field filled, progress in order', () => {
  const r = run([
    ['req', 'GET /a/./b%20c?x=1 HTTP/1.1\r\nHost: Example.com\r\nUser-Agent: t/1\r\nCookie: k=v\r\n\r\n'],
    ['res', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: s=1\r\n\r\nhello'],
  ]);
  assert.equal(r.txs.length, 1);
  const tx = r.txs[0]!;
  assert.equal(s(tx.requestLine), 'GET /a/./b%20c?x=1 HTTP/1.1');
  assert.equal(s(tx.method), 'GET');
  assert.equal(s(tx.rawUri), '/a/./b%20c?x=1');
  assert.equal(s(tx.uri), '/a/b c?x=1');
  assert.equal(s(tx.protocol), 'HTTP/1.1');
  assert.deepEqual(
    tx.requestHeaders.map(([n, v]) => `${s(n)}=${s(v)}`),
    ['Host=Example.com', 'User-Agent=t/1', 'Cookie=k=v'],
  );
  assert.equal(s(tx.requestHeadersRaw), 'Host: Example.com\r\nUser-Agent: t/1\r\nCookie: k=v\r\n\r\n');
  assert.equal(s(tx.responseLine), 'HTTP/1.1 200 OK');
  assert.equal(s(tx.statusCode), '200');
  assert.equal(s(tx.statusMsg), 'OK');
  assert.equal(s(tx.responseProtocol), 'HTTP/1.1');
  assert.equal(s(tx.responseBody), 'hello');
  assert.ok(tx.requestDone && tx.responseDone && tx.requestHeadersDone && tx.responseHeadersDone);
  assert.deepEqual(r.log, [
    [0, 'request_headers'],
    [0, 'request_done'],
    [0, 'response_headers'],
    [0, 'response_done'],
  ]);
  assert.deepEqual(tx.events, []);
});

test('pipelined requests pair with responses in order; HEAD, 204 and 304 have no body', () => {
  const r = run([
    [
      'req',
      'HEAD /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n',
    ],
    ['res', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'],
    ['res', 'HTTP/1.1 204 No Content\r\n\r\n'],
    ['res', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\nHTTP/1.1 999 Extra\r\n\r\n'],
  ]);
  assert.deepEqual(
    r.txs.map((t) => `${s(t.rawUri)}:${s(t.statusCode)}:${t.responseBody.length}`),
    ['/1:200:0', '/2:204:0', '/3:304:0', 'undefined:999:0'],
  );
  assert.ok(r.txs[3]!.events.includes('unable_to_match_response_to_request'));
});

test('chunked bodies are dechunked; trailers join the raw headers and the list', () => {
  const r = run([
    [
      'req',
      'POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;ext\r\nabcd\r\n3\r\nefg\r\n0\r\nX-T: 1\r\n\r\n',
    ],
    ['res', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'],
  ]);
  const tx = r.txs[0]!;
  assert.equal(s(tx.requestBody), 'abcdefg');
  assert.equal(s(tx.responseBody), 'ok');
  assert.ok(s(tx.requestHeadersRaw)!.endsWith('X-T: 1\r\n\r\n'));
  assert.equal(s(tx.requestHeaders.at(-1)![0]), 'X-T');
});

test('gzip and deflate responses are decompressed; corrupt gzip keeps what decoded', () => {
  let text = '';
  for (let i = 0; text.length < 20_000; i++) text += `${(i * 2654435761) % 1000003},`;
  const gz = gzipSync(Buffer.from(text));
  const df = deflateSync(Buffer.from(text));
  const head = (ce: string, n: number) =>
    `HTTP/1.1 200 OK\r\nContent-Encoding: ${ce}\r\nContent-Length: ${n}\r\n\r\n`;
  const corrupt = Buffer.from(gz);
  corrupt.fill(0xff, Math.floor(corrupt.length / 2));
  const problems = createProblemLog();
  const r = run(
    [
      [
        'req',
        'GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n',
      ],
      ['res', head('gzip', gz.length)],
      ['res', gz],
      ['res', head('deflate', df.length)],
      ['res', df],
      ['res', head('gzip', corrupt.length)],
      ['res', corrupt],
    ],
    { problems, file: 'x.pcap' },
  );
  assert.equal(s(r.txs[0]!.responseBody), text);
  assert.equal(s(r.txs[1]!.responseBody), text);
  const partial = s(r.txs[2]!.responseBody)!;
  assert.ok(partial.length > 1000 && partial !== text);
  assert.equal(partial.slice(0, 1000), text.slice(0, 1000));
  assert.ok(r.txs[2]!.events.includes('gzip_decompression_failed'));
  assert.equal(problems.counts.get('http1.decompression-failed'), 1);
  assert.equal(problems.samples[0]!.file, 'x.pcap');
  assert.equal(problems.samples[0]!.stage, 'session');
});

test('a decompression bomb stays within the body limit', () => {
  const bomb = gzipSync(Buffer.alloc(64 << 20));
  const r = run(
    [
      ['req', 'GET / HTTP/1.1\r\nHost: h\r\n\r\n'],
      ['res', `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`],
      ['res', bomb],
    ],
    { maxBody: 1 << 20 },
  );
  const tx = r.txs[0]!;
  assert.ok(tx.responseBody.length <= 1 << 20);
  assert.ok(tx.responseBody.length > 1 << 19);
  assert.equal(tx.responseBodyTruncated, true);
});

test('bodies over the limit are cut and flagged', () => {
  const r = run([['req', `POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n${'a'.repeat(100)}`]], {
    maxBody: 10,
  });
  assert.equal(r.txs[0]!.requestBody.length, 10);
  assert.equal(r.txs[0]!.requestBodyTruncated, true);
});

test('100 Continue is skipped; a response without length runs until close', () => {
  const r = run([
    ['req', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi'],
    ['res', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of '],
    ['res', 'this'],
  ]);
  const tx = r.txs[0]!;
  assert.equal(s(tx.statusCode), '200');
  assert.equal(s(tx.responseBody), 'all of this');
  assert.equal(r.txs.length, 1);
});

test('HTTP/0.9: a bare request line is a request, its response all body', () => {
  const r = run([
    ['req', 'GET /old\r\n'],
    ['res', 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR'],
  ]);
  const tx = r.txs[0]!;
  assert.equal(tx.protocol, undefined);
  assert.equal(s(tx.uri), '/old');
  assert.equal(tx.responseLine, undefined);
  assert.equal(s(tx.responseBody), 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR');
});

test('a request line without protocol followed by headers keeps the headers, with an event', () => {
  const r = run([['req', 'GET /gen.php?a=1\r\nHost: x\r\nUser-Agent:Mozilla\r\n\r\n']]);
  const tx = r.txs[0]!;
  assert.equal(tx.protocol, undefined);
  assert.deepEqual(tx.events, ['request_line_missing_protocol']);
  assert.equal(s(tx.requestHeaders[1]![1]), 'Mozilla');
});

test('bytes after a request that are no request are its body, flagged request_body_unexpected', () => {
  const r = run([['req', 'POST /i HTTP/1.1\r\nHost: h\r\n\r\nlogin=foo&password=bar']]);
  assert.equal(r.txs.length, 1);
  assert.equal(s(r.txs[0]!.requestBody), 'login=foo&password=bar');
  assert.deepEqual(r.txs[0]!.events, ['request_body_unexpected']);
  const ok = run([['req', 'POST /i HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc']]);
  assert.deepEqual(ok.txs[0]!.events, []);
});

test('folded header lines are joined; a header block cut by close is complete', () => {
  const r = run([
    ['req', 'GET / HTTP/1.1\r\nHost: h\r\nX-Long: one\r\n  two\r\n\r\n'],
    ['res', 'HTTP/1.0 200 OK\r\nServer:ng1nx\r\n'],
  ]);
  const tx = r.txs[0]!;
  assert.equal(s(tx.requestHeaders[1]![1]), 'one two');
  assert.ok(tx.responseHeadersDone && tx.responseDone);
  assert.equal(s(tx.responseHeaders[0]![1]), 'ng1nx');
});

test('split anywhere, the result is the same', () => {
  const req =
    'POST /p?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /n HTTP/1.1\r\nHost: h\r\n\r\n';
  const res = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyzHTTP/1.1 404 NF\r\nContent-Length: 0\r\n\r\n';
  const whole = run([
    ['req', req],
    ['res', res],
  ]);
  const summary = (r: Run) =>
    r.txs.map((t) =>
      [s(t.uri), s(t.requestBody), s(t.statusCode), s(t.responseBody), t.events.join()].join('|'),
    );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: req.length - 1 }),
      fc.integer({ min: 1, max: res.length - 1 }),
      (a, c) => {
        const split = run([
          ['req', req.slice(0, a)],
          ['req', req.slice(a)],
          ['res', res.slice(0, c)],
          ['res', res.slice(c)],
        ]);
        assert.deepEqual(summary(split), summary(whole));
      },
    ),
  );
});

test('limits: header block and transaction count are bounded and reported', () => {
  const problems = createProblemLog();
  const r = run([['req', `GET / HTTP/1.1\r\nX: ${'a'.repeat(70_000)}\r\n\r\n`]], { problems });
  assert.ok(r.txs[0]!.events.includes('request_field_too_long'));
  assert.equal(problems.counts.get('http1.field-too-long'), 1);
  const many = run([['req', 'GET / HTTP/1.1\r\nHost: h\r\n\r\n'.repeat(20)]], {
    maxTransactions: 5,
    problems,
  });
  assert.equal(many.txs.length, 5);
  assert.equal(problems.counts.get('http1.too-many-transactions'), 1);
});

test('a gap in a header block stops that direction with a problem', () => {
  const problems = createProblemLog();
  const out: HttpTx[] = [];
  const p = createHttp1TxParser({ problems, onTx: (tx) => (out.includes(tx) ? 0 : out.push(tx)) });
  p.request(b('GET / HTTP/1.1\r\nHo'));
  p.gap(true, 100);
  p.request(b('GET /after HTTP/1.1\r\n\r\n'));
  p.end();
  assert.equal(out.length, 1);
  assert.equal(problems.counts.get('http1.gap'), 1);
});

test('garbage on both sides: no throw, bounded transactions and bodies', () => {
  const bytes = fc.uint8Array({ maxLength: 600 });
  const httpish = fc
    .array(
      fc.constantFrom(
        'GET / HTTP/1.1\r\n',
        'HTTP/1.1 200 OK\r\n',
        'Content-Length: 5\r\n',
        'Transfer-Encoding: chunked\r\n',
        'Content-Encoding: gzip\r\n',
        '\r\n',
        '5\r\nhello\r\n',
        '0\r\n\r\n',
        'ffffffff\r\n',
        ' folded\r\n',
        'X\n',
        '\x1f\x8b\x08\x00',
      ),
      { maxLength: 40 },
    )
    .map((a) => b(a.join('')));
  const chunk = fc.oneof(bytes, httpish);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), chunk, fc.nat(50)), { maxLength: 12 }), (steps) => {
      const problems = createProblemLog();
      const seen = new Set<HttpTx>();
      const p = createHttp1TxParser({
        problems,
        maxBody: 4096,
        maxTransactions: 50,
        onTx: (tx) => {
          seen.add(tx);
        },
      });
      for (const [toServer, data, gap] of steps) {
        if (gap === 7) p.gap(toServer, gap);
        else if (toServer) p.request(data);
        else p.response(data);
      }
      p.end();
      assert.ok(seen.size <= 50);
      for (const tx of seen) {
        assert.ok(tx.requestBody.length <= 4096 && tx.responseBody.length <= 4096);
        assert.ok(tx.events.length <= 32);
        assert.ok(tx.requestDone || tx.responseDone || tx.requestHeadersDone || tx.responseHeadersDone);
      }
    }),
    { numRuns: 300 },
  );
});
