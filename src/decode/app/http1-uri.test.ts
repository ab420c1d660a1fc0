import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizePath, removeDotSegments } from './http1-path.js';
import { normalizeUri, requestHostname, splitRequestTarget, targetHostname } from './http1-uri.js';

const b = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array | undefined) => (u === undefined ? undefined : Buffer.from(u).toString('latin1'));

test('dot segments are removed as libhtp does, quirks included', () => {
  const cases: Array<[string, string]> = [
    ['/a/b/c/./../../g', '/a/g'],
    ['mid/content=5/../6', 'mid/6'],
    ['./one', 'one'],
    ['../one', 'one'],
    ['.', ''],
    ['..', ''],
    ['one/.', 'one'],
    ['one/..', ''],
    ['/', '/'],
    ['one/../', ''],
    ['/../../../images.gif', '/images.gif'],
    ['/a/../', ''],
    ['/a/b/', '/a/b/'],
    ['/a/.b', '/a/.b'],
    ['/a/..b', '/a/..b'],
    ['/..//x', '//x'],
  ];
  for (const [input, want] of cases) {
    const buf = b(input);
    const n = removeDotSegments(buf, buf.length);
    assert.equal(s(buf.subarray(0, n)), want, input);
  }
});

test('path decoding: percent, %u, separators, backslash, squeezed slashes, case kept', () => {
  assert.equal(s(normalizePath(b('/../a/b/../c/./d.html'))), '/a/c/d.html');
  assert.equal(s(normalizePath(b('/normalized%20uri'))), '/normalized uri');
  assert.equal(s(normalizePath(b('/a%2fb%5Cc\\d//e'))), '/a/b/c/d/e');
  assert.equal(s(normalizePath(b('/%u0041%U0042'))), '/AB');
  assert.equal(s(normalizePath(b('/%uFF41'))), '/a'); // full-width a, best fit
  assert.equal(s(normalizePath(b('/%zz%4'))), '/%zz%4'); // invalid encodings keep their percent
  assert.equal(s(normalizePath(b('/Search/ABC'))), '/Search/ABC');
  assert.equal(s(normalizePath(b('/a/%2e%2e/b'))), '/b'); // encoded dots collapse after decoding
});

test('UTF-8 in the path folds to one byte per character, bad sequences to ?', () => {
  const cases: Array<[number[], string]> = [
    [[0x2f, 0xf1, 0x2e, 0xf1, 0xef, 0xbd, 0x9d, 0x61], '/?.?}a'],
    [[0x2f, 0xf0, 0x90, 0x8d, 0xff], '/??'],
    [[0x2f, 0xe2, 0x82], '/?'],
    [[0x2f, 0xc2, 0xff, 0xf0], '/??'],
    [[0x2f, 0xf0, 0x90, 0x28, 0xbc], '/?(?'],
    [[0x2f, 0xc3, 0xa9], '/\u00e9'],
    [[0x2f, 0xc0, 0xaf], '//'.slice(0, 2)], // overlong slash decodes to a slash
  ];
  for (const [bytes, want] of cases)
    assert.equal(s(normalizePath(Uint8Array.from(bytes))), want, String(bytes));
});

test('normalized URI: path + ?query + #fragment, query decoded without + to space', () => {
  assert.equal(s(normalizeUri(b('/x/../y?a=%41+b&c=%u0043#f%20g'))), '/y?a=A+b&c=C#f g');
  assert.equal(s(normalizeUri(b('http://user:pw@Host.example:81/p/./q?z'))), '/p/q?z');
  assert.equal(normalizeUri(b('http://host.example')), undefined);
  assert.equal(normalizeUri(b('example.com:443'), true), undefined);
  assert.equal(s(normalizeUri(b('*'))), '*');
  assert.equal(s(normalizeUri(b('/uri afterspace'))), '/uri afterspace');
});

test('request targets split like libhtp', () => {
  const t = splitRequestTarget(b('http://u:p@www.example.com:1234/path1/path2?a=b&c=d#frag'));
  assert.equal(s(t.scheme), 'http');
  assert.equal(s(t.hostname), 'www.example.com');
  assert.equal(s(t.port), '1234');
  assert.equal(s(t.path), '/path1/path2');
  assert.equal(s(t.query), 'a=b&c=d');
  assert.equal(s(t.fragment), 'frag');
  assert.equal(s(splitRequestTarget(b('http://')).path), '//');
});

test('hostname: absolute URI wins over Host, lower-cased, port and trailing dots gone', () => {
  assert.equal(s(requestHostname(b('/x'), b('WWW.Example.COM.:8080'))), 'www.example.com');
  assert.equal(s(requestHostname(b('http://Other.ORG/x'), b('www.example.com'))), 'other.org');
  assert.equal(s(requestHostname(b('host.example:443'), undefined, true)), 'host.example');
  assert.equal(requestHostname(b('/x'), undefined), undefined);
  assert.equal(s(targetHostname(b('http://Other.ORG:81/x'))), 'Other.ORG');
  assert.equal(targetHostname(b('/x')), undefined);
});
