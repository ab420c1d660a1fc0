import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitRuleLines } from './lines.js';

test('continuations, comments and disabled rules', () => {
  const text = [
    '# a prose comment',
    '',
    'alert tcp any any -> any any (msg:"a"; \\',
    '  sid:1;)',
    '#alert tcp any any -> any any (msg:"b"; sid:2;)',
    '# alert is a word used in prose (not a rule)',
    'alert tcp any any -> any any (sid:3;)\r',
  ].join('\n');
  assert.deepEqual(splitRuleLines(text), [
    { line: 3, text: 'alert tcp any any -> any any (msg:"a";   sid:1;)', disabled: false },
    { line: 5, text: 'alert tcp any any -> any any (msg:"b"; sid:2;)', disabled: true },
    { line: 7, text: 'alert tcp any any -> any any (sid:3;)', disabled: false },
  ]);
});
