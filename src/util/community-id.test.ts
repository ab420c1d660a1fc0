/**
 * Community ID v1: published spec test vectors (seed 0) and the values
 * tshark's Community ID post-dissector computes for the shared captures.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, sharedData } from '../../test/support/env.js';
import { flowsOf } from '../flow/testing/run-capture.js';
import { communityId } from './community-id.js';
import { parseAddress } from './ip.js';

const id = (s: string, d: string, proto: number, sp: number, dp: number) =>
  communityId(parseAddress(s)!, parseAddress(d)!, proto, sp, dp);

test('spec vectors: ICMPv6 two-way pairs are direction-independent, one-way messages keep their order', () => {
  // From the Community ID spec's baseline (seed 0).
  const a = 'fe80::200:86ff:fe05:80da';
  const b = 'fe80::260:97ff:fe07:69ea';
  assert.equal(id(a, b, 58, 135, 136), '1:dGHyGvjMfljg6Bppwm3bg0LO8TY=');
  assert.equal(id(b, a, 58, 136, 135), '1:dGHyGvjMfljg6Bppwm3bg0LO8TY=');
  assert.equal(id(b, a, 58, 135, 136), '1:zavyT/cezQr1fmImYCwYnMXbgck=');
  assert.equal(id(a, b, 58, 136, 135), '1:zavyT/cezQr1fmImYCwYnMXbgck=');
  assert.equal(
    id('3ffe:501:1800:2345::2', '3ffe:507:0:1:200:86ff:fe05:80da', 58, 3, 0),
    '1:2ObVBgIn28oZvibYZhZMBgh7WdQ=',
  );
  assert.equal(
    id('3ffe:501:410:0:2c0:dfff:fe47:33e', '3ffe:507:0:1:200:86ff:fe05:80da', 58, 1, 4),
    '1:hLZd0XGWojozrvxqE0dWB1iM6R0=',
  );
  assert.equal(
    id('3ffe:507:0:1:200:86ff:fe05:80da', '3ffe:501:0:1001::2', 58, 128, 129),
    '1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=',
  );
});

test('direction does not matter for TCP/UDP', () => {
  assert.equal(id('10.0.0.1', '10.0.0.2', 6, 1234, 80), id('10.0.0.2', '10.0.0.1', 6, 80, 1234));
  assert.notEqual(id('10.0.0.1', '10.0.0.2', 6, 1234, 80), id('10.0.0.1', '10.0.0.2', 17, 1234, 80));
});

const dir = sharedData('pcaps/zeek/communityid');
const tools = needTools('tshark');

for (const name of dir.skip ? [] : readdirSync(dir.path).filter((n) => n.endsWith('.pcap'))) {
  test(`matches tshark's communityid for ${name}`, { skip: tools }, () => {
    const file = join(dir.path, name);
    const r = spawnSync(
      'tshark',
      ['--enable-protocol', 'communityid', '-r', file, '-T', 'fields', '-e', 'communityid'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const expected = [...new Set(r.stdout.split('\n').filter(Boolean))].sort();
    assert.ok(expected.length > 0, 'tshark printed no community ids');
    const ours = [...new Set(flowsOf(file).map((f) => f.communityId))].sort();
    assert.deepEqual(ours, expected);
  });
}
