import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('sticky buffers apply until the next buffer; pkt_data returns to the payload', () => {
  const m = accepted(
    'http.uri; content:"a"; pcre:"/b/"; http.host; content:"c"; pkt_data; content:"d";',
  ).matches;
  assert.deepEqual(
    m.map((x) => x.buffer),
    ['http.uri', 'http.uri', 'http.host', 'pkt'],
  );
});

test('legacy underscore aliases and file_data', () => {
  assert.equal(accepted('dns_query; content:"x";', 'dns').matches[0]!.buffer, 'dns.query');
  assert.equal(accepted('file_data; content:"x";').matches[0]!.buffer, 'file.data');
  assert.equal(accepted('tls_sni; content:"x";').matches[0]!.buffer, 'tls.sni');
  assert.equal(accepted('http_content_type; content:"x";').matches[0]!.buffer, 'http.content_type');
});

test('sticky buffer with nothing after it is rejected', () => {
  assert.match(rejection('http.uri;'), /http.uri: sticky buffer has no following content/);
  assert.match(rejection('http.uri; http.host; content:"x";'), /http.uri: sticky buffer has no following/);
  assert.match(rejection('http.uri:foo; content:"a";'), /http.uri: takes no value/);
});
