/**
 * HTTP/2 transactions from real captures (suricata-verify's), driven through
 * the real reader, decoder and TCP reassembler (see testing.ts): prior
 * knowledge and h2c Upgrade connections.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { needTools, sharedData } from '../../../../test/support/env.js';
import { http2FromCapture } from './testing.js';

type Fields = Array<[Uint8Array, Uint8Array]>;

const latin1 = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString('latin1');
const header = (fields: Fields, name: string): string | undefined =>
  latin1(fields.find(([n]) => latin1(n) === name)?.[1]);

const multi = sharedData('verify/tests/bug-5929-02/http2_multiple_headers.pcap');
test('bug-5929-02: prior knowledge, one GET whose :path holds dog/ and .exe 8 bytes apart', {
  skip: multi.skip,
}, () => {
  const r = http2FromCapture(multi.path);
  assert.equal(r.txs.length, 1);
  const tx = r.txs[0]!;
  assert.equal(tx.version, 2);
  assert.equal(tx.id, 1);
  assert.equal(latin1(tx.method), 'GET');
  const uri = latin1(tx.uri)!;
  assert.equal(uri, '/watchdog/watchdog.exe');
  // The rule: content "dog/" then ".exe" with distance 8 within 4.
  const dog = uri.indexOf('dog/') + 4;
  assert.equal(uri.indexOf('.exe', dog + 8), dog + 8);
  assert.equal(header(tx.requestHeaders, ':authority'), 'bugertor.com');
  assert.equal(header(tx.requestHeaders, 'user-agent'), 'Go-http-client/2.0');
  assert.equal(latin1(tx.statusCode), '404');
  assert.equal(header(tx.responseHeaders, 'content-encoding'), 'gzip');
  // The 185-byte gzip body decodes to Cloudflare's HTML 404 page.
  assert.ok(tx.responseDone && !tx.responseBodyTruncated);
  assert.match(latin1(tx.responseBody)!, /<title>404 Not Found<\/title>/);
  assert.deepEqual(tx.events, []);
  assert.equal(r.problems.total(), 0, JSON.stringify(r.problems.samples));
  assert.deepEqual(
    r.progress.map((p) => p.progress),
    ['request_headers', 'request_done', 'response_headers', 'response_done'],
  );
});

const bug = sharedData('verify/tests/http2-compression-bug/input.pcap');
test('http2-compression-bug: five streams, four POST bodies, five gzip responses, nothing malformed', {
  skip: bug.skip,
}, () => {
  const r = http2FromCapture(bug.path);
  assert.deepEqual(
    r.txs.map((t) => t.id),
    [1, 3, 5, 7, 9],
  );
  for (const tx of r.txs) {
    assert.ok(tx.requestDone && tx.responseDone, `stream ${tx.id} complete`);
    assert.equal(latin1(tx.statusCode), '200');
    assert.deepEqual(tx.events, [], `stream ${tx.id} events`);
    assert.ok(tx.responseBody.length > 0 && !tx.responseBodyTruncated);
  }
  assert.deepEqual(
    r.txs.map((t) => latin1(t.method)),
    ['GET', 'POST', 'POST', 'POST', 'POST'],
  );
  // Suricata logs 9 files here: the four POST bodies and the five responses.
  assert.equal(r.txs.filter((t) => t.requestBody.length > 0).length + r.txs.length, 9);
  // http2-host: the first transaction for play.google.com is stream 3, whose headers arrive in frame 9.
  const firstPlay = r.progress.find(
    (p) =>
      p.progress === 'request_headers' &&
      header(r.txs.find((t) => t.id === p.id)!.requestHeaders, ':authority') === 'play.google.com',
  );
  assert.deepEqual([firstPlay?.id, firstPlay?.frame], [3, 9]);
  assert.equal(r.problems.total(), 0, JSON.stringify(r.problems.samples));
});

test('http2-compression-bug: gunzipped response bodies equal what tshark decompresses', {
  skip: bug.skip || needTools('tshark'),
}, () => {
  const r = http2FromCapture(bug.path);
  // tshark shows the decompressed body as the data of the frame that ends each response.
  const t = spawnSync(
    'tshark',
    [
      '-r',
      bug.path,
      '-d',
      'tcp.port==443,http2',
      '-Y',
      'http2.body.reassembled.length',
      '-T',
      'fields',
      '-e',
      'http2.streamid',
      '-e',
      'http2.data.data',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(t.status, 0, t.stderr);
  const rows = t.stdout.split('\n').filter((l) => l !== '');
  assert.equal(rows.length, 5);
  for (const row of rows) {
    const [id, hex] = row.split('\t');
    const tx = r.txs.find((x) => x.id === Number(id))!;
    assert.ok(Buffer.from(tx.responseBody).equals(Buffer.from(hex!, 'hex')), `stream ${id}`);
  }
});

const range = sharedData('verify/tests/http2-range/http2-range.pcap');
test('http2-range: three h2c upgrades; stream 1 answers each with 206 and accept-ranges', {
  skip: range.skip,
}, () => {
  const r = http2FromCapture(range.path);
  assert.equal(r.other.length, 2, 'two plain HTTP/1.1 connections');
  assert.equal(r.txs.length, 3);
  const ranges: string[] = [];
  for (const tx of r.txs) {
    assert.equal(tx.id, 1);
    assert.deepEqual(
      tx.requestHeaders.map(([n, v]) => `${latin1(n)}: ${latin1(v)}`),
      [':method: GET', ':path: /eicar'],
    );
    assert.equal(latin1(tx.statusCode), '206');
    assert.equal(latin1(tx.responseHeaders[0]![0]), ':status');
    assert.equal(latin1(tx.responseHeaders[1]![0]), 'accept-ranges');
    ranges.push(header(tx.responseHeaders, 'content-range')!);
    assert.ok(tx.responseDone);
    assert.deepEqual(tx.events, []);
  }
  assert.deepEqual(ranges.sort(), ['bytes 0-10/69', 'bytes 20-30/69', 'bytes 40-68/69']);
  // The three pieces of the EICAR test file served over HTTP/2.
  const body = r.txs.map((t) => latin1(t.responseBody)).join('|');
  assert.match(body, /X5O!P%@AP\[4/);
  assert.equal(r.problems.total(), 0, JSON.stringify(r.problems.samples));
});
