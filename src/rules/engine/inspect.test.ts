/**
 * Payload inspection semantics, one keyword at a time, each with payloads
 * that must match and payloads that must not. Expectations follow
 * Suricata's documented semantics (payload keywords, byte_* keywords,
 * isdataat, bsize, pcre /R) and are worked out by hand, never read from the
 * engine. Payloads are Latin-1 text; `\xNN` writes a raw byte.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshContext, inspect, payloadList } from './testing.js';

/** Asserts the rule options match every payload in `yes` and none in `no`. */
function cases(options: string, yes: string[], no: string[]): void {
  const list = payloadList(options);
  for (const p of yes) assert.equal(inspect(list, p), true, `${options} should match ${JSON.stringify(p)}`);
  for (const p of no)
    assert.equal(inspect(list, p), false, `${options} should not match ${JSON.stringify(p)}`);
}

test('content: anywhere in the buffer, case-sensitive; nocase folds ASCII only', () => {
  cases('content:"Select";', ['xx Select yy', 'Select'], ['select', 'Selec', '']);
  cases('content:"SeLeCt"; nocase;', ['xx select', 'SELECT', 'sElEcT!'], ['xx selec', 's elect']);
  // Hex runs are bytes: |00 ff| is two bytes, matched exactly.
  cases('content:"|00 ff|A";', ['\x01\x00\xffA'], ['\x00\xfeA', '\x00\xffa']);
});

test('offset and depth: an absolute window [offset, offset + depth)', () => {
  cases('content:"abc"; offset:2; depth:3;', ['xxabc', 'xxabcabc'], ['xxxabc', 'abcxx', 'xab']);
  cases('content:"GET"; depth:3;', ['GET /', 'GET'], [' GET /', 'GE']);
  cases('content:"Z"; offset:4;', ['abcdZ', 'ZbcdZ'], ['Zbcd', 'abcZ']);
});

test('distance: the match starts at least N bytes after the previous match ends', () => {
  cases(
    'content:"foo"; content:"bar"; distance:3;',
    ['foo123bar', 'foo1234bar'],
    ['foo12bar', 'foobar', 'barfoo123'],
  );
  cases('content:"foo"; content:"bar"; distance:0;', ['foobar', 'foo  bar'], ['barfoo']);
});

test('within: the match ends at most N bytes after the previous match ends', () => {
  cases('content:"foo"; content:"bar"; within:5;', ['foo12bar', 'foobar'], ['foo123bar', 'barfoo']);
  cases(
    'content:"foo"; content:"bar"; distance:2; within:3;',
    ['foo12bar'],
    // Too close (starts before foo+2), too far (ends after foo+2+3).
    ['foo1bar', 'foo123bar'],
  );
});

test('negative distance reaches back before the end of the previous match', () => {
  // "bar" ends at 6: distance -6 puts the window at 0, within 3 keeps it at [0, 3).
  cases('content:"bar"; content:"foo"; distance:-6; within:3;', ['foobar'], ['fooxbar', 'xfobar']);
  // Overlap: the second content may start inside the first.
  cases('content:"abcd"; content:"cd"; distance:-2; within:2;', ['abcd'], ['abce cd']);
});

test('startswith pins to the window start; endswith to the buffer end', () => {
  cases('content:"GET"; startswith;', ['GET /', 'GET'], [' GET /', 'xGET']);
  cases('content:".exe"; endswith;', ['a.exe', 'a.exe.exe', '.exe'], ['a.exe ', 'a.ex', 'a.exe\x00']);
  cases('content:"abc"; startswith; endswith;', ['abc'], ['abcabc', 'xabc', 'abcx']);
});

test('negated content: matches when the pattern is absent from its window', () => {
  cases(
    'content:"user"; content:!"root"; within:6;',
    ['user bob', 'user xxxxxxroot'],
    ['user root', 'userroot'],
  );
  cases('content:!"admin"; depth:5;', ['xadmin', 'guest'], ['admin', 'admin2']);
  cases('content:!"evil";', ['good', ''], ['so evil']);
});

test('a relative match that fails retries the earlier content at its next occurrence', () => {
  // First "a" at 0 has no "b" right after it; the one at 3 does.
  cases('content:"a"; content:"b"; within:1;', ['axxab', 'ab'], ['axxa b', 'ba', 'a']);
  // Three deep: the first "ab" has no "c" after it; "abc" later does.
  cases(
    'content:"a"; content:"b"; within:1; content:"c"; within:1;',
    ['abxabc', 'aababc'],
    ['abxab c', 'acb'],
  );
  // The retry also applies with distance: the second "GET" is followed by " /a".
  cases('content:"GET"; content:"/a"; distance:1; within:2;', ['GET x GET /a'], ['GET x GET /b']);
});

test('spans record where each positive match landed', () => {
  const ctx = freshContext();
  assert.equal(inspect(payloadList('content:"a"; content:"b"; within:1;'), 'axxab', ctx), true);
  assert.deepEqual(
    ctx.spans.map((s) => [s.start, s.end]).sort((x, y) => x[0]! - y[0]!),
    [
      [3, 4],
      [4, 5],
    ],
  );
});

test('byte_test: each comparison operator, big and little endian', () => {
  // Two bytes 0x00 0x10 = 16 big endian.
  const v16 = '\x00\x10';
  cases('byte_test:2,=,16,0;', [v16], ['\x00\x11', '\x00']);
  cases('byte_test:2,>,15,0;', [v16, '\x01\x00'], ['\x00\x0f', '\x00\x05']);
  cases('byte_test:2,<,17,0;', [v16, '\x00\x00'], ['\x00\x11', '\x01\x00']);
  cases('byte_test:2,>=,16,0;', [v16, '\x00\x11'], ['\x00\x0f']);
  cases('byte_test:2,<=,16,0;', [v16, '\x00\x0f'], ['\x00\x11']);
  cases('byte_test:2,!,16,0;', ['\x00\x11'], [v16]);
  // & is "any of these bits set"; ^ is "the XOR is non-zero".
  cases('byte_test:1,&,0x06,0;', ['\x02', '\x04', '\x07'], ['\x01', '\x08', '\x00']);
  cases('byte_test:1,^,0x06,0;', ['\x02', '\x00'], ['\x06']);
  cases('byte_test:2,=,1,0,little;', ['\x01\x00'], ['\x00\x01']);
  // Four bytes at an offset.
  cases('byte_test:4,=,0x01020304,2;', ['xx\x01\x02\x03\x04'], ['x\x01\x02\x03\x04', 'xx\x01\x02\x03']);
});

test('byte_test: bitmask keeps the masked bits, shifted down by the mask trailing zeros', () => {
  // 0x03ff & 0x0f00 = 0x0300, shifted right 8 = 3.
  cases('byte_test:2,=,3,0,bitmask 0x0f00;', ['\x03\xff', '\xf3\x00'], ['\x04\xff', '\x00\xff']);
  cases('byte_test:1,>,2,0,bitmask 0xf0;', ['\x30', '\xf0'], ['\x2f', '\x20']);
});

test('byte_test: string values in decimal and hexadecimal, relative to a content', () => {
  cases('byte_test:3,>,100,0,string,dec;', ['123abc', '999'], ['099', 'abc', '12']);
  cases('byte_test:2,=,255,0,string,hex;', ['ff', 'FF'], ['fe', 'zz']);
  cases(
    'content:"len="; byte_test:3,=,42,0,relative,string,dec;',
    ['len=042', 'xlen=042;'],
    ['len=043', 'len=04', '042len='],
  );
});

test('byte_jump: relative jump from the end of the bytes read', () => {
  // Read 1 byte (2) right after "X": jump lands at 1 + 1 + 2 = 4, where "END" starts.
  cases(
    'content:"X"; byte_jump:1,0,relative; content:"END"; within:3;',
    ['X\x02abEND'],
    ['X\x01abEND', 'X\x03abEND'],
  );
  // A jump past the end of the buffer fails the rule.
  cases('byte_jump:1,0; content:"a"; distance:0;', ['\x01xaaa'], ['\xffaaa']);
});

test('byte_jump: from_beginning, multiplier, align and post_offset', () => {
  cases('byte_jump:1,0,from_beginning; content:"Z"; within:1;', ['\x04abcZ'], ['\x03abcZ', '\x05abcZ']);
  // 2 * 2 = 4 after the byte read: lands at 5.
  cases(
    'byte_jump:1,0,multiplier 2; content:"Q"; within:1;',
    ['\x02abcdQ', '\x01abQ'],
    ['\x02abQde', '\x01aQxx'],
  );
  // 1 rounds up to 4: lands at 5, not at 2.
  cases('byte_jump:1,0,align; content:"Q"; within:1;', ['\x01abcdQ', '\x04abcdQ'], ['\x01Qbcdx']);
  // 1 + 2 after the byte read: lands at 4.
  cases('byte_jump:1,0,post_offset 2; content:"Q"; within:1;', ['\x01abcQ'], ['\x01aQcx', '\x01abQ']);
});

test('byte_jump: from_end jumps relative to the end of the buffer', () => {
  // Value 0 from the end, then back 3: the last three bytes.
  cases(
    'byte_jump:1,0,from_end,post_offset -3; content:"END"; within:3;',
    ['\x00xxEND', '\x00END'],
    ['\x00ENDxx'],
  );
});

test('byte_extract: a variable feeds distance, within, offset and depth of later matches', () => {
  // Skip 3 bytes after the byte read (which ends at 1): X must be at 4.
  cases('byte_extract:1,0,len; content:"X"; distance:len; within:1;', ['\x03abcX'], ['\x02abcX', '\x04abcX']);
  cases('byte_extract:1,0,off; content:"X"; offset:off; depth:1;', ['\x04abcX'], ['\x03abcX', '\x05abcX']);
  cases('byte_extract:1,0,d; content:"Z"; depth:d;', ['\x05abcZ', '\x09abcZ'], ['\x04abcZ']);
  cases('byte_extract:1,0,w; content:"ab"; content:"Z"; within:w;', ['\x02abxZ'], ['\x01abxZ']);
  // A string length: "12" is twelve.
  cases(
    'byte_extract:2,0,n,string,dec; content:"!"; offset:n; depth:1;',
    ['12xxxxxxxxxx!'],
    ['12xxxxxxxxx!'],
  );
});

test('isdataat: absolute position exists; relative and negated forms', () => {
  cases('isdataat:4;', ['abcde', 'abcdefgh'], ['abcd', '']);
  cases('content:"ab"; isdataat:2,relative;', ['abcde', 'xxabxxxx'], ['ab', 'abc', 'xab']);
  cases('content:"ab"; isdataat:!2,relative;', ['ab', 'abc'], ['abcde', 'xxabxxxx']);
  cases('isdataat:!4;', ['abcd', 'a'], ['abcde']);
});

test('isdataat:N,relative holds with exactly N bytes after the previous match', () => {
  cases('content:"ab"; isdataat:2,relative;', ['abcd'], []);
  cases('content:"ab"; isdataat:!2,relative;', [], ['abcd']);
});

test('bsize: the whole sticky buffer length', () => {
  cases('http.uri; bsize:4;', ['/abc'], ['/abcd', '/ab', '']);
  cases('http.uri; content:"/a"; bsize:>3;', ['/abc', '/a/long/path'], ['/ab', '/xyz']);
});

test('pcre: absolute, and relative (/R) to the end of the previous content', () => {
  cases('pcre:"/^GET \\/[a-z]+ HTTP/";', ['GET /abc HTTP/1.1'], ['POST /abc HTTP/1.1', 'GET /ABC HTTP']);
  // /R: the regex starts where "user=" ended, so ^ anchors there.
  cases('content:"user="; pcre:"/^[a-z]+&/R";', ['user=bob&x', 'xx user=bob&'], ['user=1bob&', 'user=bob']);
  // /R never looks back before the content.
  cases('content:"B"; pcre:"/A/R";', ['BA', 'xBxxA'], ['AB', 'A B']);
  // The earlier content is retried when the relative pcre fails after its first occurrence.
  cases('content:"a"; pcre:"/^b/R";', ['axab', 'ab'], ['axa b', 'ba']);
  cases('pcre:"/select/i";', ['SeLeCt'], ['selec']);
});

test('a spent inspection budget stops the search and the list does not match', () => {
  const list = payloadList('content:"a"; content:"b"; within:1;');
  assert.equal(inspect(list, 'aaaaab', freshContext(1_000)), true);
  // Each failed "a" costs a step: with 3 steps left the "ab" at the end is never reached.
  assert.equal(inspect(list, 'aaaaab', freshContext(3)), false);
});
