import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';
import { parsePcre } from './pcre.js';

function js(v: string) {
  const o = parsePcre(v);
  if ('error' in o) throw new Error(o.error);
  return o;
}

test('pcre flags map to JS flags, buffers and relative', () => {
  const o = js('"/^User-Agent\\x3a[^\\n]+Nessus/Hmi"');
  assert.equal(o.js.flags, '', 'case and line modes are spelled out in the source');
  assert.ok(new RegExp(o.js.source).test('x\nuser-agent: nessus'));
  assert.equal(o.flagBuffer, 'http.header');
  assert.equal(js('"/x/R"').relative, true);
  assert.equal(js('"/x/A"').js.anchored, true);
  assert.ok(new RegExp(js('"/a.b/s"').js.source).test('a\nb'));
  for (const [f, b] of [
    ['U', 'http.uri'],
    ['I', 'http.uri.raw'],
    ['P', 'http.request_body'],
    ['D', 'http.header.raw'],
    ['M', 'http.method'],
    ['C', 'http.cookie'],
    ['K', 'http.cookie'],
    ['S', 'http.stat_code'],
    ['Y', 'http.stat_msg'],
    ['V', 'http.user_agent'],
    ['W', 'http.host'],
    ['Q', 'http.response_body'],
  ])
    assert.equal(js(`"/x/${f}"`).flagBuffer, b, f);
  assert.equal(js('"/x/BO"').rawbytes, true);
});

test('PCRE semantics survive translation', () => {
  const re = (v: string) => {
    const o = js(v);
    return new RegExp(o.js.source, o.js.flags);
  };
  assert.ok(re('"/abc$/"').test('abc\n'), '$ matches before a final newline');
  assert.ok(!re('"/abc$/E"').test('abc\n'), 'E: $ only at the very end');
  assert.ok(re('"/a b # comment\n c/x"').test('abc'), 'x drops whitespace and comments');
  assert.equal('aaa'.match(re('"/a+/G"'))![0], 'a', 'G makes quantifiers lazy');
  assert.ok(re('"/(?P<q>[\\x22\\x27])x(?P=q)/"').test('"x"'), 'named groups and back references');
  assert.ok(re('"/(?i)abc/"').test('ABC'), 'leading inline flags');
  assert.ok(re('"/\\Aab\\z/"').test('ab'));
  assert.ok(re('"/[[:digit:]]+/"').test('42'));
});

test('pcre in a sticky buffer, and flag/buffer conflicts', () => {
  assert.equal(accepted('http.uri; pcre:"/x/U";').matches[0]!.buffer, 'http.uri');
  assert.equal(accepted('pcre:"/x/U";').matches[0]!.buffer, 'http.uri');
  assert.match(
    rejection('http.host; pcre:"/x/U";'),
    /pcre: flag selects http.uri but the sticky buffer is http.host/,
  );
});

test('pcre errors name the keyword and token', () => {
  assert.match((parsePcre('"/x/q"') as { error: string }).error, /^pcre: unknown flag "q"/);
  assert.match((parsePcre('"x"') as { error: string }).error, /^pcre: expected \/regex\/flags/);
  assert.match((parsePcre('"/a\\G/"') as { error: string }).error, /\\G/);
  assert.match((parsePcre('"/(/"') as { error: string }).error, /missing \)/);
  assert.match((parsePcre('"/x/UH"') as { error: string }).error, /select two buffers/);
  assert.match((parsePcre('x') as { error: string }).error, /must be "\/regex\/flags"/);
  assert.equal((parsePcre('/x/U') as { source: string }).source, 'x');
});
