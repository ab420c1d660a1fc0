import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('xbits with track and expire', () => {
  assert.deepEqual(accepted('xbits:set,ET.x,track ip_src,expire 3600;').conditions[0]!.value, {
    command: 'set',
    name: 'ET.x',
    track: 'ip_src',
    expire: 3600,
  });
  assert.match(rejection('xbits:set,x;'), /xbits: expected "track ip_src\|ip_dst\|ip_pair"/);
  assert.match(rejection('xbits:set,x,track ip_src,expire soon;'), /xbits: "soon" is not a number/);
});

test('xbits:noalert stands alone', () => {
  assert.deepEqual(accepted('xbits:noalert;').conditions[0]!.value, {
    command: 'noalert',
    name: '',
    track: 'ip_src',
  });
  assert.match(rejection('xbits:isset,x,track ip_src,expire 10,more;'), /xbits: unexpected "more"/);
});
