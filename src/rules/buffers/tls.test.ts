import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TlsTx } from '../../schema/app-tx.js';
import { TLS_BUFFERS, tlsBuffer, tlsBufferDirection } from './tls.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array | Uint8Array[] | undefined) =>
  b === undefined
    ? undefined
    : Array.isArray(b)
      ? b.map((x) => Buffer.from(x).toString('latin1'))
      : Buffer.from(b).toString('latin1');

const empty: TlsTx = {
  clientVersion: -1,
  serverVersion: -1,
  certs: [],
  clientHelloDone: false,
  serverHelloDone: false,
  certificateDone: false,
};
const full: TlsTx = {
  ...empty,
  clientVersion: 0x0303,
  serverVersion: 0x0303,
  sni: bytes('go.microsoft.com'),
  certSubject: bytes('C=US, O=Micro\u0000soft, CN=x'),
  certIssuer: bytes('CN=CA'),
  certSerial: bytes('00:8F'),
  certFingerprint: bytes('8a:32'),
  certs: [bytes('leaf'), bytes('ca')],
  ja3: { string: '771,1-2,0,29,0', hash: 'abc' },
  ja3s: { string: '771,1,0', hash: 'def' },
  clientHelloDone: true,
  serverHelloDone: true,
  certificateDone: true,
};

test('each TLS buffer holds its field, aliases included', () => {
  assert.equal(text(tlsBuffer(full, 'tls.sni')), 'go.microsoft.com');
  assert.equal(text(tlsBuffer(full, 'tls_sni')), 'go.microsoft.com');
  assert.equal(text(tlsBuffer(full, 'tls.cert_subject')), 'C=US, O=Micro\u0000soft, CN=x');
  assert.equal(text(tlsBuffer(full, 'tls.cert_issuer')), 'CN=CA');
  assert.equal(text(tlsBuffer(full, 'tls.cert_serial')), '00:8F');
  assert.equal(text(tlsBuffer(full, 'tls.cert_fingerprint')), '8a:32');
  assert.deepEqual(text(tlsBuffer(full, 'tls.certs')), ['leaf', 'ca']);
  assert.equal(text(tlsBuffer(full, 'ja3.hash')), 'abc');
  assert.equal(text(tlsBuffer(full, 'ja3.string')), '771,1-2,0,29,0');
  assert.equal(text(tlsBuffer(full, 'ja3s.hash')), 'def');
  assert.equal(text(tlsBuffer(full, 'ja3s.string')), '771,1,0');
});

test('absent fields, unknown names and inherited property names are undefined', () => {
  for (const name of Object.keys(TLS_BUFFERS)) assert.equal(tlsBuffer(empty, name), undefined, name);
  assert.equal(tlsBuffer(full, 'tls.nope'), undefined);
  assert.equal(tlsBuffer(full, 'toString'), undefined);
});

test('directions: hello facts to_server, certificate and ServerHello facts to_client', () => {
  assert.equal(tlsBufferDirection('tls.sni'), 'to_server');
  assert.equal(tlsBufferDirection('ja3.hash'), 'to_server');
  assert.equal(tlsBufferDirection('tls.cert_subject'), 'to_client');
  assert.equal(tlsBufferDirection('ja3s.string'), 'to_client');
  assert.equal(tlsBufferDirection('http.uri'), undefined);
});
