/** Explanations of the analyst's seed rules (ET set) and of hand-written rules, by key phrases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import type { Rule } from './ast.js';
import { explainRule, referenceLink, renderExplanation } from './explain.js';
import { loadRules } from './load.js';
import { accepted } from './testing.js';

const et = sharedData('rules/et-open-suricata-5.0');
let loaded: ReturnType<typeof loadRules> | undefined;
function etRule(sid: number): { rule: Rule; text: string } {
  loaded ??= loadRules([et.path]);
  const rule = loaded.rules.find((r) => r.sid === sid);
  assert.ok(rule, `sid ${sid} in the ET set`);
  const e = explainRule(rule, { classifications: loaded.classifications });
  return { rule, text: renderExplanation(e, { color: false }) };
}
const has = (text: string, ...phrases: string[]) => {
  for (const p of phrases) assert.ok(text.includes(p), `expected "${p}" in:\n${text}`);
};

test('ET 2002664 Nessus: buffer, case, depth, rate, link, dates', { skip: et.skip }, () => {
  const { rule, text } = etRule(2002664);
  const e = explainRule(rule);
  assert.equal(e.rate, 'Alerts at most once per 60 seconds per source');
  assert.equal(e.matches[0]!.bufferWords, 'the User-Agent header');
  assert.deepEqual(e.matches[0]!.details, ['case-insensitive', 'in the first 40 bytes']);
  has(
    text,
    'HTTP from outside your network ($EXTERNAL_NET), any port, to your network ($HOME_NET), any port',
    'The User-Agent header contains "Nessus" (case-insensitive, in the first 40 bytes)',
    'Only on an established connection, from client to server',
    'url: https://www.nessus.org',
    'Created: 2010-07-30',
    'attempted-recon (Attempted Information Leak), priority 2',
  );
});

test('ET 2006546 libssh: port 22, relative content, threshold both', { skip: et.skip }, () => {
  const { text } = etRule(2006546);
  has(
    text,
    'SSH from outside your network ($EXTERNAL_NET), any port, to your network ($HOME_NET), port 22',
    'The packet payload contains "SSH-"',
    'The packet payload contains "libssh" (within 20 bytes after the previous match)',
    'Alerts once per 30 seconds per source, after the 5th match',
  );
});

test('ET 2016032 JCE scanner: depth and web servers variable', { skip: et.skip }, () => {
  const { text } = etRule(2016032);
  has(
    text,
    'to your web servers ($HTTP_SERVERS)',
    'The User-Agent header contains "BOT/0.1 (BOT for JCE)" (in the first 21 bytes)',
    'Web Application Attack',
  );
});

test('ET 2018232 ZyXEL rom-0: urilen and URI content', { skip: et.skip }, () => {
  const { text } = etRule(2018232);
  has(
    text,
    'The request URI is exactly 6 bytes long',
    'The request URI (normalised) contains "/rom-0" (case-insensitive)',
    'https://www.team-cymru.com/ReadingRoom/Whitepapers/2013/TeamCymruSOHOPharming.pdf',
  );
});

test('ET 2022263 Joomla: |3a| shown as ":", relative pcre with its flag in words', { skip: et.skip }, () => {
  const { rule, text } = etRule(2022263);
  has(
    text,
    'The User-Agent header contains "O:" (used as the fast pattern)',
    'matches the regular expression /^\\d+\\x3a[^\\r\\n]*?\\{[^\\r\\n]*?\\}/R (continuing from the end of the previous match)',
  );
  assert.equal(explainRule(rule).matches[0]!.pattern, 'O:');
});

test('ET 2009359 Nmap NSE user agent', { skip: et.skip }, () => {
  const { text } = etRule(2009359);
  has(text, 'The User-Agent header contains "Nmap NSE"', 'when the User-Agent header contains "Nmap NSE".');
});

test('content positions, negation, hex bytes and transforms in words', () => {
  const r = accepted(
    'msg:"t"; content:"|00 01|AB|0d 0a|"; offset:4; depth:8; content:!"x|7c|y"; distance:2; within:10; ' +
      'content:"z"; distance:0; http.uri; to_lowercase; content:"/a"; startswith; endswith; fast_pattern;',
  );
  const m = explainRule(r).matches;
  assert.equal(m[0]!.pattern, '|00 01|AB|0d 0a|');
  assert.deepEqual(m[0]!.details, ['at offset 4, in the first 8 bytes from there']);
  assert.equal(
    m[1]!.sentence,
    'The packet payload must NOT contain "x|7c|y" (at least 2 bytes after the previous match, within the 10 bytes from there)',
  );
  assert.deepEqual(m[2]!.details, ['anywhere after the previous match']);
  assert.deepEqual(m[3]!.details, [
    'at the very start',
    'at the very end',
    'after to_lowercase',
    'used as the fast pattern',
  ]);
});

test('byte_test, byte_jump, byte_extract, isdataat, bsize and dsize in words', () => {
  const r = accepted(
    'msg:"b"; content:"A"; byte_extract:2,0,len,relative; byte_test:4,>,1000,0,relative,little; ' +
      'byte_jump:2,0,relative,multiplier 2,align; isdataat:!1,relative; dsize:>100; http.uri; bsize:<10;',
  );
  const e = explainRule(r);
  const s = e.matches.map((m) => m.sentence);
  assert.equal(
    s[1],
    'Reads 2 bytes 0 bytes after the previous match in the packet payload (big-endian) into the variable len',
  );
  assert.equal(
    s[2],
    'Reads 4 bytes 0 bytes after the previous match in the packet payload (little-endian) and checks the value is greater than 1000',
  );
  assert.ok(s[3]!.includes('skips forward that many bytes times 2 (rounded up to a multiple of 4)'), s[3]);
  assert.equal(s[4], 'Nothing may follow the previous match in the packet payload');
  assert.equal(s[5], 'The request URI (normalised) is less than 10 bytes long');
  assert.deepEqual(
    e.conditions.map((c) => c.sentence),
    ['The packet payload is more than 100 bytes'],
  );
});

test('threshold, detection_filter and flowbits phrases', () => {
  const rate = (opt: string) => explainRule(accepted(`msg:"r"; content:"a"; ${opt}`)).rate;
  assert.equal(
    rate('threshold:type both, track by_src, count 5, seconds 30;'),
    'Alerts once per 30 seconds per source, after the 5th match',
  );
  assert.equal(
    rate('threshold:type limit, track by_dst, count 3, seconds 3600;'),
    'Alerts at most 3 times per hour per destination',
  );
  assert.equal(
    rate('threshold:type threshold, track by_src, count 10, seconds 60;'),
    'Alerts on every 10th match within 60 seconds per source',
  );
  assert.equal(
    rate('detection_filter:track by_src, count 10, seconds 60;'),
    'Alerts only once more than 10 matches were seen within 60 seconds per source, then on every further match',
  );
  const set = explainRule(accepted('msg:"s"; content:"a"; flowbits:set,picket.login; flowbits:noalert;'));
  assert.deepEqual(set.state, [
    'Sets the flag picket.login on the connection for later rules',
    'Never alerts by itself (it only sets flags for other rules)',
  ]);
  assert.ok(set.summary.startsWith('Never alerts itself'), set.summary);
  const is = explainRule(accepted('msg:"s"; content:"a"; flowbits:isset,a|b;'));
  assert.deepEqual(is.state, ['Only when an earlier rule set a or b on this connection']);
});

test('flags, itype, header variables and bidirectional traffic', () => {
  const r = accepted('msg:"f"; flags:S,12; itype:8; ttl:<5;', 'tcp');
  assert.ok(
    explainRule(r).summary.endsWith('when TCP flags are exactly SYN, ignoring CWR+ECE.'),
    explainRule(r).summary,
  );
  const h = explainRule(accepted('msg:"h"; flow:established; http.header; content:"X-A|3a|";'));
  assert.ok(h.summary.endsWith('when the HTTP headers contain "X-A:".'), h.summary);
  assert.deepEqual(
    explainRule(r).conditions.map((c) => c.sentence),
    [
      'TCP flags are exactly SYN, ignoring CWR+ECE',
      'The ICMP type is exactly 8 (echo request, i.e. ping)',
      'The IP time-to-live is less than 5',
    ],
  );
});

test('references become links: CVE to NVD, url to https, bugtraq from reference.config', () => {
  assert.equal(
    referenceLink({ system: 'cve', id: '2015-8562' }),
    'https://nvd.nist.gov/vuln/detail/CVE-2015-8562',
  );
  assert.equal(
    referenceLink({ system: 'cve', id: 'CVE-2021-44228' }),
    'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
  );
  assert.equal(referenceLink({ system: 'url', id: 'www.nessus.org' }), 'https://www.nessus.org');
  assert.equal(referenceLink({ system: 'url', id: 'javascript:alert(1)' }), undefined);
  assert.equal(
    referenceLink({ system: 'bugtraq', id: '1234', url: 'https://www.securityfocus.com/bid/1234' }),
    'https://www.securityfocus.com/bid/1234',
  );
  assert.equal(referenceLink({ system: 'local', id: 'x' }), undefined);
  const e = explainRule(accepted('msg:"r"; content:"a"; reference:cve,2015-8562; reference:bugtraq,77201;'));
  assert.deepEqual(
    e.references.map((r) => r.url),
    ['https://nvd.nist.gov/vuln/detail/CVE-2015-8562', 'https://www.securityfocus.com/bid/77201'],
  );
});

test('metadata labels and ignored keywords with why', () => {
  const e = explainRule(
    accepted(
      'msg:"m"; content:"a"; filemagic:"PDF"; metadata:affected_product Joomla_CMS, attack_target Web_Server, signature_severity Major, updated_at 2024_02_03;',
    ),
  );
  assert.deepEqual(
    e.metadata.map((m) => m.text),
    [
      'Affected product: Joomla CMS',
      'Attack target: Web Server',
      'Severity (per the rule author): Major',
      'Last updated: 2024-02-03',
    ],
  );
  assert.equal(e.support, 'partial');
  assert.deepEqual(
    e.ignored.map((i) => i.text),
    ['filemagic is loaded but ignored: no libmagic'],
  );
});

test('rendering: hostile rule text is made inert; colour only when asked', () => {
  const r = accepted('msg:"evil \x1b[2J\u202e"; pcre:"/a\\d\x07/"; content:"\x1b]0x";');
  const e = explainRule(r);
  const plain = renderExplanation(e, { color: false });
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\u202e]/.test(plain), plain);
  assert.ok(plain.includes('/a\\d\\x07/'), 'regex backslashes stay single, controls escaped');
  assert.ok(plain.includes('"|1b|]0x"'), 'content bytes shown in hex');
  const coloured = renderExplanation(e, { color: true });
  assert.ok(coloured.includes('\x1b[1;36m'));
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
});
