import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createHttp1TxParser } from '../../decode/app/http1-tx.js';
import type { HttpTx } from '../../schema/app-tx.js';
import { HTTP_BUFFER_NAMES, httpBuffer, httpBufferDirection } from './http.js';
import { headerValue, mergeHeaders, multipartFiles } from './http-headers.js';

const b = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array | undefined) => (u === undefined ? undefined : Buffer.from(u).toString('latin1'));

function parse(req: string, res = ''): HttpTx[] {
  const txs: HttpTx[] = [];
  const p = createHttp1TxParser({ onTx: (tx) => (txs.includes(tx) ? 0 : txs.push(tx)) });
  p.request(b(req));
  if (res !== '') p.response(b(res));
  p.end();
  return txs;
}

const [tx] = parse(
  'GET /p/../q?a=%41 HTTP/1.1\r\nHost: WWW.Example.com:8080\r\nUser-Agent: A\r\nUser-Agent: B\r\nCookie: c=1\r\nAccept: */*\r\nContent-Type: text/x\r\nReferer:\r\n\r\n',
  'HTTP/1.1 302 Found\r\nServer: s\r\nSet-Cookie: k=v\r\nLocation: /elsewhere\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi',
) as [HttpTx];

test('request buffers: uri, raw uri, method, line, protocol, host', () => {
  assert.equal(s(httpBuffer(tx, 'http.uri')), '/q?a=A');
  assert.equal(s(httpBuffer(tx, 'http.uri.raw')), '/p/../q?a=%41');
  assert.equal(s(httpBuffer(tx, 'http.method')), 'GET');
  assert.equal(s(httpBuffer(tx, 'http.request_line')), 'GET /p/../q?a=%41 HTTP/1.1');
  assert.equal(s(httpBuffer(tx, 'http.protocol', true)), 'HTTP/1.1');
  assert.equal(s(httpBuffer(tx, 'http.host')), 'www.example.com');
  assert.equal(s(httpBuffer(tx, 'http.host.raw')), 'WWW.Example.com:8080');
});

test('single-header buffers: merged repeats, empty but present, absent', () => {
  assert.equal(s(httpBuffer(tx, 'http.user_agent')), 'A, B');
  assert.equal(s(httpBuffer(tx, 'http.accept')), '*/*');
  assert.deepEqual(httpBuffer(tx, 'http.referer'), new Uint8Array(0));
  assert.equal(httpBuffer(tx, 'http.accept_lang'), undefined);
  assert.equal(s(httpBuffer(tx, 'http.content_type', true)), 'text/x');
  assert.equal(s(httpBuffer(tx, 'http.content_type', false)), 'text/html');
  assert.equal(s(httpBuffer(tx, 'http.content_len', false)), '2');
  assert.equal(httpBuffer(tx, 'http.content_len', true), undefined);
  assert.equal(s(httpBuffer(tx, 'http.server')), 's');
  assert.equal(s(httpBuffer(tx, 'http.location')), '/elsewhere');
});

test('http.header leaves out Cookie to server and Set-Cookie to client; cookie follows the direction', () => {
  assert.equal(
    s(httpBuffer(tx, 'http.header', true)),
    'Host: WWW.Example.com:8080\r\nUser-Agent: A, B\r\nAccept: */*\r\nContent-Type: text/x\r\nReferer: \r\n',
  );
  assert.ok(!s(httpBuffer(tx, 'http.header', false))!.includes('Set-Cookie'));
  assert.equal(s(httpBuffer(tx, 'http.cookie', true)), 'c=1');
  assert.equal(s(httpBuffer(tx, 'http.cookie', false)), 'k=v');
  assert.ok(s(httpBuffer(tx, 'http.header.raw', true))!.includes('Cookie: c=1\r\n'));
});

test('header names and start line buffers have Suricata framing', () => {
  assert.equal(
    s(httpBuffer(tx, 'http.header_names', true)),
    '\r\nHost\r\nUser-Agent\r\nCookie\r\nAccept\r\nContent-Type\r\nReferer\r\n\r\n',
  );
  const start = s(httpBuffer(tx, 'http.start', false))!;
  assert.ok(start.startsWith('HTTP/1.1 302 Found\r\nServer: s\r\nSet-Cookie: k=v\r\n'));
  assert.ok(start.endsWith('Content-Length: 2\r\n\r\n'));
});

test('response buffers and bodies; empty bodies are absent', () => {
  assert.equal(s(httpBuffer(tx, 'http.stat_code')), '302');
  assert.equal(s(httpBuffer(tx, 'http.stat_msg')), 'Found');
  assert.equal(s(httpBuffer(tx, 'http.response_line')), 'HTTP/1.1 302 Found');
  assert.equal(s(httpBuffer(tx, 'http.response_body')), 'hi');
  assert.equal(s(httpBuffer(tx, 'file.data', false)), 'hi');
  assert.equal(httpBuffer(tx, 'http.request_body'), undefined);
  assert.equal(httpBuffer(tx, 'file.data', true), undefined);
});

test('file.data to server: a POST body, or the file parts of a multipart upload', () => {
  const [post] = parse('POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc') as [HttpTx];
  assert.equal(s(httpBuffer(post, 'file.data', true)), 'abc');
  const body =
    '--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\nfield\r\n--XX\r\nContent-Disposition: form-data; name="f"; filename="e.txt"\r\nContent-Type: text/plain\r\n\r\nFILE BYTES\r\n--XX--\r\n';
  const [mp] = parse(
    `POST /u HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  ) as [HttpTx];
  assert.equal(s(httpBuffer(mp, 'file.data', true)), 'FILE BYTES');
  assert.deepEqual(multipartFiles(b(body), b('XX')).map(s), ['FILE BYTES']);
});

test('header buffers wait for the header block; unknown names are undefined', () => {
  const txs: HttpTx[] = [];
  const p = createHttp1TxParser({ onTx: (t) => (txs.includes(t) ? 0 : txs.push(t)) });
  p.request(b('GET / HTTP/1.1\r\nHost: h\r\n\r\n'));
  p.response(b('HTTP/1.1 200 OK\r\nServer: x\r\n'));
  const t = txs[0]!;
  assert.equal(httpBuffer(t, 'http.header', false), undefined);
  assert.equal(s(httpBuffer(t, 'http.stat_code')), '200');
  assert.equal(httpBuffer(t, 'http.nonsense'), undefined);
});

test('every buffer name has a direction', () => {
  for (const name of HTTP_BUFFER_NAMES) assert.ok(httpBufferDirection(name), name);
  assert.equal(httpBufferDirection('http.uri'), 'to_server');
  assert.equal(httpBufferDirection('http.stat_code'), 'to_client');
  assert.equal(httpBufferDirection('file.data'), 'both');
  assert.equal(httpBufferDirection('dns.query'), undefined);
});

test('mergeHeaders keeps the first Content-Length and joins other repeats', () => {
  const m = mergeHeaders([
    [b('X'), b('1')],
    [b('content-length'), b('5')],
    [b('x'), b('2')],
    [b('Content-Length'), b('6')],
  ]);
  assert.deepEqual(
    m.map(([n, v]) => `${s(n)}=${s(v)}`),
    ['X=1, 2', 'content-length=5'],
  );
});

/** libhtp's merge written plainly (names compared lower-cased as strings), the reference for the fast one. */
function referenceMerge(list: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): string[] {
  const out: Array<[string, string]> = [];
  const at = new Map<string, number>();
  for (const [n, v] of list) {
    const name = s(n)!;
    const key = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const k = at.get(key);
    if (k === undefined) {
      at.set(key, out.length);
      out.push([name, s(v)!]);
    } else if (key !== 'content-length') out[k]![1] += `, ${s(v)}`;
  }
  return out.map(([n, v]) => `${n}=${v}`);
}

test('mergeHeaders and headerValue agree with a plain reference on random header lists, short and long', () => {
  const name = fc.constantFrom(
    'Host',
    'HOST',
    'host',
    'X-A',
    'x-a',
    'Content-Length',
    'content-LENGTH',
    'Cookie',
    'C\xf6okie',
    'C\xd6OKIE',
    'a',
    'A',
  );
  const list = fc.array(fc.tuple(name, fc.string({ maxLength: 4 })), { maxLength: 60 });
  fc.assert(
    fc.property(list, (l) => {
      const headers = l.map(([n, v]) => [b(n), b(v)] as const);
      assert.deepEqual(
        mergeHeaders(headers).map(([n, v]) => `${s(n)}=${s(v)}`),
        referenceMerge(headers),
      );
      for (const lower of ['host', 'x-a', 'content-length', 'cookie', 'c\xf6okie', 'a']) {
        const ref = referenceMerge(headers).find(
          (e) => e.split('=')[0]!.replace(/[A-Z]/g, (c) => c.toLowerCase()) === lower,
        );
        assert.equal(s(headerValue(headers, lower)), ref?.slice(ref.indexOf('=') + 1));
      }
    }),
    { numRuns: 500 },
  );
});

test('buffers built with a shared merged-header memo equal those built without', () => {
  const [t] = parse(
    'POST /u HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\nCookie: c\r\nContent-Length: 3\r\n\r\nabc',
    'HTTP/1.1 200 OK\r\nSet-Cookie: s\r\nServer: x\r\nServer: y\r\nContent-Length: 2\r\n\r\nok',
  ) as [HttpTx];
  const memo = new Map();
  for (const n of HTTP_BUFFER_NAMES)
    for (const toServer of [true, false])
      assert.deepEqual(httpBuffer(t, n, toServer, memo), httpBuffer(t, n, toServer), `${n} ${toServer}`);
  assert.ok(memo.size === 2, 'one merged table per side');
});
