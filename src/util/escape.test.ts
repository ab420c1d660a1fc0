import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { terminalSafe } from './escape.js';

test('neutralises ANSI escapes, controls and bidi overrides', () => {
  assert.equal(terminalSafe('\x1b[31mred\x1b[0m'), '\\x1b[31mred\\x1b[0m');
  assert.equal(terminalSafe('a\u202eb'), 'a\\u{202e}b');
  assert.equal(terminalSafe('tab\there\r\n'), 'tab\\x09here\\x0d\\x0a');
  assert.equal(terminalSafe('back\\x1b'), 'back\\\\x1b');
  assert.equal(terminalSafe('Mozilla/5.0 (Nessus)'), 'Mozilla/5.0 (Nessus)');
});

test('output never contains a control or bidi character', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      assert.doesNotMatch(terminalSafe(s), /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }),
  );
});
