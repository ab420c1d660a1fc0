import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('modifiers apply to the preceding content', () => {
  const m = accepted(
    'content:"abc"; nocase; offset:2; depth:10; content:"x"; distance:0; within:5; content:"z"; startswith; endswith; rawbytes;',
  ).matches;
  assert.deepEqual(
    m.map(
      (c) =>
        c.kind === 'content' && [
          c.nocase,
          c.offset,
          c.depth,
          c.distance,
          c.within,
          c.startswith,
          c.endswith,
          c.rawbytes,
        ],
    ),
    [
      [true, 2, 10, undefined, undefined, false, false, false],
      [false, undefined, undefined, 0, 5, false, false, false],
      [false, undefined, undefined, undefined, undefined, true, true, true],
    ],
  );
});

test('byte_extract variables in positions', () => {
  const m = accepted('byte_extract:1,0,len; content:"a"; distance:0; within:len;').matches[1]!;
  assert.deepEqual(m.kind === 'content' && m.within, { var: 'len' });
  assert.match(rejection('content:"a"; within:len;'), /within: variable "len" is not defined/);
});

test('conflicts are rejected', () => {
  assert.match(rejection('content:"abc"; depth:5; distance:1;'), /distance: cannot mix with depth/);
  assert.match(rejection('content:"abc"; within:5; offset:1;'), /offset: cannot mix with within/);
  assert.match(rejection('content:"abc"; nocase; nocase;'), /nocase: given twice/);
  assert.match(rejection('content:"abcdef"; depth:3;'), /depth: 3 is shorter than content/);
  assert.match(rejection('nocase; content:"a";'), /nocase: no preceding content/);
  assert.match(rejection('content:"a"; depth:4294967296;'), /depth: 4294967296 out of range/);
  assert.match(rejection('content:"a"; offset:abc$;'), /offset: "abc\$" is not a number/);
});
