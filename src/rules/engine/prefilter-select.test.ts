/** Fast-pattern choice in Suricata's order, on parsed rules. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted } from '../testing.js';
import { patternStrength, selectFastPattern } from './prefilter-select.js';

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('latin1') : undefined);
const pick = (opts: string, proto = 'tcp') => selectFastPattern(accepted(opts, proto));

test('an explicit fast_pattern wins over longer contents', () => {
  const c = pick('content:"a-much-longer-content"; content:"abc"; fast_pattern;');
  assert.equal(text(c?.bytes), 'abc');
  assert.equal(c?.explicit, true);
  assert.equal(c?.matchIndex, 1);
});

test('fast_pattern:offset,length takes the slice; :only is carried', () => {
  assert.equal(text(pick('content:"0123456789"; fast_pattern:2,4;')?.bytes), '2345');
  assert.equal(pick('content:"abcdef"; fast_pattern:only;')?.only, true);
});

test('sticky application buffers outrank the payload, then the longest wins', () => {
  const c = pick('content:"a-long-payload-content"; http.uri; content:"/x.php";', 'http');
  assert.equal(c?.bufferKey, 'http.uri');
  assert.equal(text(c?.bytes), '/x.php');
  assert.equal(text(pick('content:"abc"; content:"abcdef"; content:"abcd";')?.bytes), 'abcdef');
});

test('http.method ranks with the payload and wins a full tie against it', () => {
  assert.equal(pick('content:"abcdef"; http.method; content:"POST";', 'http')?.bufferKey, 'pkt');
  assert.equal(pick('content:"GETX"; http.method; content:"POST";', 'http')?.bufferKey, 'http.method');
});

test('equal length: the stronger (more diverse) pattern, else the first', () => {
  assert.equal(text(pick('content:"aaaa"; content:"ab|01|d";')?.bytes), 'ab\x01d');
  assert.equal(text(pick('content:"abcd"; content:"efgh";')?.bytes), 'abcd');
  assert.equal(patternStrength(Buffer.from('aab')), 7);
  assert.equal(patternStrength(Uint8Array.of(0x00, 0x02, 0x02)), 4 + 6 + 1);
});

test('negated contents are never chosen; a rule with only negated contents has none', () => {
  assert.equal(text(pick('content:!"a-very-long-negated"; content:"abc";')?.bytes), 'abc');
  assert.equal(pick('content:!"abc";'), undefined);
  assert.equal(pick('dsize:>10;'), undefined);
});

test('nocase and transforms are part of the choice', () => {
  const c = pick('dns.query; dotprefix; content:".evil.example"; nocase;', 'dns');
  assert.equal(c?.bufferKey, 'dns.query|dotprefix');
  assert.equal(c?.nocase, true);
});
