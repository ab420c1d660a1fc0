import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INERT_MAX, inert } from './inert.js';

test('control characters, DEL, C1 and bidi overrides become visible escapes', () => {
  assert.equal(inert('root\u001b[2J'), 'root\\x1b[2J');
  assert.equal(inert('a\u007fb\u0085c'), 'a\\x7fb\\x85c');
  assert.equal(inert('adm\u202enimda\u2066'), 'adm\\u202enimda\\u2066');
  assert.equal(inert('line\nbreak\r'), 'line\\x0abreak\\x0d');
  assert.equal(
    inert('<script>"ok"</script>'),
    '<script>"ok"</script>',
    'markup is left to the display layer',
  );
});

test('length is bounded before escaping', () => {
  const long = 'x'.repeat(1000);
  assert.equal(inert(long), `${'x'.repeat(INERT_MAX)}…`);
  assert.equal(inert('\u001b'.repeat(10), 4), `${'\\x1b'.repeat(4)}…`);
});
