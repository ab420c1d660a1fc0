import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('known but unimplemented keywords load the rule as partial, naming them', () => {
  const r = accepted('content:"a"; asn1:bitstring_overflow,oversize_length 100;');
  assert.equal(r.support, 'partial');
  assert.deepEqual(
    r.ignored.map((i) => i.keyword),
    ['asn1'],
  );
});

test('unknown keywords reject the rule with the keyword named', () => {
  assert.equal(rejection('content:"a"; frobnicate:1;'), 'unknown keyword "frobnicate"');
});
