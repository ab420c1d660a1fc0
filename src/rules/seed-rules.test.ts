/** The rules the issue names parse to the expected AST in both syntaxes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import type { ContentMatch, Rule } from './ast.js';
import { loadRules } from './load.js';

const suricata = sharedData('rules/et-open-suricata-5.0');
const snort = sharedData('rules/et-open-snort-2.9');
const skip = suricata.skip || snort.skip;

function bySid(path: string): Map<number, Rule> {
  return new Map(loadRules([path]).rules.map((r) => [r.sid, r]));
}
const contents = (r: Rule) =>
  r.matches
    .filter((m): m is ContentMatch => m.kind === 'content')
    .map((m) => [m.buffer, Buffer.from(m.bytes).toString('latin1'), m.nocase, m.depth]);
const cond = (r: Rule, k: string) => r.conditions.find((c) => c.keyword === k)?.value;

test('seed rules (Suricata 5 syntax)', { skip }, () => {
  const s = bySid(suricata.path);
  const nmap = s.get(2009358)!;
  assert.deepEqual(contents(nmap), [
    ['http.user_agent', 'Mozilla/5.0 (compatible; Nmap Scripting Engine', true, 46],
  ]);
  assert.equal(nmap.header.protocol, 'http');
  assert.equal(nmap.support, 'full');
  assert.equal(nmap.priority, 1, 'from the web-application-attack classtype');
  assert.deepEqual(cond(nmap, 'flow'), { direction: 'to_server', state: 'established' });

  const nessus = s.get(2002664)!;
  assert.deepEqual(cond(nessus, 'threshold'), { type: 'limit', track: 'by_src', count: 1, seconds: 60 });
  assert.deepEqual(contents(nessus), [['http.user_agent', 'Nessus', true, 40]]);
  assert.deepEqual(nessus.references, [
    { system: 'url', id: 'www.nessus.org', url: 'https://www.nessus.org' },
  ]);

  const libssh = s.get(2006546)!;
  assert.deepEqual(cond(libssh, 'threshold'), { type: 'both', count: 5, seconds: 30, track: 'by_src' });
  assert.deepEqual(
    libssh.matches.map((m) => m.kind === 'content' && [m.buffer, m.within]),
    [
      ['pkt', undefined],
      ['pkt', 20],
    ],
  );
  assert.deepEqual(libssh.header.dstPorts.ranges, [[22, 22]]);

  const zyxel = s.get(2018232)!;
  assert.deepEqual(cond(zyxel, 'urilen'), { test: { op: '=', value: 6 }, raw: false });
  assert.deepEqual(contents(zyxel), [['http.uri', '/rom-0', true, undefined]]);

  const joomla = s.get(2022263)!;
  assert.deepEqual(contents(joomla), [['http.user_agent', 'O:', false, undefined]]);
  const p = joomla.matches[1]!;
  assert.ok(p.kind === 'pcre' && p.relative && p.buffer === 'http.user_agent');

  const jce = s.get(2016032)!;
  assert.deepEqual(contents(jce), [['http.user_agent', 'BOT/0.1 (BOT for JCE)', false, 21]]);
});

test('seed rules (Snort 2.9 syntax) normalise to the same buffers', { skip }, () => {
  const s = bySid(snort.path);
  const nmap = s.get(2009358)!;
  assert.deepEqual(contents(nmap), [
    ['http.header', 'User-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine', true, undefined],
  ]);
  const fp = nmap.matches[0]!;
  assert.deepEqual(fp.kind === 'content' && fp.fastPattern, { only: false, offset: 38, length: 20 });
  assert.deepEqual(nmap.header.dstPorts.ranges, [[80, 80]], '$HTTP_PORTS');
  const nessus = s.get(2002664)!;
  assert.deepEqual(
    nessus.matches.map((m) => m.buffer),
    ['http.header', 'http.header', 'http.header'],
  );
  const zyxel = s.get(2018232)!;
  assert.deepEqual(contents(zyxel), [['http.uri', '/rom-0', true, undefined]]);
  const joomla = s.get(2022263)!;
  assert.deepEqual(joomla.matches[0]!.kind === 'content' && joomla.matches[0]!.fastPattern, { only: true });
  assert.equal(joomla.matches[1]!.buffer, 'http.header', 'pcre H flag');
  assert.deepEqual(cond(s.get(2006546)!, 'threshold'), {
    type: 'both',
    count: 5,
    seconds: 30,
    track: 'by_src',
  });
  assert.ok(s.get(2016032));
});
