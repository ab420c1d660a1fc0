import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createSshBannerParser } from './ssh.js';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

test('the banner line is found byte by byte, without CR LF', () => {
  const p = createSshBannerParser();
  for (const c of 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3\r\n\x00\x00\x01\x14') p.feed(enc(c));
  assert.equal(p.banner, 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3');
  assert.equal(p.done, true);
});

test('server lines before the banner are skipped (RFC 4253 4.2)', () => {
  const p = createSshBannerParser();
  p.feed(enc('Welcome to host\r\nauthorized use only\r\nSSH-1.99-Cisco-1.25\r\n'));
  assert.equal(p.banner, 'SSH-1.99-Cisco-1.25');
});

test('binary or endless input gives up with a problem', () => {
  const codes: string[] = [];
  const bin = createSshBannerParser({ onProblem: (c) => codes.push(c) });
  bin.feed(new Uint8Array([0x16, 0x03, 0x01]));
  assert.equal(bin.done, true);
  assert.equal(bin.banner, '');
  const endless = createSshBannerParser({ maxBytes: 100, onProblem: (c) => codes.push(c) });
  endless.feed(enc('x'.repeat(500)));
  assert.equal(endless.done, true);
  assert.deepEqual(codes, ['ssh.binary-before-banner', 'ssh.no-banner']);
  const long = createSshBannerParser({ onProblem: (c) => codes.push(c) });
  long.feed(enc(`SSH-2.0-${'a'.repeat(1000)}\r\n`));
  assert.equal(long.banner.length, 255);
});

test('property: random input never throws and the banner stays bounded', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), (data, prefix) => {
      const p = createSshBannerParser();
      if (prefix) p.feed(enc('SSH-2.0-'));
      p.feed(data);
      assert.ok(p.banner.length <= 255);
      if (p.banner !== '') assert.ok(p.banner.startsWith('SSH-'));
    }),
  );
});
