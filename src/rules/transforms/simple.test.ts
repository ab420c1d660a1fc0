import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { toLowercase, toUppercase } from './case.js';
import { dotprefix } from './dotprefix.js';
import { toMd5, toSha1, toSha256 } from './hash.js';
import { headerLowercase, stripPseudoHeaders } from './http-headers.js';
import { Scratch, type TransformStep } from './scratch.js';
import { urlDecode } from './url-decode.js';
import { compressWhitespace, stripWhitespace } from './whitespace.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const dec = (b: Uint8Array | undefined) => (b ? String.fromCharCode(...b) : '<failed>');
const run = (step: TransformStep, s: string) => dec(step(enc(s), new Scratch()));

test('dotprefix puts one dot in front; an empty buffer stays empty', () => {
  assert.equal(run(dotprefix, 'www.windowsupdate.com'), '.www.windowsupdate.com');
  assert.equal(run(dotprefix, '.'), '..');
  assert.equal(run(dotprefix, ''), '');
});

test('strip_whitespace removes the isspace() set and nothing else', () => {
  assert.equal(run(stripWhitespace, ' embrace\tholi\r\nsti\x0bcal\x0cly '), 'embraceholistically');
  assert.equal(run(stripWhitespace, '\u00a0a\x00b'), '\u00a0a\x00b');
  assert.equal(run(stripWhitespace, ' \t\n'), '');
});

test('compress_whitespace keeps the first byte of each run', () => {
  assert.equal(run(compressWhitespace, ' A B C D '), ' A B C D ');
  assert.equal(run(compressWhitespace, 'I  \t J'), 'I J');
  assert.equal(run(compressWhitespace, 'a\t \nb'), 'a\tb');
  assert.equal(run(compressWhitespace, 'EFGH'), 'EFGH');
});

test('to_lowercase and to_uppercase touch ASCII letters only', () => {
  assert.equal(run(toLowercase, 'GeT /Index.HTML\xc4@[`{'), 'get /index.html\xc4@[`{');
  assert.equal(run(toUppercase, 'GeT /index.html\xe4@[`{'), 'GET /INDEX.HTML\xe4@[`{');
});

test('header_lowercase lowers names up to the first colon of each line, not values', () => {
  assert.equal(
    run(headerLowercase, 'Header1: Value1\nheader2:Value2\n'),
    'header1: Value1\nheader2:Value2\n',
  );
  assert.equal(
    run(headerLowercase, 'Accept-Ranges: Bytes\r\nX-A: B:C\r\nContent-Type: Text/HTML\r\n'),
    'accept-ranges: Bytes\r\nx-a: B:C\r\ncontent-type: Text/HTML\r\n',
  );
  assert.equal(run(headerLowercase, 'NO COLON'), 'no colon');
});

test('strip_pseudo_headers drops lines that start with a colon', () => {
  assert.equal(
    run(stripPseudoHeaders, 'Header1: Value1\n:method:get\nheader2:Value2\n'),
    'Header1: Value1\nheader2:Value2\n',
  );
  assert.equal(run(stripPseudoHeaders, ':method:get'), '');
  assert.equal(run(stripPseudoHeaders, 'Header1: Value1\n:method:get'), 'Header1: Value1\n');
  assert.equal(run(stripPseudoHeaders, ':method:get\nheader2:Value2'), 'header2:Value2');
  assert.equal(run(stripPseudoHeaders, '\n\n:a\n'), '\n\n');
});

test('url_decode: %XX and +, broken escapes kept as written', () => {
  assert.equal(
    run(urlDecode, 'Suricata%20is+%27%61wesome%21%27%25%30%30%ZZ%4'),
    "Suricata is 'awesome!'%00%ZZ%4",
  );
  assert.equal(run(urlDecode, '/evil%27sqli'), "/evil'sqli");
  assert.equal(run(urlDecode, '%%41'), '%%41');
  assert.equal(run(urlDecode, '%4+'), '%4+');
  assert.equal(run(urlDecode, '%'), '%');
  assert.equal(run(urlDecode, '%ff%00'), '\xff\x00');
});

test('hash transforms give the raw digest; an empty buffer stays empty', () => {
  const want = (alg: string, s: string) => new Uint8Array(createHash(alg).update(s).digest());
  assert.deepEqual(new Uint8Array(toMd5(enc('abc'))), want('md5', 'abc'));
  assert.deepEqual(new Uint8Array(toSha1(enc('abc'))), want('sha1', 'abc'));
  assert.deepEqual(new Uint8Array(toSha256(enc('abc'))), want('sha256', 'abc'));
  assert.equal(toSha256(enc('')).length, 0);
  // A known vector, independent of node:crypto: SHA-256("abc").
  assert.equal(
    Buffer.from(toSha256(enc('abc'))).toString('hex'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('transforms never change their input', () => {
  const input = enc('A%41 b\n:x\n');
  const copy = input.slice();
  for (const step of [
    dotprefix,
    stripWhitespace,
    compressWhitespace,
    toLowercase,
    toUppercase,
    headerLowercase,
    stripPseudoHeaders,
    urlDecode,
  ])
    step(input, new Scratch());
  toMd5(input);
  assert.deepEqual(input, copy);
});
