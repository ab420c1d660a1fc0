import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('transforms attach, with their options, to the sticky buffer and its matches', () => {
  const m = accepted('dns.query; dotprefix; content:".example.com"; endswith;', 'dns').matches[0]!;
  assert.deepEqual(m.transforms, [{ name: 'dotprefix' }]);
  const chain = accepted('http.uri; url_decode; to_lowercase; to_sha256; content:"x";', 'http').matches[0]!;
  assert.deepEqual(
    chain.transforms.map((t) => t.name),
    ['url_decode', 'to_lowercase', 'to_sha256'],
  );
});

test('a transform needs a sticky buffer', () => {
  assert.match(rejection('url_decode; content:"a";'), /url_decode: a transform must follow a sticky buffer/);
  assert.match(rejection('xor:"42"; content:"a";'), /xor: a transform must follow a sticky buffer/);
});

test('a buffer takes at most 16 transforms', () => {
  assert.equal(
    accepted(`http.uri; ${'to_lowercase; '.repeat(16)}content:"a";`, 'http').matches[0]!.transforms.length,
    16,
  );
  assert.match(
    rejection(`http.uri; ${'to_lowercase; '.repeat(17)}content:"a";`, 'http'),
    /more than 16 transforms/,
  );
});

test('simple transforms take no value', () => {
  assert.match(rejection('http.uri; to_uppercase:1; content:"a";', 'http'), /to_uppercase: takes no value/);
  for (const name of [
    'to_uppercase',
    'header_lowercase',
    'strip_pseudo_headers',
    'to_sha1',
    'compress_whitespace',
  ])
    assert.deepEqual(accepted(`http.header; ${name}; content:"a";`, 'http').matches[0]!.transforms, [
      { name },
    ]);
});

test('xor: static hex key, quoted or not, with or without a decode start', () => {
  const key = (opts: string) =>
    accepted(`http.request_body; xor:${opts}; content:"a";`, 'http').matches[0]!.transforms[0];
  assert.deepEqual(key('"0d0ac8ff"'), {
    name: 'xor',
    args: { key: { bytes: Uint8Array.of(0x0d, 0x0a, 0xc8, 0xff) }, start: 0 },
  });
  assert.deepEqual(key('42'), { name: 'xor', args: { key: { bytes: Uint8Array.of(0x42) }, start: 0 } });
  assert.deepEqual(key('offset 4,0d0a'), {
    name: 'xor',
    args: { key: { bytes: Uint8Array.of(0x0d, 0x0a) }, start: 4 },
  });
});

test('xor: key read from the buffer (the verify tests spellings)', () => {
  const key = (opts: string) =>
    accepted(`http.request_body; xor:${opts}; content:"a";`, 'http').matches[0]!.transforms[0];
  const want = { name: 'xor', args: { key: { offset: 0, length: 1 }, start: 1 } };
  assert.deepEqual(key('offset 1,extract 1 0'), want);
  assert.deepEqual(key('offset   1,  extract 1 0'), want);
  assert.deepEqual(key('offset 1,var 1 0'), want);
  assert.deepEqual(key('offset 7,extract 1 6'), {
    name: 'xor',
    args: { key: { offset: 6, length: 1 }, start: 7 },
  });
  assert.deepEqual(key('extract 4 1024'), {
    name: 'xor',
    args: { key: { offset: 1024, length: 4 }, start: 0 },
  });
});

test('xor: bad values are rejected naming the keyword', () => {
  const bad = (opts: string) => rejection(`http.request_body; xor:${opts}; content:"a";`, 'http');
  assert.match(bad('"abc"'), /^xor: key "abc" is not an even number of hex digits/);
  assert.match(bad('"zz"'), /^xor: key/);
  assert.match(bad(`"${'00'.repeat(256)}"`), /^xor: key longer than 255 bytes/);
  assert.match(bad('offset 1'), /^xor: expected "offset <N>,<key>"/);
  assert.match(bad('offset 1,'), /^xor: offset needs a key/);
  assert.match(bad('offset x,42'), /^xor: offset "x" is not a number/);
  assert.match(bad('extract 1'), /^xor: key location/);
  assert.match(bad('extract 256 0'), /^xor: key location/);
  assert.match(bad('extract 0 0'), /^xor: key location/);
  assert.match(bad('extract 1 65536'), /^xor: key location/);
  assert.match(rejection('http.uri; xor; content:"a";', 'http'), /^xor: needs a value/);
});

test('pcrexform: quoted expression with exactly one capture group, translated once', () => {
  const t = accepted(
    'http.request_line; pcrexform:"[a-zA-Z]+\\s+(.*)\\s+HTTP"; content:"/z4d4kWk.jpg";',
    'http',
  ).matches[0]!.transforms[0]!;
  assert.equal(t.name, 'pcrexform');
  if (t.name !== 'pcrexform') return;
  assert.equal(t.args.source, '[a-zA-Z]+\\s+(.*)\\s+HTTP');
  assert.equal(typeof t.args.js.source, 'string');
  const bad = (opts: string) => rejection(`http.uri; pcrexform:${opts}; content:"a";`, 'http');
  assert.match(bad('"no groups"'), /^pcrexform: needs exactly one capture group, found 0/);
  assert.match(bad('"(a)(b)"'), /^pcrexform: needs exactly one capture group, found 2/);
  assert.match(bad('(a)'), /^pcrexform: expression must be in double quotes/);
  assert.match(bad('"(a"'), /^pcrexform: /);
  assert.match(bad('"(?>a)(b)(c)"'), /^pcrexform: needs exactly one capture group, found 2/);
  // Non-capturing groups, and the helper groups the translator adds for atomic ones, do not count.
  assert.equal(
    accepted('http.uri; pcrexform:"(?:x)(y)"; content:"a";', 'http').matches[0]!.transforms.length,
    1,
  );
  assert.equal(
    accepted('http.uri; pcrexform:"(?>a+)(b)"; content:"a";', 'http').matches[0]!.transforms.length,
    1,
  );
});

test('from_base64: default options, any order, bad values rejected', () => {
  const t = (opts: string) =>
    accepted(`http.uri; from_base64${opts}; content:"a";`, 'http').matches[0]!.transforms[0];
  assert.deepEqual(t(''), { name: 'from_base64', args: { bytes: 0, offset: 0, mode: 'rfc4648' } });
  assert.deepEqual(t(':offset 3933, bytes 4'), {
    name: 'from_base64',
    args: { bytes: 4, offset: 3933, mode: 'rfc4648' },
  });
  assert.deepEqual(t(':bytes 4, offset 3, mode strict'), {
    name: 'from_base64',
    args: { bytes: 4, offset: 3, mode: 'strict' },
  });
  const bad = (opts: string) => rejection(`http.uri; from_base64:${opts}; content:"a";`, 'http');
  assert.match(bad('mode unknown'), /^from_base64: mode "unknown"/);
  assert.match(bad('bytes 4, offset 70000'), /^from_base64: offset must be a number 0-65535/);
  assert.match(bad('mode strict, mode rfc2045'), /^from_base64: mode given twice/);
  assert.match(bad('bytes var'), /^from_base64: bytes must be a number/);
  assert.match(bad('bytes 1, offset 1, mode strict, bytes 2'), /^from_base64: takes at most 3 options/);
  assert.match(bad('size 3'), /^from_base64: unknown option "size"/);
});

test('luaxform loads the rule as partial: scripts are never run', () => {
  const r = accepted('http.uri; luaxform:decode.lua, a; content:"x";', 'http');
  assert.equal(r.support, 'partial');
  assert.deepEqual(r.ignored, [{ keyword: 'luaxform', reason: 'scripts are never run' }]);
  assert.deepEqual(r.matches[0]!.transforms, [
    { name: 'luaxform', args: { script: 'decode.lua', args: ['a'] } },
  ]);
  assert.match(
    rejection('http.uri; luaxform:, a; content:"x";', 'http'),
    /^luaxform: needs a script file name/,
  );
  assert.match(
    rejection('http.uri; luaxform:"a b.lua"; content:"x";', 'http'),
    /^luaxform: .* is not a script file name/,
  );
});
