import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, testKeywordContext as ctx, rejection } from '../testing.js';
import { content, decodeContent } from './content.js';

test('content decodes hex runs and escapes', () => {
  const r = accepted('content:"GET|20 2f|a\\"b\\;c";');
  const m = r.matches[0]!;
  assert.equal(m.kind, 'content');
  if (m.kind !== 'content') return;
  assert.deepEqual([...m.bytes], [...Buffer.from('GET /a"b;c')]);
  assert.equal(m.buffer, 'pkt');
  assert.equal(m.negated, false);
});

test('content negation', () => {
  const m = accepted('content:!"abc";').matches[0]!;
  assert.equal(m.kind === 'content' && m.negated, true);
});

test('content errors name the keyword and the token', () => {
  assert.deepEqual(content.parse('"|3a"', ctx), { error: 'content: unbalanced pipe in "|3a"' });
  assert.match((decodeContent('content', '|3g|') as { error: string }).error, /content: bad hex "3g"/);
  assert.match((decodeContent('content', '|3|') as { error: string }).error, /odd number of hex digits/);
  assert.match((decodeContent('content', 'a\\x') as { error: string }).error, /invalid escape "\\x"/);
  assert.match(rejection('content:abc;'), /content: pattern must be in double quotes/);
  assert.match(rejection('content:"";'), /content: empty pattern/);
});
