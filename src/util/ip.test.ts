import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatAddress, formatIPv6, parseAddress } from './ip.js';

test('formats IPv6 per RFC 5952', () => {
  const b = parseAddress('2001:db8:0:0:1:0:0:1')!;
  assert.equal(formatIPv6(b), '2001:db8::1:0:0:1');
  assert.equal(formatIPv6(parseAddress('::')!), '::');
  assert.equal(formatIPv6(parseAddress('fe80::1')!), 'fe80::1');
  assert.equal(formatIPv6(parseAddress('::ffff:10.0.0.1')!), '::ffff:10.0.0.1');
  assert.equal(formatIPv6(parseAddress('2001:db8:0:1:1:1:1:1')!), '2001:db8:0:1:1:1:1:1');
});

test('rejects malformed addresses', () => {
  for (const bad of ['1.2.3', '1.2.3.256', '1::2::3', 'x', '1:2:3:4:5:6:7:8:9', '', '01.2.3.4.5']) {
    assert.equal(parseAddress(bad), undefined, bad);
  }
});

test('format and parse round-trip for any address', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
      ),
      (b) => {
        assert.deepEqual(parseAddress(formatAddress(b, b.length)), b);
      },
    ),
  );
});
