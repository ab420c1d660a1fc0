/**
 * Matched bytes found again over built sessions: Suricata-5 sticky buffers,
 * Snort-2.9 modifiers (http_header + pcre, as ET's Nessus rule), raw payload
 * with relative matches (ET's LibSSH rule), and random hostile User-Agents.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { accepted } from '../../rules/testing.js';
import type { MatchedBytes } from '../../schema/alarm.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { matchedBytes } from './matched.js';

function tx(ua: string, uri = '/', extra: [string, string][] = []): HttpTransaction {
  return {
    ts: 100,
    uid: 'Cflow1',
    origH: '10.0.0.1',
    origP: 40000,
    respH: '10.0.0.2',
    respP: 80,
    transDepth: 0,
    method: 'GET',
    uri,
    version: '1.1',
    host: 'victim',
    userAgent: ua,
    requestHeaders: [['Host', 'victim'], ['User-Agent', ua], ...extra],
    requestBodyLen: 0,
    requestBodyPrefix: '',
    statusCode: 404,
    statusMsg: 'Not Found',
    responseHeaders: [['Server', 'nginx']],
    responseBodyLen: 0,
    responseBodyPrefix: '',
    responseContentType: 'text/html',
    server: 'nginx',
  };
}

const span = (m: MatchedBytes) => m.excerpt.slice(m.start, m.end);
const none = { http: [], ssh: [], alerts: [] };

test('sticky buffer: http.user_agent nocase content with depth', () => {
  const rule = accepted(
    'msg:"ET SCAN Nessus User Agent"; http.user_agent; content:"Nessus"; nocase; depth:40;',
    'http',
  );
  const r = matchedBytes(rule, { ...none, http: [tx('Mozilla/5.0 (compatible; NESSUS SOAP)')] });
  assert.equal(r.matched.length, 1);
  assert.equal(r.matched[0]!.buffer, 'http.user_agent');
  assert.equal(span(r.matched[0]!), 'NESSUS');
  assert.equal(r.evidence[0]!.ref, 'Cflow1#0');
});

test('Snort 2.9 modifiers: http_header content and pcre /H over the header block', () => {
  const rule = accepted(
    'msg:"ET SCAN Nessus User Agent"; content:"User-Agent|3a|"; http_header; nocase; content:"Nessus"; http_header; nocase; pcre:"/^User-Agent\\:[^\\n]+Nessus/Hmi";',
  );
  const r = matchedBytes(rule, { ...none, http: [tx('Nessus NASL')] });
  const spans = r.matched.map(span);
  assert.ok(spans.includes('User-Agent:'), JSON.stringify(r.matched));
  assert.ok(spans.includes('Nessus'));
  assert.ok(r.matched.every((m) => m.buffer === 'http.header'));
});

test('raw payload with a relative match: ET LibSSH rule over the client banner', () => {
  const rule = accepted('msg:"ET SCAN LibSSH"; content:"SSH-"; content:"libssh"; within:20;');
  const banner: SshBanner = {
    ts: 1,
    uid: 'Cssh',
    origH: 'a',
    origP: 1,
    respH: 'b',
    respP: 22,
    client: 'SSH-2.0-libssh_0.10.6',
    server: 'SSH-2.0-OpenSSH_9.2p1',
  };
  const r = matchedBytes(rule, { ...none, ssh: [banner] });
  assert.deepEqual(r.matched.map(span), ['SSH-', 'libssh']);
  assert.equal(r.matched[0]!.buffer, 'pkt');
});

test('a transaction that does not match is passed over for one that does', () => {
  const rule = accepted('msg:"x"; http.uri; content:"/rom-0"; startswith;', 'http');
  const other = tx('curl', '/index.html');
  const rom = { ...tx('curl', '/rom-0'), transDepth: 1 };
  const r = matchedBytes(rule, { ...none, http: [other, rom] });
  assert.equal(span(r.matched[0]!), '/rom-0');
  assert.equal(r.evidence[0]!.ref, 'Cflow1#1');
});

test('nothing recorded matches: no bytes claimed', () => {
  const rule = accepted('msg:"x"; http.uri; content:"/rom-0";', 'http');
  assert.deepEqual(matchedBytes(rule, { ...none, http: [tx('curl', '/')] }).matched, []);
});

test('hostile User-Agents (property): never throws; excerpts printable; the span is the rule content', () => {
  const rule = accepted('msg:"JCE"; http.user_agent; content:"(BOT for JCE)";', 'http');
  fc.assert(
    fc.property(
      fc.string({ maxLength: 300, unit: 'binary' }),
      fc.string({ maxLength: 300, unit: 'binary' }),
      (a, b) => {
        const ua = `${a}(BOT for JCE)${b}`.replace(/[\r\n]/g, ' ');
        const latin = Buffer.from(ua, 'utf8').toString('latin1');
        const r = matchedBytes(rule, { ...none, http: [tx(latin)] });
        assert.ok(r.matched.length >= 1);
        for (const m of r.matched) assert.match(m.excerpt, /^[\x20-\x7e…]*$/);
        assert.ok(r.matched.some((m) => span(m) === '(BOT for JCE)'));
      },
    ),
    { numRuns: 200 },
  );
});
