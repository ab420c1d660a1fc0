/**
 * The HTTP/2 parser on hand-made connections: framing details (CONTINUATION,
 * padding, priority, PUSH_PROMISE, RST_STREAM, SETTINGS), bounds, problems,
 * the h2c hand-over, and fast-check garbage and chunking properties.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { HttpTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import {
  createH2cUpgradeParser,
  createHttp2Parser,
  decodeHttp2Settings,
  HTTP2_PREFACE,
  type Http2ParserOptions,
  type Http2Progress,
  isH2cSwitch,
  isH2cUpgradeRequest,
  looksLikeHttp2Preface,
} from './index.js';
import { concat, frame, indexed, literal, requestBlock, responseBlock, text } from './testing.js';

const enc = new TextEncoder();
const SETTINGS = frame(4, 0, 0, []);

interface Run {
  calls: Array<[number, Http2Progress]>;
  txs: HttpTx[];
  problems: ReturnType<typeof createProblemLog>;
}

function run(client: Uint8Array, server: Uint8Array, opts: Partial<Http2ParserOptions> = {}, chunk = 0): Run {
  const problems = createProblemLog();
  const r: Run = { calls: [], txs: [], problems };
  const p = createHttp2Parser({
    problems,
    ...opts,
    onTx: (tx, progress) => {
      r.calls.push([tx.id, progress]);
      if (!r.txs.includes(tx)) r.txs.push(tx);
    },
  });
  const feed = (bytes: Uint8Array, f: (b: Uint8Array) => void) => {
    if (chunk <= 0) return f(bytes);
    for (let i = 0; i < bytes.length; i += chunk) f(bytes.slice(i, i + chunk));
  };
  feed(client, (b) => p.toServer(b));
  feed(server, (b) => p.toClient(b));
  p.end();
  return r;
}

const codes = (r: Run) => [...r.problems.counts.keys()].sort();

test('GET split over HEADERS (padded, with priority) + CONTINUATION; padded gzip DATA response', () => {
  const block = Uint8Array.from(requestBlock('GET', '/a', 'example.com', [['user-agent', 'ua']]));
  const first = concat([5], [0x80, 0, 0, 3, 200], block.subarray(0, 7), [0, 0, 0, 0, 0]); // pad 5, priority, 7 bytes
  const client = concat(
    HTTP2_PREFACE,
    SETTINGS,
    frame(1, 0x08 | 0x20 | 0x01, 1, first), // PADDED | PRIORITY | END_STREAM, no END_HEADERS
    frame(9, 0x04, 1, block.subarray(7)), // CONTINUATION with END_HEADERS
  );
  const body = gzipSync(Buffer.from('hello, world'));
  const server = concat(
    SETTINGS,
    frame(1, 0x04, 1, responseBlock('200', [['content-encoding', 'gzip']])),
    frame(0, 0x08, 1, concat([3], body.subarray(0, 10), [0, 0, 0])),
    frame(0, 0x01, 1, body.subarray(10)),
  );
  const r = run(client, server);
  assert.deepEqual(codes(r), []);
  assert.deepEqual(r.calls, [
    [1, 'request_headers'],
    [1, 'request_done'],
    [1, 'response_headers'],
    [1, 'response_done'],
  ]);
  const tx = r.txs[0]!;
  assert.deepEqual(
    tx.requestHeaders.map(([n, v]) => `${text(n)}: ${text(v)}`),
    [':method: GET', ':scheme: http', ':path: /a', ':authority: example.com', 'user-agent: ua'],
  );
  assert.equal(text(tx.method), 'GET');
  assert.equal(text(tx.uri), '/a');
  assert.equal(text(tx.protocol), 'HTTP/2');
  assert.equal(text(tx.statusCode), '200');
  assert.equal(text(tx.responseBody), 'hello, world');
  assert.ok(tx.requestDone && tx.responseDone && !tx.responseBodyTruncated);
});

test('POST body, interleaved streams, informational 100 then 200, trailers', () => {
  const client = concat(
    HTTP2_PREFACE,
    frame(1, 0x04, 1, requestBlock('POST', '/up', 'h')),
    frame(1, 0x05, 3, requestBlock('GET', '/x', 'h')),
    frame(0, 0, 1, enc.encode('part1-')),
    frame(0, 0x01, 1, enc.encode('part2')),
  );
  const server = concat(
    frame(1, 0x04, 1, responseBlock('100')),
    frame(1, 0x05, 3, responseBlock('404')),
    frame(1, 0x04, 1, responseBlock('201')),
    frame(0, 0, 1, enc.encode('ok')),
    frame(1, 0x05, 1, literal('grpc-status', '0', { index: false })), // trailers end the stream
  );
  const r = run(client, server);
  assert.deepEqual(codes(r), []);
  const [one, three] = r.txs;
  assert.equal(text(one!.requestBody), 'part1-part2');
  assert.equal(text(one!.statusCode), '201'); // the final status; the 100 stays in the header list
  assert.deepEqual(
    one!.responseHeaders.map(([n, v]) => `${text(n)}: ${text(v)}`),
    [':status: 100', ':status: 201', 'grpc-status: 0'],
  );
  assert.equal(text(one!.responseBody), 'ok');
  assert.equal(text(three!.statusCode), '404');
  // Stream 1's response headers are reported at the 201, not the 100.
  const order = r.calls.map(([id, p]) => `${id}:${p}`);
  assert.ok(order.indexOf('3:response_done') < order.indexOf('1:response_headers'));
});

test('PUSH_PROMISE opens a server stream with the promised request; RST_STREAM cuts a stream', () => {
  const client = concat(HTTP2_PREFACE, frame(1, 0x05, 1, requestBlock('GET', '/', 'h')));
  const server = concat(
    frame(5, 0x04, 1, concat([0, 0, 0, 2], requestBlock('GET', '/style.css', 'h'))),
    frame(1, 0x04, 1, responseBlock('200')),
    frame(1, 0x05, 2, responseBlock('200', [['content-type', 'text/css']])),
    frame(3, 0, 1, [0, 0, 0, 8]),
  );
  const r = run(client, server);
  assert.deepEqual(codes(r), []);
  const pushed = r.txs.find((t) => t.id === 2)!;
  assert.equal(text(pushed.uri), '/style.css');
  assert.ok(pushed.requestDone && pushed.responseDone);
  const reset = r.txs.find((t) => t.id === 1)!;
  assert.ok(reset.requestDone && reset.responseHeadersDone);
  assert.equal(reset.responseDone, false);
  assert.deepEqual(
    r.calls.filter(([id]) => id === 1).map(([, p]) => p),
    ['request_headers', 'request_done', 'response_headers', 'response_done'],
  );
});

test('SETTINGS_HEADER_TABLE_SIZE governs which size updates are legal', () => {
  const update = [0x3f, 0xe1, 0x3f]; // size update to 8192 (31 + 97 + 63*128)
  const server = frame(1, 0x05, 1, concat(update, responseBlock('200')));
  const request = frame(1, 0x05, 1, requestBlock('GET', '/', 'h'));
  const bare = run(concat(HTTP2_PREFACE, request), server);
  assert.deepEqual(codes(bare), ['http2.hpack-size-update-too-large']);
  assert.deepEqual(bare.txs[0]!.events, ['invalid_header']);
  const raised = run(concat(HTTP2_PREFACE, frame(4, 0, 0, [0, 1, 0, 0, 0x20, 0]), request), server);
  assert.deepEqual(codes(raised), []);
});

test('the dynamic table carries across streams, even through an ignored one', () => {
  const problems = createProblemLog();
  const txs: HttpTx[] = [];
  const p = createHttp2Parser({
    problems,
    maxStreams: 1,
    onTx: (tx) => void (txs.includes(tx) || txs.push(tx)),
  });
  p.toServer(
    concat(
      HTTP2_PREFACE,
      frame(1, 0x05, 1, concat(requestBlock('GET', '/', 'h'), literal('x-id', 'first'))),
      // Stream 3 is over the limit while 1 is open, but its block still feeds the table.
      frame(1, 0x05, 3, concat(requestBlock('GET', '/2', 'h'), literal('x-id', 'second'))),
    ),
  );
  p.toClient(frame(1, 0x05, 1, responseBlock('200')));
  p.toServer(frame(1, 0x05, 5, concat(requestBlock('GET', '/3', 'h'), indexed(62), indexed(63))));
  p.end();
  assert.deepEqual([...problems.counts.keys()], ['http2.too-many-streams']);
  assert.deepEqual(
    txs.map((t) => t.id),
    [1, 5],
  );
  assert.deepEqual(
    txs[1]!.requestHeaders.slice(-2).map(([n, v]) => `${text(n)}: ${text(v)}`),
    ['x-id: second', 'x-id: first'],
  );
});

test('bounds: body over maxBody is cut, a gzip bomb expands only to maxBody, header bytes are capped', () => {
  const big = new Uint8Array(5000).fill(0x41);
  const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
  const client = concat(
    HTTP2_PREFACE,
    frame(1, 0x04, 1, requestBlock('POST', '/', 'h')),
    frame(0, 0x01, 1, big),
    frame(1, 0x05, 3, requestBlock('GET', '/', 'h', [['x-long', 'v'.repeat(3000)]])),
  );
  const server = concat(
    frame(1, 0x04, 1, responseBlock('200', [['content-encoding', 'gzip']])),
    frame(0, 0x01, 1, bomb),
    frame(1, 0x05, 3, responseBlock('200')),
  );
  const r = run(client, server, { maxBody: 1024, maxHeaderListSize: 1000 });
  const [one, three] = r.txs;
  assert.equal(one!.requestBody.length, 1024);
  assert.ok(one!.requestBodyTruncated);
  assert.ok(one!.responseBody.length > 0 && one!.responseBody.length <= 1024);
  assert.ok(one!.responseBodyTruncated);
  assert.ok(three!.requestHeaders.every(([n]) => text(n) !== 'x-long'));
  assert.ok(three!.events.includes('header_list_too_large'));
  assert.ok(codes(r).includes('http2.body-truncated'));
});

test('malformed input is a problem, not an exception', () => {
  // Not a preface.
  const notH2 = run(enc.encode('GET / HTTP/1.1\r\n\r\n'), new Uint8Array(0));
  assert.deepEqual(codes(notH2), ['http2.bad-preface']);
  assert.equal(notH2.txs.length, 0);
  // CONTINUATION expected but DATA came; bad padding; frame over the bound; cut mid-frame.
  const client = concat(
    HTTP2_PREFACE,
    frame(1, 0x00, 1, requestBlock('GET', '/', 'h').slice(0, 3)),
    frame(0, 0, 1, [1, 2, 3]),
    frame(1, 0x04, 3, new Uint8Array(300)),
    frame(0, 0x08, 5, [9, 1]),
    frame(6, 0, 0, [1, 2]),
    frame(1, 0x04, 7, []).subarray(0, 5),
  );
  const r = run(client, new Uint8Array(0), { maxHeaderBlock: 200 });
  assert.deepEqual(codes(r), [
    'http2.bad-frame',
    'http2.bad-padding',
    'http2.continuation-expected',
    'http2.frame-too-large',
    'http2.header-block-too-large',
    'http2.truncated-frame',
    'http2.unknown-stream',
  ]);
  assert.deepEqual(r.txs.find((t) => t.id === 1)?.events, ['invalid_header']);
});

test('looksLikeHttp2Preface and the h2c helpers', () => {
  assert.ok(looksLikeHttp2Preface(concat(HTTP2_PREFACE, SETTINGS)));
  assert.ok(looksLikeHttp2Preface(HTTP2_PREFACE.subarray(0, 6)));
  assert.ok(!looksLikeHttp2Preface(enc.encode('PRI')));
  assert.ok(!looksLikeHttp2Preface(enc.encode('GET / HTTP/1.1\r\n')));
  const h = (pairs: Array<[string, string]>) =>
    pairs.map(([n, v]) => [enc.encode(n), enc.encode(v)] as [Uint8Array, Uint8Array]);
  assert.ok(isH2cUpgradeRequest(h([['Upgrade', 'websocket, H2C']])));
  assert.ok(!isH2cUpgradeRequest(h([['Upgrade', 'h2']])));
  assert.ok(isH2cSwitch(enc.encode('101'), h([['upgrade', 'h2c']])));
  assert.ok(!isH2cSwitch(enc.encode('200'), h([['upgrade', 'h2c']])));
  assert.equal(decodeHttp2Settings(enc.encode('AAMAAABkAARAAAAAAAIAAAAA'))?.length, 18);
  assert.equal(decodeHttp2Settings(enc.encode('AAMAAABkAA')), undefined);
  assert.equal(decodeHttp2Settings(enc.encode('not base64!')), undefined);
});

test('h2c: stream 1 is the upgraded request; bad HTTP2-Settings is an event; preface then frames', () => {
  const calls: string[] = [];
  const txs: HttpTx[] = [];
  const p = createH2cUpgradeParser(
    {
      onTx: (tx, progress) => {
        calls.push(`${tx.id}:${progress}`);
        if (!txs.includes(tx)) txs.push(tx);
      },
    },
    {
      method: enc.encode('GET'),
      rawUri: enc.encode('/eicar'),
      requestHeaders: [[enc.encode('HTTP2-Settings'), enc.encode('bad!')]],
    },
  );
  assert.deepEqual(calls, ['1:request_headers', '1:request_done']);
  p.toClient(concat(SETTINGS, frame(1, 0x04, 1, responseBlock('206')), frame(0, 1, 1, enc.encode('X5O'))));
  p.toServer(concat(HTTP2_PREFACE, SETTINGS, frame(1, 0x05, 3, requestBlock('GET', '/next', 'h'))));
  p.end();
  assert.equal(text(txs[0]!.statusCode), '206');
  assert.equal(text(txs[0]!.responseBody), 'X5O');
  assert.deepEqual(txs[0]!.events, ['invalid_http1_settings']);
  assert.equal(text(txs[1]!.uri), '/next');
});

const wellFormed = concat(
  HTTP2_PREFACE,
  SETTINGS,
  frame(1, 0x04, 1, requestBlock('POST', '/p', 'h', [['x', 'y']])),
  frame(0, 0x09, 1, concat([2], enc.encode('body'), [0, 0])),
  frame(1, 0x25, 3, concat([0, 0, 0, 0, 16], requestBlock('GET', '/g', 'h'))),
);
const wellFormedServer = concat(
  SETTINGS,
  frame(1, 0x04, 3, responseBlock('200', [['content-encoding', 'gzip']])),
  frame(0, 0x01, 3, gzipSync(Buffer.from('zipped'))),
  frame(1, 0x05, 1, responseBlock('204')),
);

test('property: any chunking of the byte streams gives the same transactions', () => {
  const whole = run(wellFormed, wellFormedServer);
  const summary = (r: Run) =>
    r.txs.map((t) => [
      t.id,
      text(t.uri),
      text(t.statusCode),
      text(t.requestBody),
      text(t.responseBody),
      t.events.join(),
    ]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), (chunk) => {
      const r = run(wellFormed, wellFormedServer, {}, chunk);
      assert.deepEqual(summary(r), summary(whole));
      assert.deepEqual(codes(r), []);
    }),
    { numRuns: 60 },
  );
});

test('property: random frames after the preface never throw and stay within bounds', () => {
  const anyFrame = fc
    .tuple(
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 9 }),
      fc.uint8Array({ maxLength: 64 }),
    )
    .map(([type, flags, id, payload]) => frame(type, flags, id, payload));
  fc.assert(
    fc.property(
      fc.array(anyFrame, { maxLength: 20 }),
      fc.array(anyFrame, { maxLength: 20 }),
      fc.uint8Array({ maxLength: 64 }),
      (c, s, tail) => {
        const r = run(concat(HTTP2_PREFACE, ...c, tail), concat(...s), { maxBody: 256, maxStreams: 4 }, 7);
        for (const tx of r.txs) {
          assert.ok(tx.requestBody.length <= 256 && tx.responseBody.length <= 256);
          assert.ok(tx.events.length <= 16);
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('property: mutated well-formed connections never throw', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(wellFormed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.array(fc.tuple(fc.nat(wellFormedServer.length - 1), fc.integer({ min: 0, max: 255 })), {
        maxLength: 8,
      }),
      fc.nat(wellFormed.length),
      (ce, se, cut) => {
        const c = wellFormed.slice(0, cut);
        const s = wellFormedServer.slice();
        for (const [at, v] of ce) if (at < c.length) c[at] = v;
        for (const [at, v] of se) s[at] = v;
        run(c, s, { maxBody: 512 }, 5);
      },
    ),
    { numRuns: 400 },
  );
});
