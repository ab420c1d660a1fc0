import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../test/support/env.js';
import { parseAccessLine, parseErrorLine } from '../read/weblog/index.js';
import type { WeblogRecord } from '../read/weblog/record.js';
import { accessLine, hostileText, hugeLine, mutatedLine } from '../read/weblog/testing/lines.js';
import { referenceAccessLine } from '../read/weblog/testing/reference.js';
import { type Event, eventSchema, HttpActivity, maxRawLength, OcsfClass, Severity } from '../schema/event.js';
import type { RecordPosition } from './common.js';
import { weblogToEvent } from './weblog.js';

// ---------- the plain mapper, as it was before the fast one: build the key, hash it, copy fields ----------
function referenceUid(file: string | undefined, line: number, raw: string): string {
  const key = `${file ?? ''}\u0000${line}\u0000${raw}`;
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b ^ c) + 0x9e3779b9, 0x85ebca6b);
    b = (b << 13) | (b >>> 19);
  }
  return `L${(a >>> 0).toString(36).padStart(7, '0')}${(b >>> 0).toString(36).padStart(7, '0')}`;
}

function referenceEvent(r: WeblogRecord, pos: RecordPosition): Event | null {
  if (r.src === undefined) return null;
  const source: Event['source'] = { kind: 'weblog', format: r.format, line: pos.line };
  if (pos.file !== undefined) source.file = pos.file;
  if (r.host !== undefined) source.host = r.host;
  const attrs: Record<string, string | number> = {};
  let raw = r.raw;
  if (raw.length > maxRawLength) {
    attrs.rawLength = raw.length;
    raw = raw.slice(0, maxRawLength);
  }
  const isError = r.format === 'nginx-error' || r.format === 'apache-error';
  const status = r.http.status;
  const type: Event['type'] = isError
    ? 'web-error'
    : status === 401 || status === 403
      ? 'access-denied'
      : 'web-access';
  const method = r.http.method?.toUpperCase();
  for (const k in r.attrs) attrs[k] = r.attrs[k]!;
  const text = isError
    ? (r.text ?? '')
    : `${r.http.method ?? '-'} ${r.http.uri ?? r.attrs.request ?? '-'} ${status ?? '-'}`;
  const e: Event = {
    ts: r.ts,
    uid: referenceUid(pos.file, pos.line, r.raw),
    source,
    raw,
    type,
    classUid: OcsfClass.httpActivity,
    activityId: method !== undefined ? (HttpActivity[method] ?? 99) : 0,
    src: r.src,
    proto: 'tcp',
    message: text.length > 240 ? `${text.slice(0, 240)}…` : text,
    attrs,
  };
  if (r.srcPort !== undefined) e.srcPort = r.srcPort;
  if (r.user !== undefined) e.user = r.user;
  if (Object.keys(r.http).length > 0) e.http = { ...r.http };
  if (r.http.bytes !== undefined) e.bytes = r.http.bytes;
  if (r.level !== undefined) {
    e.attrs!.level = r.level;
    const l = r.level;
    e.severityId =
      l === 'emerg' || l === 'alert' || l === 'crit'
        ? Severity.high
        : l === 'error'
          ? Severity.medium
          : l === 'warn'
            ? Severity.low
            : Severity.informational;
  }
  if (type === 'access-denied') e.action = 'denied';
  return e;
}

function assertSame(ours: Event | null | undefined, plain: Event | null | undefined, what: string): void {
  assert.deepStrictEqual(ours, plain, what);
  assert.equal(JSON.stringify(ours), JSON.stringify(plain), `key order: ${what}`);
}

const lab = join(repoRoot, 'examples', 'lab');
const labAccess = readFileSync(join(lab, 'access.log'), 'utf8').trim().split('\n');
const labError = readFileSync(join(lab, 'error.log'), 'utf8').trim().split('\n');
const files = fc.constantFrom<string | undefined>(
  'access.log',
  '/var/log/nginx/access.log',
  undefined,
  '',
  'é\u0000',
);

test('lab access and error lines: the same events as the plain reader and mapper, and valid ones', () => {
  labAccess.forEach((line, i) => {
    const pos = { file: 'access.log', line: i + 1 };
    const e = weblogToEvent(parseAccessLine(line)!, pos);
    assertSame(e, referenceEvent(referenceAccessLine(line)!, pos), line);
    eventSchema.parse(e);
  });
  labError.forEach((line, i) => {
    const pos = { file: 'error.log', line: i + 1 };
    const r = parseErrorLine(line, 0)!;
    assertSame(weblogToEvent(r, pos), referenceEvent(r, pos), line);
  });
});

test('events from random and hostile lines = the plain reader and mapper (files and line numbers vary)', () => {
  const line = fc.oneof(
    { weight: 6, arbitrary: accessLine },
    { weight: 2, arbitrary: mutatedLine([...labAccess, ...labError]) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
  const at = fc.tuple(files, fc.oneof(fc.nat(), fc.integer({ min: -5, max: 5 }), fc.double()));
  fc.assert(
    fc.property(fc.array(fc.tuple(line, at), { minLength: 1, maxLength: 6 }), (rows) => {
      for (const [text, [file, n]] of rows) {
        const pos = file === undefined ? { line: n } : { file, line: n };
        const ours = parseAccessLine(text);
        const plain = referenceAccessLine(text);
        assertSame(ours && weblogToEvent(ours, pos), plain && referenceEvent(plain, pos), text);
      }
    }),
    { numRuns: 4000 },
  );
});

test('events from lines of 10,000-60,000 characters: raw cut at 4096 with its length, same as plain', () => {
  fc.assert(
    fc.property(hugeLine, (text) => {
      const pos = { file: 'access.log', line: 9 };
      const ours = parseAccessLine(text);
      const plain = referenceAccessLine(text);
      const e = ours && weblogToEvent(ours, pos);
      assertSame(e, plain && referenceEvent(plain, pos), text.slice(0, 200));
      if (e) assert.equal(e.attrs?.rawLength, text.length);
    }),
    { numRuns: 40 },
  );
});

test('any record (error levels, ports, hosts, odd methods, attrs) maps as the plain mapper maps it', () => {
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const record = fc
    .record({
      format: fc.constantFrom('common', 'combined', 'vhost-combined', 'nginx-error', 'apache-error'),
      ts: fc.double(),
      raw: fc.oneof(hostileText(40), fc.constant('x'.repeat(maxRawLength + 1))),
      host: maybe(fc.string()),
      src: maybe(fc.ipV4()),
      srcPort: maybe(fc.nat(65535)),
      user: maybe(hostileText(8)),
      level: maybe(fc.constantFrom('emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'x')),
      text: maybe(hostileText(300)),
      http: fc.record(
        {
          method: fc.constantFrom('GET', 'get', 'Post', 'PROPFIND', 'constructor', '__proto__', ''),
          uri: hostileText(300),
          version: fc.constant('1.1'),
          status: fc.constantFrom(200, 401, 403, 404),
          bytes: fc.nat(),
          referrer: fc.string(),
          userAgent: fc.string(),
          host: fc.string(),
        },
        { requiredKeys: [] },
      ),
      attrs: fc.dictionary(
        fc.constantFrom('request', 'ident', 'pid', 'extra', 'module'),
        fc.oneof(fc.string(), fc.nat()),
      ),
    })
    .map((f) => {
      const r: WeblogRecord = {
        reader: 'weblog',
        format: f.format,
        ts: f.ts,
        raw: f.raw,
        http: f.http,
        attrs: f.attrs,
      };
      for (const k of ['host', 'src', 'srcPort', 'user', 'level', 'text'] as const)
        if (f[k] !== undefined) (r as unknown as Record<string, unknown>)[k] = f[k];
      return r;
    });
  fc.assert(
    fc.property(fc.array(fc.tuple(record, files, fc.nat()), { maxLength: 5 }), (rows) => {
      for (const [r, file, line] of rows) {
        const pos = file === undefined ? { line } : { file, line };
        assertSame(weblogToEvent(r, pos), referenceEvent(r, pos), JSON.stringify(r).slice(0, 300));
      }
    }),
    { numRuns: 3000 },
  );
});
