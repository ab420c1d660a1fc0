import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDnsError, parseDnsMessage } from '../../decode/app/dns.js';
import type { DnsTx } from '../../schema/app-tx.js';
import { dnsBufferDirection, dnsBuffers } from './dns.js';

const text = (b: Uint8Array[] | undefined) => b?.map((x) => Buffer.from(x).toString('latin1'));
function parse(hex: string): DnsTx {
  const r = parseDnsMessage(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
  if (isDnsError(r)) assert.fail(r.error);
  return r;
}
// Two questions: example.net and something.com (the multi-buffer example of Suricata's docs).
const request = parse(
  '1234 0100 0002 0000 0000 0000 07 6578616d706c65 03 6e6574 00 0001 0001 09 736f6d657468696e67 03 636f6d 00 0001 0001',
);
// Response to example.net with one A answer.
const response = parse(
  '1234 8180 0001 0001 0000 0000 07 6578616d706c65 03 6e6574 00 0001 0001 c00c 0001 0001 0000003c 0004 c0000201',
);

test('dns.query: one buffer per question name, requests only', () => {
  assert.deepEqual(text(dnsBuffers(request, 'dns.query')), ['example.net', 'something.com']);
  assert.deepEqual(text(dnsBuffers(request, 'dns_query')), ['example.net', 'something.com']);
  assert.equal(dnsBuffers(response, 'dns.query'), undefined);
});

test('dns.queries.rrname and dns.answers.rrname look at both directions', () => {
  assert.deepEqual(text(dnsBuffers(response, 'dns.queries.rrname')), ['example.net']);
  assert.deepEqual(text(dnsBuffers(response, 'dns.answers.rrname')), ['example.net']);
  assert.equal(dnsBuffers(request, 'dns.answers.rrname'), undefined);
  assert.equal(dnsBuffers(request, 'dns.nope'), undefined);
  assert.equal(dnsBufferDirection('dns.query'), 'to_server');
  assert.equal(dnsBufferDirection('dns.answers.rrname'), 'both');
  assert.equal(dnsBufferDirection('constructor'), undefined);
});
