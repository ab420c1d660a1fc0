/**
 * The HTTP/1 transaction parser and the buffers over real captures from
 * suricata-verify: each case asserts what the folder's rules and expected
 * alerts imply the Suricata buffers contain (or lack). Drives the real
 * reader, decoder and reassembler. The client is the sender of the SYN (the
 * receiver of the SYN-ACK); without a handshake, the first sender of payload
 * unless that payload starts like a response.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { createHttp1TxParser, type Http1TxParser } from '../../decode/app/http1-tx.js';
import { createDecoder } from '../../decode/index.js';
import { createStreamReassembler, type StreamReassembler } from '../../decode/reassembly.js';
import { openCapture } from '../../read/index.js';
import type { HttpTx } from '../../schema/app-tx.js';
import { formatAddress } from '../../util/ip.js';
import { createProblemLog } from '../../util/problems.js';
import { httpBuffer } from './http.js';

interface Conn {
  client: string | undefined;
  parser: Http1TxParser;
  toServer: StreamReassembler;
  toClient: StreamReassembler;
}

const RESPONSE_START = Buffer.from('HTTP/');

/** All HTTP/1 transactions of a capture. */
function transactions(path: string): HttpTx[] {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  assert.ok(reader, `cannot open ${path}`);
  const decoder = createDecoder(problems);
  const txs: HttpTx[] = [];
  const conns = new Map<string, Conn>();
  for (let f = reader.next(); f; f = reader.next()) {
    const p = decoder.decode(f);
    if (p.ipProto !== 6 || p.addrLen === 0) continue;
    const a = `${formatAddress(p.src, p.addrLen)}:${p.srcPort}`;
    const c = `${formatAddress(p.dst, p.addrLen)}:${p.dstPort}`;
    const key = a < c ? `${a}|${c}` : `${c}|${a}`;
    let conn = conns.get(key);
    if (conn === undefined) {
      const parser = createHttp1TxParser({
        problems,
        file: path,
        onTx: (tx) => {
          if (!txs.includes(tx)) txs.push(tx);
        },
      });
      conn = {
        client: undefined,
        parser,
        toServer: createStreamReassembler({
          onData: (d) => parser.request(d),
          onGap: (n) => parser.gap(true, n),
        }),
        toClient: createStreamReassembler({
          onData: (d) => parser.response(d),
          onGap: (n) => parser.gap(false, n),
        }),
      };
      conns.set(key, conn);
    }
    if (conn.client === undefined) {
      const syn = (p.tcpFlags & 0x02) !== 0;
      const ack = (p.tcpFlags & 0x10) !== 0;
      if (syn) conn.client = ack ? c : a;
      else if (p.payload.length > 0) {
        const looksLikeResponse = RESPONSE_START.every((x, i) => p.payload[i] === x);
        conn.client = looksLikeResponse ? c : a;
      } else continue;
    }
    const fromClient = conn.client === a;
    (fromClient ? conn.toServer : conn.toClient).segment(p.seq, p.tcpFlags, p.payload);
    if (p.tcpFlags & 0x10) (fromClient ? conn.toClient : conn.toServer).ack(p.ack);
  }
  reader.close();
  for (const conn of conns.values()) {
    conn.toServer.finish();
    conn.toClient.finish();
    conn.parser.end();
  }
  return txs;
}

const text = (u: Uint8Array | undefined) => (u === undefined ? undefined : Buffer.from(u).toString('latin1'));
const has = (u: Uint8Array | undefined, needle: string) => u !== undefined && text(u)!.includes(needle);

function verify(rel: string, name: string, check: (txs: HttpTx[]) => void): void {
  const d = sharedData(`verify/tests/${rel}`);
  test(`verify ${rel}: ${name}`, { skip: d.skip }, () => check(transactions(d.path)));
}

verify(
  'detect-http-uri/DetectEngineHttpRawUriTest01/test.fpc.pcap',
  'raw URI kept as sent across segments',
  (txs) => {
    assert.equal(txs.length, 1);
    const raw = httpBuffer(txs[0]!, 'http.uri.raw');
    assert.equal(text(raw), '/../a/b/../c/./d.html');
    assert.ok(has(raw, '../c/./d'));
    assert.equal(text(httpBuffer(txs[0]!, 'http.uri')), '/a/c/d.html');
  },
);

verify('detect-http-uri/UriTestSig33/test.fpc.pcap', 'urilen 15 normalized, 17 raw', (txs) => {
  assert.equal(httpBuffer(txs[0]!, 'http.uri')!.length, 15);
  assert.equal(httpBuffer(txs[0]!, 'http.uri.raw')!.length, 17);
});

verify(
  'detect-http-uri/UriTestSig13/test.fpc.pcap',
  'two requests, both URIs contain "one" and are longer than 2',
  (txs) => {
    assert.deepEqual(
      txs.map((t) => text(httpBuffer(t, 'http.uri'))),
      ['/one', '/oneself'],
    );
  },
);

verify(
  'detect-http-uri/UriTestSig23/test.fpc.pcap',
  'headers never finish, the URI is still there',
  (txs) => {
    assert.ok(has(httpBuffer(txs[0]!, 'http.uri'), 'fix_this_now'));
  },
);

verify('http-uri-spaces/input.pcap', 'a URI with a space keeps " afterspace"', (txs) => {
  assert.ok(has(httpBuffer(txs[0]!, 'http.uri'), ' afterspace'));
  assert.equal(text(httpBuffer(txs[0]!, 'http.protocol')), 'HTTP/1.1');
});

verify(
  'http-missing-protocol/input.pcap',
  'no protocol: GET method and User-Agent in header names',
  (txs) => {
    const tx = txs[0]!;
    assert.equal(text(httpBuffer(tx, 'http.method')), 'GET');
    assert.ok(has(httpBuffer(tx, 'http.header_names'), '\r\nUser-Agent\r\n'));
    assert.equal(httpBuffer(tx, 'http.protocol'), undefined);
    assert.ok(tx.events.includes('request_line_missing_protocol'));
  },
);

verify('http-request-invalid/input.pcap', 'two POSTs without length carry an unexpected body', (txs) => {
  const flagged = txs.filter(
    (t) =>
      t.events.includes('request_body_unexpected') &&
      has(httpBuffer(t, 'http.request_body'), 'login=foo&password=bar'),
  );
  assert.equal(flagged.length, 2);
  const withLength = txs.filter(
    (t) => has(t.requestBody, 'login=foo') && !t.events.includes('request_body_unexpected'),
  );
  assert.equal(withLength.length, 2);
});

verify('http-close-headers/input.pcap', 'response headers cut by close still give http.header', (txs) => {
  assert.ok(has(httpBuffer(txs[0]!, 'http.header', false), 'ng1nx'));
});

verify('http-evader/http-evader-266/input.pcap', 'a response without status line is all file data', (txs) => {
  const fd = httpBuffer(txs[0]!, 'file.data', false);
  assert.ok(has(fd, 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE'));
  assert.ok(has(fd, 'X5O!P%@AP[4'));
});

verify('bug-3616-ips/input.pcap', 'file data of a 200 response', (txs) => {
  const hit = txs.find((t) => has(httpBuffer(t, 'file.data', false), 'commonly-accepted commonly-used'));
  assert.ok(hit);
  assert.equal(text(httpBuffer(hit, 'http.stat_code')), '200');
});

verify('bug-4199-4/input.pcap', 'request body holds id=cat but not /etc/passwd before url_decode', (txs) => {
  const tx = txs.find((t) => has(httpBuffer(t, 'http.uri'), 'exec'));
  assert.ok(tx);
  const body = text(httpBuffer(tx, 'http.request_body'))!.toLowerCase();
  assert.ok(body.includes('id=cat'));
  assert.ok(!body.includes('/etc/passwd'));
  assert.ok(decodeURIComponent(body).includes('/etc/passwd'));
});

verify(
  'detect-absent-http-request-body/input.pcap',
  'a POST without body has no request body buffer',
  (txs) => {
    assert.equal(text(httpBuffer(txs[0]!, 'http.method')), 'POST');
    assert.equal(httpBuffer(txs[0]!, 'http.request_body'), undefined);
  },
);

verify(
  'detect-absent-negated-content/no_referer.pcap',
  'no Referer: absent buffer; user agent present',
  (txs) => {
    const tx = txs[0]!;
    assert.equal(text(httpBuffer(tx, 'http.uri')), '/');
    assert.equal(httpBuffer(tx, 'http.referer'), undefined);
    const ua = text(httpBuffer(tx, 'http.user_agent'))!;
    assert.ok(ua.includes('foo') && !ua.includes('bar'));
  },
);

verify('bug-7552/bug-7552-01/input.pcap', 'midstream: a lone response still has its status code', (txs) => {
  assert.equal(text(httpBuffer(txs[0]!, 'http.stat_code')), '200');
});

verify('http-post-file/input.pcap', 'a multipart upload exposes the file to server', (txs) => {
  const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
  assert.ok(txs.some((t) => has(httpBuffer(t, 'file.data', true), eicar)));
});
