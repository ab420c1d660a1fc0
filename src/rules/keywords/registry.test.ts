import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { KEYWORDS } from './index.js';

const dir = new URL('.', import.meta.url).pathname;
const isDescriptor = (x: unknown): x is { name: string } =>
  typeof x === 'object' && x !== null && 'name' in x && 'parse' in x && 'attach' in x;

test('every registered keyword comes from a module with a test file and has a description', async () => {
  const found = new Map<string, string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f === 'index.ts') continue;
    const mod = (await import(`./${f}`)) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      for (const d of Array.isArray(v) ? v : [v]) if (isDescriptor(d)) found.set(d.name, f);
    }
  }
  for (const k of KEYWORDS) {
    const file = found.get(k.name);
    assert.ok(file, `${k.name} is registered but not exported by any keyword module`);
    assert.ok(
      existsSync(`${dir}${file.replace(/\.ts$/, '.test.ts')}`),
      `${file} (keyword ${k.name}) has no test file`,
    );
    assert.ok(k.description.trim().length > 10, `${k.name} has no description`);
    assert.ok(['full', 'partial', 'ignored'].includes(k.support), `${k.name} support`);
    if (k.support !== 'full') assert.ok(k.supportNote, `${k.name} is ${k.support} but says not why`);
  }
  const registered = new Set(KEYWORDS.map((k) => k.name));
  for (const name of found.keys())
    assert.ok(registered.has(name), `${name} is exported but not registered in index.ts`);
});

test('every keyword ET uses is registered', () => {
  const names = new Set(KEYWORDS.flatMap((k) => [k.name, ...(k.aliases ?? [])]));
  for (const n of [
    'msg',
    'sid',
    'rev',
    'gid',
    'classtype',
    'priority',
    'reference',
    'metadata',
    'target',
    'content',
    'nocase',
    'depth',
    'offset',
    'distance',
    'within',
    'fast_pattern',
    'startswith',
    'endswith',
    'rawbytes',
    'bsize',
    'urilen',
    'dsize',
    'pcre',
    'byte_test',
    'byte_jump',
    'byte_extract',
    'byte_math',
    'isdataat',
    'flow',
    'flowbits',
    'xbits',
    'flowint',
    'threshold',
    'detection_filter',
    'flags',
    'itype',
    'icode',
    'icmp_id',
    'icmp_seq',
    'ttl',
    'ip_proto',
    'ipopts',
    'fragbits',
    'fragoffset',
    'id',
    'tos',
    'stream_size',
    'window',
    'seq',
    'ack',
    'app-layer-protocol',
    'noalert',
    'tag',
    'http.uri',
    'http.uri.raw',
    'http.method',
    'http.user_agent',
    'http.host',
    'http.host.raw',
    'http.header',
    'http.header.raw',
    'http.header_names',
    'http.cookie',
    'http.request_body',
    'http.response_body',
    'file.data',
    'file_data',
    'http.stat_code',
    'http.stat_msg',
    'http.content_type',
    'http.content_len',
    'http.request_line',
    'http.response_line',
    'http.start',
    'http.referer',
    'http.server',
    'http.location',
    'http.accept',
    'http.accept_enc',
    'http.accept_lang',
    'http.connection',
    'http.protocol',
    'dns.query',
    'tls.sni',
    'tls.cert_subject',
    'tls.cert_issuer',
    'tls.cert_serial',
    'ja3.hash',
    'ja3s.hash',
    'ja3.string',
    'ssh.proto',
    'ssh.software',
    'pkt_data',
    'http_uri',
    'http_raw_uri',
    'http_header',
    'http_raw_header',
    'http_method',
    'http_cookie',
    'http_raw_cookie',
    'http_client_body',
    'http_stat_code',
    'http_stat_msg',
    'uricontent',
  ])
    assert.ok(names.has(n), n);
});
