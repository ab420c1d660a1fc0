import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitRule, unquote } from './tokenize.js';

test('options split on unescaped semicolons', () => {
  const r = splitRule('alert tcp any any -> any any (msg:"a\\;b"; content:"x|3b|"; nocase; pcre:"/a\\;b/";)');
  assert.ok(!('error' in r));
  assert.deepEqual(r.options, [
    { name: 'msg', value: '"a\\;b"' },
    { name: 'content', value: '"x|3b|"' },
    { name: 'nocase' },
    { name: 'pcre', value: '"/a\\;b/"' },
  ]);
});

test('malformed option lists', () => {
  assert.match((splitRule('alert tcp any any -> any any') as { error: string }).error, /no option list/);
  assert.match((splitRule('alert tcp any any -> any any (msg:"x"') as { error: string }).error, /not closed/);
  assert.match(
    (splitRule('alert tcp any any -> any any (msg:"x")') as { error: string }).error,
    /not terminated/,
  );
  assert.match(
    (splitRule('alert tcp any any -> any any (sid:1;) junk') as { error: string }).error,
    /after "\)"/,
  );
  assert.match(
    (splitRule('alert tcp any any -> any any (:1;)') as { error: string }).error,
    /empty option name/,
  );
  assert.deepEqual(unquote('"abc"'), { text: 'abc', quoted: true });
  assert.ok('error' in unquote('"abc'));
});
