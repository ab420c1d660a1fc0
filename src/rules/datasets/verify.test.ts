/**
 * The suricata-verify dataset cases, as a guide: rules read from the shared
 * data and parsed by the real parser; their dataset conditions run against
 * the values each case's writepcap.py or pcap carries; the sids that alert
 * are compared with what each test.yaml expects.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { sharedData } from '../../../test/support/env.js';
import type { Rule } from '../ast.js';
import type { DatasetCondition } from '../keywords/dataset.js';
import { newSpecCache } from '../parse/header.js';
import { splitRuleLines } from '../parse/lines.js';
import { defaultReferenceSystems } from '../parse/reference.js';
import { parseRule } from '../parse/rule.js';
import { defaultVars } from '../parse/variables.js';
import { applyTransforms, TRANSFORM_FAILED } from '../transforms/index.js';
import { createDatasetStore, type DatasetStore } from './store.js';

const enc = (s: string) => new TextEncoder().encode(s);

function rulesOf(path: string): Rule[] {
  return splitRuleLines(readFileSync(path, 'utf8'))
    .filter((l) => !l.disabled)
    .map((l) => {
      const r = parseRule(l, {
        vars: defaultVars(),
        cache: newSpecCache(),
        keywords: { classifications: new Map(), references: defaultReferenceSystems() },
        file: path,
      });
      if (!('rule' in r)) throw new Error(`${path}:${l.line}: ${r.error}`);
      return r.rule;
    });
}

/** Alert counts per sid the case expects (checks on one signature_id). */
function expectedCounts(dir: string): Map<number, number> {
  const y = parseYaml(readFileSync(join(dir, 'test.yaml'), 'utf8')) as {
    checks?: Array<{ filter?: { count?: number; match?: Record<string, unknown> } }>;
  };
  const out = new Map<number, number>();
  for (const c of y.checks ?? []) {
    const sid = c.filter?.match?.['alert.signature_id'];
    if (typeof sid === 'number' && sid > 0) out.set(sid, c.filter?.count ?? 0);
  }
  return out;
}

/** Runs each (buffer name, value) event through every rule whose dataset condition inspects that buffer. */
function alertCounts(
  rules: Rule[],
  store: DatasetStore,
  events: Array<[string, string]>,
): Map<number, number> {
  const counts = new Map<number, number>(rules.map((r) => [r.sid, 0]));
  for (const [buffer, value] of events) {
    for (const r of rules) {
      const conds = r.conditions
        .filter((c) => c.keyword === 'dataset' || c.keyword === 'datarep')
        .map((c) => c.value as DatasetCondition);
      if (conds.length === 0 || conds.some((c) => c.buffer !== buffer)) continue;
      const hit = conds.every((c) => {
        const bytes = applyTransforms(c.transforms, enc(value));
        return bytes !== TRANSFORM_FAILED && store.check(c, bytes);
      });
      if (hit) counts.set(r.sid, counts.get(r.sid)! + 1);
    }
  }
  return counts;
}

function assertExpected(dir: string, got: Map<number, number>): void {
  const want = expectedCounts(dir);
  assert.ok(want.size > 0, 'the case names sids');
  for (const [sid, n] of want) assert.equal(got.get(sid) ?? 0, n, `sid ${sid}`);
}

const set03 = sharedData('verify/tests/datasets-03-set');
test('verify datasets-03-set: three identical queries alert once', { skip: set03.skip }, () => {
  const rules = rulesOf(join(set03.path, 'test.rules'));
  const store = createDatasetStore({ ruleDir: set03.path });
  const q: [string, string] = ['dns.query', 'example.com'];
  assertExpected(set03.path, alertCounts(rules, store, [q, q, q]));
});

const set04 = sharedData('verify/tests/datasets-04-http-dns');
test('verify datasets-04-http-dns: the HTTP host finds the DNS query already in the shared set', {
  skip: set04.skip,
}, () => {
  const rules = rulesOf(join(set04.path, 'test.rules'));
  const store = createDatasetStore({ ruleDir: set04.path });
  const got = alertCounts(rules, store, [
    ['dns.query', 'example.com'],
    ['http.host', 'example.com'],
  ]);
  assertExpected(set04.path, got);
  assert.equal(got.get(2), 0);
});

const rep = sharedData('verify/tests/datarep-01');
test('verify datarep-01: google.com has reputation 255 > 200', { skip: rep.skip }, () => {
  const rules = rulesOf(join(rep.path, 'datarep.rules'));
  const store = createDatasetStore({ ruleDir: rep.path });
  assertExpected(rep.path, alertCounts(rules, store, [['dns.query', 'google.com']]));
  assert.equal(
    alertCounts(rules, createDatasetStore({ ruleDir: rep.path }), [['dns.query', 'example.com']]).get(1),
    0,
  );
});

const memcap = sharedData('verify/tests/datasets-memcap-01');
test('verify datasets-memcap-01: a small memcap and hashsize 1 still hold the one entry', {
  skip: memcap.skip,
}, () => {
  const rules = rulesOf(join(memcap.path, 'test.rules'));
  const store = createDatasetStore({ ruleDir: memcap.path });
  assertExpected(memcap.path, alertCounts(rules, store, [['http.user_agent', 'curl/7.43.0']]));
  const [s] = store.stats();
  assert.deepEqual([s!.entries, s!.refused, s!.memcap], [1, 0, 88074]);
  assert.ok(s!.memoryUsed <= 88074);
});

// The case's datasets.csv is not in the shared data (a million lines); a file of the same shape is generated.
const oneM = sharedData('verify/tests/datasets-1m-StringSets');
test('verify datasets-1m-StringSets: a million-string set loads, isset finds the agent, isnotset does not', {
  skip: oneM.skip,
}, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-1m-'));
  const lines: string[] = [];
  for (let i = 0; i < 1_000_000; i++)
    lines.push(Buffer.from(`Mozilla/5.0 (agent ${i}; x${(i * 7919) % 100003})`).toString('base64'));
  lines[654_321] = Buffer.from('curl/7.43.0').toString('base64');
  writeFileSync(join(dir, 'datasets.csv'), `${lines.join('\n')}\n`);
  const rules = rulesOf(join(oneM.path, 'test.rules'));
  const store = createDatasetStore({ ruleDir: dir });
  const t0 = performance.now();
  const got = alertCounts(rules, store, [['http.user_agent', 'curl/7.43.0']]);
  const ms = performance.now() - t0;
  assertExpected(oneM.path, got);
  const [s] = store.stats();
  assert.equal(s!.entries, 1_000_000);
  assert.equal(s!.refused, 0);
  t.diagnostic(
    `1M strings: load+check ${ms.toFixed(0)} ms, set memory ${(s!.memoryUsed / 2 ** 20).toFixed(1)} MiB`,
  );
});
