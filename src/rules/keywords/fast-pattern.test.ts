import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('fast_pattern forms', () => {
  const fp = (o: string) => {
    const m = accepted(o).matches[0]!;
    return m.kind === 'content' ? m.fastPattern : undefined;
  };
  assert.deepEqual(fp('content:"abcd"; fast_pattern;'), { only: false });
  assert.deepEqual(fp('content:"abcd"; fast_pattern:only;'), { only: true });
  assert.deepEqual(fp('content:"abcdef"; fast_pattern:2,3;'), { only: false, offset: 2, length: 3 });
});

test('fast_pattern errors', () => {
  assert.match(
    rejection('content:"a"; fast_pattern; content:"b"; fast_pattern;'),
    /fast_pattern: given twice/,
  );
  assert.match(rejection('content:"abc"; fast_pattern:2,5;'), /fast_pattern: 2,5 runs past content/);
  assert.match(rejection('content:"abc"; fast_pattern:sometimes;'), /fast_pattern: expected "only"/);
  assert.match(
    rejection('content:"abc"; fast_pattern:only; distance:1;'),
    /distance: content "abc" is fast_pattern:only/,
  );
});
