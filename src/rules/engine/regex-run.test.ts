import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import type { PcreMatch } from '../ast.js';
import { parsePcre } from '../keywords/pcre.js';
import { analyzePcre, pcreModeFlags } from '../keywords/pcre-translate.js';
import { loadRules } from '../load.js';
import { compileRuleRegex, type RuleRegex, regexRunCounters } from './regex-run.js';
import { classifyRegex } from './regex-run-classify.js';
import { stopRegexWorker } from './regex-run-thread.js';

after(() => stopRegexWorker());

/** A PcreMatch as the rule parser builds it, from `"/re/flags"`. */
function match(v: string): PcreMatch {
  const o = parsePcre(v);
  if ('error' in o) throw new Error(o.error);
  const { negated, source, flags, relative, js } = o;
  return { kind: 'pcre', buffer: 'pkt', transforms: [], negated, source, flags, relative, js };
}

function safety(re: string, flags = ''): string {
  const t = analyzePcre(re, pcreModeFlags(flags));
  if ('error' in t) throw new Error(t.error);
  return classifyRegex(t.tree).safety;
}

test('classifier: ambiguous loops, trading neighbours and back references are unsafe', () => {
  for (const re of [
    '(a+)+$',
    '(a*)*b',
    '(\\w+\\s?)*$',
    '(a|ab)*c',
    '\\s*\\s+x',
    '.*a.*b',
    '(a)\\1',
    '(?:(?=.*x).)*',
  ])
    assert.equal(safety(re), 'unsafe', re);
});

test('classifier: unambiguous patterns are linear when anchored or bounded, else quadratic', () => {
  for (const re of [
    '^\\s*=\\s*\\d+',
    '^(?:\\d{1,3}\\.){3}\\d{1,3}$',
    '\\d{2,5}x',
    '^[^\\r\\n]*\\r\\n.*foo',
    '^(?:ab|cd)+$',
  ])
    assert.equal(safety(re), 'linear', re);
  for (const re of ['\\s+x', '[^\\n]*foo', 'User-Agent\\x3a[^\\r\\n]+bot', '\\s*=\\s*\\d+'])
    assert.equal(safety(re), 'quadratic', re);
  assert.equal(safety('(?>a+)+$'), 'quadratic', 'an atomic body cannot split the same text two ways');
});

test('catastrophic backtracking is cut off and reported as bounded; the next call works', () => {
  const r = compileRuleRegex(match('"/(a+)+$/"'));
  assert.equal(r.safety, 'unsafe');
  const before = { ...regexRunCounters };
  assert.equal(r.exec(`${'a'.repeat(40)}!`, 0, false), 'bounded');
  assert.equal(regexRunCounters.boundedByTime, before.boundedByTime + 1);
  assert.equal(regexRunCounters.bounded, before.bounded + 1);
  assert.deepEqual(r.exec('xaaa', 0, false), { start: 1, end: 4, groups: ['aaa'] });
  assert.ok(regexRunCounters.workerStarts >= 2, 'a fresh worker replaced the terminated one');
});

test('worker and in-thread runs give the same answers, with PCRE group numbers', () => {
  const unsafe = compileRuleRegex(match(String.raw`"/(?>x+)(?P<a>a)(b)\2/"`));
  assert.equal(unsafe.safety, 'unsafe');
  const n = regexRunCounters.inWorker;
  assert.deepEqual(unsafe.exec('zxxabb', 0, false), { start: 1, end: 6, groups: ['a', 'b'] });
  assert.equal(unsafe.exec('zxxabb', 3, true), null, 'anchored at 3, where no x starts');
  assert.deepEqual(unsafe.exec('zxxabb', 2, false), { start: 2, end: 6, groups: ['a', 'b'] });
  assert.equal(regexRunCounters.inWorker, n + 3);
  assert.deepEqual(unsafe.exec('zxxabb', 2, true), { start: 2, end: 6, groups: ['a', 'b'] });

  const safe = compileRuleRegex(match(String.raw`"/^GET\s+(\S+)/"`));
  assert.equal(safe.safety, 'linear');
  const m = regexRunCounters.inThread;
  assert.deepEqual(safe.exec('GET /index.html HTTP/1.1', 0, false), {
    start: 0,
    end: 15,
    groups: ['/index.html'],
  });
  assert.equal(safe.exec('xGET /', 1, false), null, '^ is index 0 of the subject, not `from`');
  assert.equal(regexRunCounters.inThread, m + 2);
});

test('quadratic patterns run on the linear-time engine in-thread, at any length, with the same result', () => {
  const r = compileRuleRegex(match(String.raw`"/\s+x/"`), { maxQuadraticInThread: 100 });
  assert.equal(r.safety, 'quadratic');
  const short = `${' '.repeat(50)}x`;
  const long = `${' '.repeat(500)}x`;
  const w = regexRunCounters.inWorker;
  assert.deepEqual(r.exec(short, 0, false), { start: 0, end: 51 });
  assert.deepEqual(r.exec(long, 0, false), { start: 0, end: 501 });
  assert.equal(regexRunCounters.inWorker, w);
});

test('quadratic patterns the linear engine cannot take (back references) move to the worker past the in-thread length', () => {
  const r = compileRuleRegex(match(String.raw`"/(\s)\1+x/"`), { maxQuadraticInThread: 100 });
  assert.notEqual(r.safety, 'linear');
  const long = `${' '.repeat(500)}x`;
  const w = regexRunCounters.inWorker;
  assert.deepEqual(r.exec(long, 0, false), { start: 0, end: 501, groups: [' '] });
  assert.equal(regexRunCounters.inWorker, w + 1);
});

test('subjects past maxSubjectLength are bounded, not truncated', () => {
  const r = compileRuleRegex(match('"/abc/"'), { maxSubjectLength: 10 });
  const b = regexRunCounters.boundedByLength;
  assert.equal(r.exec('xxxxxxxxxxabc', 0, false), 'bounded');
  assert.equal(regexRunCounters.boundedByLength, b + 1);
  assert.deepEqual(r.exec('xxabc', 0, false), { start: 2, end: 5 });
});

test('/A anchors at from; caseless back references keep byte-mode case (Latin-1 letters do not fold)', () => {
  const a = compileRuleRegex(match('"/b+/A"'));
  assert.equal(a.exec('abb', 0, false), null);
  assert.deepEqual(a.exec('abb', 1, false), { start: 1, end: 3 });
  const r = compileRuleRegex(match(String.raw`"/(?P<v>\S+)=(?P=v)/i"`));
  assert.deepEqual(r.exec('aB\xe9=Ab\xe9', 0, false), { start: 0, end: 7, groups: ['aB\xe9'] });
  assert.equal(r.exec('\xe9=\xc9', 0, false), null, 'PCRE byte tables do not pair é with É');
});

const suricata = sharedData('rules/et-open-suricata-5.0');

test('every ET pcre compiles for running; safety classes counted', { skip: suricata.skip }, () => {
  const rules = loadRules([suricata.path]).rules;
  const counts: Record<string, number> = { linear: 0, quadratic: 0, unsafe: 0 };
  const sample: RuleRegex[] = [];
  for (const rule of rules)
    for (const m of rule.matches) {
      if (m.kind !== 'pcre') continue;
      const r = compileRuleRegex(m);
      counts[r.safety]!++;
      if (r.safety !== 'unsafe') sample.push(r);
    }
  console.log(`ET Suricata pcre safety: ${JSON.stringify(counts)}`);
  assert.ok(counts.linear! + counts.quadratic! + counts.unsafe! > 5000);
  assert.ok(counts.unsafe! > 0 && counts.linear! > 0 && counts.quadratic! > 0);
  // Safe ones run in this thread on a hostile-looking subject without a throw.
  const subject = `GET /${'a%20'.repeat(200)} HTTP/1.1\r\nHost: x\r\n\r\n`;
  for (const r of sample) assert.notEqual(r.exec(subject, 0, false), 'bounded');
});
