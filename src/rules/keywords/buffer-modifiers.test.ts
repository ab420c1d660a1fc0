import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('Snort modifiers and Suricata sticky buffers give the same AST', () => {
  const pairs: Array<[string, string]> = [
    ['http_uri', 'http.uri'],
    ['http_raw_uri', 'http.uri.raw'],
    ['http_header', 'http.header'],
    ['http_raw_header', 'http.header.raw'],
    ['http_method', 'http.method'],
    ['http_cookie', 'http.cookie'],
    ['http_client_body', 'http.request_body'],
    ['http_stat_code', 'http.stat_code'],
    ['http_stat_msg', 'http.stat_msg'],
    ['http_user_agent', 'http.user_agent'],
    ['http_host', 'http.host'],
  ];
  for (const [mod, sticky] of pairs) {
    const a = accepted(`content:"x"; ${mod}; nocase;`, 'http').matches;
    const b = accepted(`${sticky}; content:"x"; nocase;`, 'http').matches;
    assert.deepEqual(a, b, mod);
    assert.equal(a[0]!.buffer, sticky);
  }
});

test('a modifier cannot move a content that is already in another buffer', () => {
  assert.match(
    rejection('http.uri; content:"x"; http_header;'),
    /http_header: content "x" is already in buffer http.uri/,
  );
  assert.match(rejection('http_uri; content:"x";'), /http_uri: no preceding content/);
});
