import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { recognizeTcp, recognizeUdp } from './recognize.js';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

test('TCP recognition by content', () => {
  assert.equal(recognizeTcp(enc('GET / HTTP/1.1\r\n'), true), 'http');
  assert.equal(recognizeTcp(enc('PROPFIND /x HTTP/1.1\r\n'), true), 'http');
  assert.equal(recognizeTcp(enc('HTTP/1.1 200 OK\r\n'), false), 'http');
  assert.equal(recognizeTcp(enc('SSH-2.0-OpenSSH_8.9\r\n'), true), 'ssh');
  assert.equal(recognizeTcp(enc('banner text\r\nSSH-2.0-x\r\n'), false), 'ssh');
  assert.equal(recognizeTcp(enc('220 mx.example.org ESMTP Postfix\r\n'), false), 'smtp');
  assert.equal(recognizeTcp(enc('EHLO client.example\r\n'), true), 'smtp');
  assert.equal(recognizeTcp(enc('220 (vsFTPd 3.0.3)\r\n'), false), 'ftp');
  // TLS 1.2 ClientHello record header + handshake header + client version.
  const hello = new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03, 1, 2, 3]);
  assert.equal(recognizeTcp(hello, true), 'ssl');
});

test('TCP recognition waits for more bytes only while a match is still possible', () => {
  assert.equal(recognizeTcp(enc('GE'), true), undefined);
  assert.equal(recognizeTcp(enc('SS'), true), undefined);
  assert.equal(recognizeTcp(new Uint8Array([0x16, 0x03]), true), undefined);
  assert.equal(recognizeTcp(new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x04]), true), null);
  assert.equal(recognizeTcp(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0x10, 0x0e, 0, 0, 0, 0, 0]), true), null);
  // Text that is no protocol we know is given up within the prefix bound.
  assert.equal(recognizeTcp(enc(`HELLO ${'x'.repeat(600)}\n`), true), null);
});

function dnsQuery(name: string): Uint8Array {
  const parts = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  return new Uint8Array([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...parts, 0, 0, 1, 0, 1]);
}

test('UDP recognition: DNS by header sanity and question parse', () => {
  assert.equal(recognizeUdp(dnsQuery('www.example.com')), 'dns');
  const bad = dnsQuery('www.example.com');
  bad[12] = 200; // label too long
  assert.equal(recognizeUdp(bad), null);
  assert.equal(recognizeUdp(enc('just some text payload')), null);
  assert.equal(recognizeUdp(new Uint8Array(4)), null);
});

test('property: recognition never throws on random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (b, c) => {
      const v = recognizeTcp(b, c);
      assert.ok(v === undefined || v === null || typeof v === 'string');
      recognizeUdp(b);
    }),
    { numRuns: 1000 },
  );
});
