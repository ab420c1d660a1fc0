/**
 * HTTP/2 buffers: hand-made transactions for the rendering rules, and the
 * suricata-verify captures whose expected alert counts say what Suricata's
 * buffers hold (transform-header-lowercase, transform-strip-pseudo-headers,
 * http2-host, bug-5929-02).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { http2FromCapture } from '../../decode/app/http2/testing.js';
import type { HttpTx } from '../../schema/app-tx.js';
import { HTTP2_BUFFER_NAMES, http2Buffer } from './http2.js';

const enc = new TextEncoder();
const s = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString('latin1');
const fields = (...pairs: Array<[string, string]>): Array<[Uint8Array, Uint8Array]> =>
  pairs.map(([n, v]) => [enc.encode(n), enc.encode(v)]);

function tx(
  req: Array<[string, string]>,
  res: Array<[string, string]>,
  bodies: [string, string] = ['', ''],
): HttpTx {
  return {
    version: 2,
    id: 1,
    requestHeaders: fields(...req),
    requestBody: enc.encode(bodies[0]),
    requestBodyTruncated: false,
    requestHeadersDone: req.length > 0,
    requestDone: true,
    responseHeaders: fields(...res),
    responseBody: enc.encode(bodies[1]),
    responseBodyTruncated: false,
    responseHeadersDone: res.length > 0,
    responseDone: true,
    events: [],
  };
}

const post = tx(
  [
    [':method', 'POST'],
    [':scheme', 'https'],
    [':path', '/a%20b?x=1'],
    [':authority', 'WWW.Example.COM:8443'],
    ['user-agent', 'curl/8'],
    ['cookie', 'a=1'],
    ['cookie', 'b=2'],
    ['accept', ' text/html\t'],
    ['content-type', 'application/json'],
  ],
  [
    [':status', '100'],
    [':status', '200'],
    ['server', 'nginx'],
    ['set-cookie', 'sid=9'],
    ['content-type', 'text/plain'],
    ['grpc-status', '0'],
  ],
  ['{"q":1}', 'hello'],
);

test('header buffers: pseudo-headers included in wire order, cookies only in .raw, values trimmed', () => {
  assert.equal(
    s(http2Buffer(post, 'http.header', true)),
    ':method: POST\r\n:scheme: https\r\n:path: /a%20b?x=1\r\n:authority: WWW.Example.COM:8443\r\n' +
      'user-agent: curl/8\r\naccept: text/html\r\ncontent-type: application/json\r\n',
  );
  assert.match(
    s(http2Buffer(post, 'http.header.raw', true))!,
    /cookie: a=1\r\ncookie: b=2\r\naccept: {2}text\/html\t\r\n/,
  );
  assert.equal(
    s(http2Buffer(post, 'http.header', false)),
    ':status: 100\r\n:status: 200\r\nserver: nginx\r\ncontent-type: text/plain\r\ngrpc-status: 0\r\n',
  );
  assert.match(s(http2Buffer(post, 'http.header.raw', false))!, /set-cookie: sid=9\r\n/);
  assert.equal(
    s(http2Buffer(post, 'http.header_names', false)),
    '\r\n:status\r\n:status\r\nserver\r\nset-cookie\r\ncontent-type\r\ngrpc-status\r\n\r\n',
  );
});

test('request and response fields', () => {
  assert.equal(s(http2Buffer(post, 'http.uri', true)), '/a%20b?x=1');
  assert.equal(s(http2Buffer(post, 'http.uri.raw', true)), '/a%20b?x=1');
  assert.equal(s(http2Buffer(post, 'http.method', true)), 'POST');
  assert.equal(s(http2Buffer(post, 'http.host', true)), 'www.example.com');
  assert.equal(s(http2Buffer(post, 'http.host.raw', true)), 'WWW.Example.COM:8443');
  assert.equal(s(http2Buffer(post, 'http.user_agent', true)), 'curl/8');
  assert.equal(s(http2Buffer(post, 'http.cookie', true)), 'a=1, b=2');
  assert.equal(s(http2Buffer(post, 'http.cookie', false)), 'sid=9');
  assert.equal(s(http2Buffer(post, 'http.accept', true)), ' text/html\t');
  assert.equal(s(http2Buffer(post, 'http.content_type', true)), 'application/json');
  assert.equal(s(http2Buffer(post, 'http.content_type', false)), 'text/plain');
  assert.equal(s(http2Buffer(post, 'http.server', false)), 'nginx');
  assert.equal(s(http2Buffer(post, 'http.stat_code', false)), '100'); // the first :status, as Suricata
  assert.equal(s(http2Buffer(post, 'http.request_line', true)), 'POST /a%20b?x=1 HTTP/2');
  assert.equal(s(http2Buffer(post, 'http.response_line', false)), 'HTTP/2 100');
  assert.equal(s(http2Buffer(post, 'http.protocol', true)), 'HTTP/2');
  assert.equal(s(http2Buffer(post, 'http.protocol', false)), 'HTTP/2');
  assert.equal(s(http2Buffer(post, 'http.request_body', true)), '{"q":1}');
  assert.equal(s(http2Buffer(post, 'http.response_body', false)), 'hello');
  assert.equal(s(http2Buffer(post, 'file.data', true)), '{"q":1}');
  assert.equal(s(http2Buffer(post, 'file.data', false)), 'hello');
});

test('absent buffers: no HTTP/2 form, header not sent, empty bodies, unknown names', () => {
  for (const name of [
    'http.stat_msg',
    'http.start',
    'http.referer',
    'http.location',
    'http.content_len',
    'dns.query',
  ]) {
    assert.equal(http2Buffer(post, name, true), undefined, name);
  }
  const get = tx(
    [
      [':method', 'GET'],
      [':path', '/'],
      ['host', 'Example.org'],
    ],
    [],
  );
  assert.equal(http2Buffer(get, 'http.response_body', false), undefined);
  assert.equal(http2Buffer(get, 'file.data', true), undefined);
  assert.equal(http2Buffer(get, 'http.header', false), undefined);
  assert.equal(http2Buffer(get, 'http.header_names', false), undefined);
  assert.equal(http2Buffer(get, 'http.response_line', false), undefined);
  // No :authority: the host header stands in.
  assert.equal(s(http2Buffer(get, 'http.host', true)), 'example.org');
  assert.equal(s(http2Buffer(get, 'http.host.raw', true)), 'Example.org');
  for (const name of HTTP2_BUFFER_NAMES) http2Buffer(get, name, true); // never throws
});

/** Suricata's strip_pseudo_headers: drop the lines that start with ':'. */
function stripPseudo(b: Uint8Array | undefined): string {
  return (s(b) ?? '')
    .split('\r\n')
    .filter((l) => !l.startsWith(':'))
    .join('\r\n');
}

const range = sharedData('verify/tests/http2-range/http2-range.pcap');
test('transform-header-lowercase / transform-strip-pseudo-headers on http2-range: 3 HTTP/2 alerts each', {
  skip: range.skip,
}, () => {
  const txs = http2FromCapture(range.path).txs;
  assert.equal(txs.length, 3);
  const dirs = [true, false];
  const count = (pred: (t: HttpTx, toServer: boolean) => boolean): number =>
    txs.filter((t) => dirs.some((d) => pred(t, d))).length;
  // sid 6 (http2, http.header; content:"accept-ranges:") alerts 3 times; sid 7 ("Accept-Ranges:") never.
  assert.equal(
    count((t, d) => s(http2Buffer(t, 'http.header', d))?.includes('accept-ranges:') ?? false),
    3,
  );
  assert.equal(
    count((t, d) => s(http2Buffer(t, 'http.header', d))?.includes('Accept-Ranges:') ?? false),
    0,
  );
  // sid 1 with header_lowercase finds the same 3 among the HTTP/2 transactions.
  assert.equal(
    count(
      (t, d) =>
        s(http2Buffer(t, 'http.header', d))
          ?.toLowerCase()
          .includes('accept-ranges:') ?? false,
    ),
    3,
  );
  // header_names starts with the pseudo-header, so "|0d 0a|accept-ranges" startswith needs the strip transform.
  const startsWith = (v: string | undefined) => v?.toLowerCase().startsWith('\r\naccept-ranges') ?? false;
  assert.equal(
    count((t, d) => startsWith(s(http2Buffer(t, 'http.header_names', d)))),
    0,
  );
  assert.equal(
    count((t, d) => startsWith(stripPseudo(http2Buffer(t, 'http.header_names', d)))),
    3,
  );
  assert.equal(s(http2Buffer(txs[0]!, 'http.header_names', true)), '\r\n:method\r\n:path\r\n\r\n');
});

const bug = sharedData('verify/tests/http2-compression-bug/input.pcap');
test('http2-host: http.host is play.google.com on four streams, the first complete at frame 9', {
  skip: bug.skip,
}, () => {
  const r = http2FromCapture(bug.path);
  const hosts = r.txs.map((t) => s(http2Buffer(t, 'http.host', true)));
  assert.deepEqual(hosts, [
    'ogs.google.com',
    'play.google.com',
    'play.google.com',
    'play.google.com',
    'play.google.com',
  ]);
  const first = r.progress.find((p) => p.progress === 'request_headers' && p.id === 3);
  assert.equal(first?.frame, 9);
});

const multi = sharedData('verify/tests/bug-5929-02/http2_multiple_headers.pcap');
test('bug-5929-02: sid 3 (urilen:<70; http.uri; "dog/" then ".exe" distance 8 within 4) matches once', {
  skip: multi.skip,
}, () => {
  const txs = http2FromCapture(multi.path).txs;
  const hits = txs.filter((t) => {
    const uri = s(http2Buffer(t, 'http.uri', true));
    if (uri === undefined || uri.length >= 70) return false;
    const dog = uri.indexOf('dog/');
    if (dog < 0) return false;
    const from = dog + 4 + 8;
    return uri.slice(from, from + 4) === '.exe';
  });
  assert.equal(hits.length, 1);
});
