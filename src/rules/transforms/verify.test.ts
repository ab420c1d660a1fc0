/**
 * The suricata-verify transform cases, as a guide: their rules (read from the
 * shared data) are parsed by the real parser, their transforms applied to the
 * buffers each case's README or writepcap.py describes, and the contents
 * looked for naively. Which sids should alert comes from each test.yaml.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { sharedData } from '../../../test/support/env.js';
import type { ContentMatch, Rule } from '../ast.js';
import { newSpecCache } from '../parse/header.js';
import { splitRuleLines } from '../parse/lines.js';
import { defaultReferenceSystems } from '../parse/reference.js';
import { parseRule } from '../parse/rule.js';
import { defaultVars } from '../parse/variables.js';
import { applyTransforms, TRANSFORM_FAILED } from './index.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const xorWith = (s: string, k: number) => enc(s).map((b) => b ^ k);

function rulesOf(dir: string, file = 'test.rules'): Rule[] {
  const path = join(dir, file);
  const out: Rule[] = [];
  for (const l of splitRuleLines(readFileSync(path, 'utf8'))) {
    if (l.disabled) continue;
    const r = parseRule(l, {
      vars: defaultVars(),
      cache: newSpecCache(),
      keywords: { classifications: new Map(), references: defaultReferenceSystems() },
      file: path,
    });
    if (!('rule' in r)) throw new Error(`${path}:${l.line}: ${r.error}`);
    out.push(r.rule);
  }
  return out;
}

/** Sids the case's test.yaml expects to alert (a check on one signature_id with a count above 0). */
function expectedSids(dir: string): number[] {
  const y = parseYaml(readFileSync(join(dir, 'test.yaml'), 'utf8')) as {
    checks?: Array<{ filter?: { count?: number; match?: Record<string, unknown> } }>;
  };
  const sids = new Set<number>();
  for (const c of y.checks ?? []) {
    const sid = c.filter?.match?.['alert.signature_id'];
    if (typeof sid === 'number' && (c.filter?.count ?? 0) > 0) sids.add(sid);
  }
  return [...sids].sort((a, b) => a - b);
}

/** A deliberately simple content check: all contents of the rule, in its only buffer. */
function alerts(rule: Rule, buffer: Uint8Array): boolean {
  const contents = rule.matches.filter((m): m is ContentMatch => m.kind === 'content');
  for (const c of contents) {
    const buf = applyTransforms(c.transforms, buffer);
    if (buf === TRANSFORM_FAILED) return false;
    const fold = (b: Uint8Array) =>
      c.nocase ? Buffer.from(b).toString('latin1').toLowerCase() : Buffer.from(b).toString('latin1');
    const hay = fold(buf);
    const needle = fold(c.bytes);
    const at = hay.indexOf(needle);
    if (at < 0) return false;
    if (c.startswith && !hay.startsWith(needle)) return false;
    if (c.endswith && !hay.endsWith(needle)) return false;
  }
  return true;
}

function sidsAlerting(rules: Rule[], buffers: Uint8Array[]): number[] {
  return rules.filter((r) => buffers.some((b) => alerts(r, b))).map((r) => r.sid);
}

const xorBody = Uint8Array.from([0x42, ...xorWith('password=secret', 0x42)]);
const XOR_CASES: Array<[string, Uint8Array]> = [
  ['detect-xor-key-01', xorBody],
  ['detect-xor-key-02', xorBody],
  ['detect-xor-key-06', xorBody],
  ['detect-xor-key-15', xorBody],
  ['detect-xor-key-12', Uint8Array.from([0x42, ...xorWith('hello', 0x42), 0x37, ...xorWith('world', 0x37)])],
  ['detect-xor-key-14', Uint8Array.from([0x2f, 0x30, ...xorWith('path', 0x30)])],
];

for (const [name, buffer] of XOR_CASES) {
  const d = sharedData(`verify/tests/detect-xor-key/${name}`);
  test(`verify ${name}: the sids its test.yaml expects alert, no others`, { skip: d.skip }, () => {
    assert.deepEqual(sidsAlerting(rulesOf(d.path), [buffer]), expectedSids(d.path));
  });
}

const dotprefix = sharedData('verify/tests/detect-dotprefix-01');
test('verify detect-dotprefix-01: both sids alert on the query name', { skip: dotprefix.skip }, () => {
  const rules = rulesOf(dotprefix.path);
  assert.deepEqual(
    sidsAlerting(rules, [enc('www.download.windowsupdate.com')]),
    expectedSids(dotprefix.path),
  );
  // The dot is what keeps look-alike registrations out.
  assert.deepEqual(sidsAlerting(rules, [enc('evilwindowsupdate.com')]), [2]);
});

const urldecode = sharedData('verify/tests/bug-3616-urldecode');
test('verify bug-3616-urldecode: the canary and the url_decode rule both alert', {
  skip: urldecode.skip,
}, () => {
  const page = enc('<p>The requested URL /evil%27sqli was not found on this server.</p>');
  assert.deepEqual(sidsAlerting(rulesOf(urldecode.path), [page]), expectedSids(urldecode.path));
});

const strip = sharedData('verify/tests/detect-strip_whitespace-02');
test('verify detect-strip_whitespace-02: matches across whitespace', { skip: strip.skip }, () => {
  const rules = rulesOf(strip.path, 'input.rules');
  assert.deepEqual(
    sidsAlerting(rules, [enc('<div>embrace \r\n\t holistically</div>')]),
    expectedSids(strip.path),
  );
  assert.deepEqual(sidsAlerting(rules, [enc('<div>embrace_holistically</div>')]), []);
});

const pcrexform = sharedData('verify/tests/detect-pcrexform-01');
test('verify detect-pcrexform-01: the request line becomes its URI', { skip: pcrexform.skip }, () => {
  const rules = rulesOf(pcrexform.path);
  assert.deepEqual(sidsAlerting(rules, [enc('GET /z4d4kWk.jpg HTTP/1.1')]), expectedSids(pcrexform.path));
  assert.deepEqual(sidsAlerting(rules, [enc('GET /other.jpg HTTP/1.1')]), []);
});

// http2-range: the HTTP/1 responses spell "Accept-Ranges", the HTTP/2 ones "accept-ranges" after pseudo-headers.
const h1Header = enc('Date: x\r\nAccept-Ranges: bytes\r\nContent-Length: 10\r\n\r\n');
const h2Header = enc(':status: 206\r\naccept-ranges: bytes\r\ncontent-length: 10\r\n\r\n');

const lowercase = sharedData('verify/tests/transform-header-lowercase');
test('verify transform-header-lowercase: header_lowercase makes HTTP/1 and HTTP/2 alike', {
  skip: lowercase.skip,
}, () => {
  const [s1, s2, s3] = rulesOf(lowercase.path);
  assert.deepEqual([alerts(s1!, h1Header), alerts(s1!, h2Header)], [true, true]);
  assert.deepEqual([alerts(s2!, h1Header), alerts(s2!, h2Header)], [false, true]);
  assert.deepEqual([alerts(s3!, h1Header), alerts(s3!, h2Header)], [true, false]);
});

const pseudo = sharedData('verify/tests/transform-strip-pseudo-headers');
test('verify transform-strip-pseudo-headers: names start with accept-ranges once :status is gone', {
  skip: pseudo.skip,
}, () => {
  const [s1, s2] = rulesOf(pseudo.path);
  const h1Names = enc('\r\nAccept-Ranges\r\nContent-Length\r\n\r\n');
  const h2Names = enc('\r\n:status\r\naccept-ranges\r\ncontent-length\r\n\r\n');
  assert.deepEqual([alerts(s1!, h1Names), alerts(s1!, h2Names)], [true, true]);
  assert.deepEqual([alerts(s2!, h1Names), alerts(s2!, h2Names)], [true, false]);
});
