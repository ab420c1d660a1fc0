/** Picket's own starter rules (rules/ at the repository root): load fully, ids in range, seed cases covered. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../test/support/env.js';
import type { ContentMatch, Rule } from './ast.js';
import { rulesCheck } from './check.js';
import { explainRule } from './explain.js';
import { loadRules } from './load.js';

const loaded = loadRules([join(repoRoot, 'rules')]);
const rules = loaded.rules;

const contents = (r: Rule) =>
  r.matches
    .filter((m): m is ContentMatch => m.kind === 'content')
    .map((m) => `${m.buffer}:${Buffer.from(m.bytes).toString('latin1')}`);
const cond = (r: Rule, k: string) => r.conditions.find((c) => c.keyword === k)?.value;
/** The one rule whose contents include this buffer:text. */
function ruleWith(bufferAndText: string): Rule {
  const found = rules.filter((r) => contents(r).includes(bufferAndText));
  assert.equal(found.length, 1, `one rule matching ${bufferAndText}, found ${found.map((r) => r.sid)}`);
  return found[0]!;
}

test('the starter set loads completely: every rule full, nothing rejected, configs clean', () => {
  const c = rulesCheck(loaded);
  assert.equal(c.rejected, 0, JSON.stringify(loaded.rejected));
  assert.deepEqual(loaded.configProblems, []);
  assert.equal(c.full, c.total, `ignored keywords: ${JSON.stringify(c.ignoredKeywords)}`);
  assert.ok(c.total >= 20 && c.total <= 40, `${c.total} rules`);
  assert.equal(c.disabled, 0);
});

test('ids, messages, classes and metadata follow Picket conventions', () => {
  const sids = new Set<number>();
  for (const r of rules) {
    assert.ok(r.sid >= 9900001 && r.sid <= 9909999, `sid ${r.sid} in Picket's range`);
    assert.ok(!sids.has(r.sid), `sid ${r.sid} unique`);
    sids.add(r.sid);
    assert.equal(r.gid, 1);
    assert.ok(r.rev >= 1);
    assert.ok(r.msg.startsWith('PICKET '), r.msg);
    assert.ok(r.classtype && loaded.classifications.has(r.classtype), `${r.sid} classtype ${r.classtype}`);
    assert.ok(r.priority !== undefined, `${r.sid} has a priority from its class`);
    assert.match(r.metadata.created_at?.[0] ?? '', /^\d{4}_\d{2}_\d{2}$/, `${r.sid} created_at`);
    assert.ok(r.metadata.affected_product?.length, `${r.sid} affected_product`);
    for (const ref of r.references)
      assert.match(ref.url ?? '', /^https:\/\//, `${r.sid} reference ${ref.id}`);
  }
});

test("the analyst's seed cases each have a rule", () => {
  ruleWith('http.user_agent:Nessus');
  ruleWith('http.user_agent:Nmap Scripting Engine');
  ruleWith('http.user_agent:Nmap NSE');
  ruleWith('http.user_agent:masscan/');
  ruleWith('http.user_agent:zgrab/');
  ruleWith('http.user_agent:sqlmap/');
  ruleWith('http.user_agent:(Nikto/');
  ruleWith('http.uri:/index.php?option=com_jce');
  const zyxel = ruleWith('http.uri:/rom-0');
  assert.deepEqual(cond(zyxel, 'urilen'), { test: { op: '=', value: 6 }, raw: false });
  const joomla = rules.filter((r) => r.references.some((x) => x.system === 'cve' && x.id === '2015-8562'));
  assert.deepEqual(
    joomla.map((r) => r.matches.map((m) => m.buffer)[0]),
    ['http.user_agent', 'http.header'],
    'serialized PHP in the User-Agent and in X-Forwarded-For',
  );
  const libssh = ruleWith('ssh.software:libssh');
  assert.deepEqual(cond(libssh, 'threshold'), { type: 'both', track: 'by_src', count: 5, seconds: 60 });
  assert.ok(rules.filter((r) => contents(r).some((c) => c.startsWith('ssh.software:'))).length >= 3);
  ruleWith('http.uri.raw:/../');
  ruleWith('http.uri:/etc/passwd');
  assert.equal(rules.filter((r) => contents(r).some((c) => c.endsWith(':base64_decode'))).length, 2);
  ruleWith('http.uri:/.env');
  const wp = ruleWith('http.uri:/wp-login.php');
  assert.deepEqual(cond(wp, 'detection_filter'), { track: 'by_src', count: 10, seconds: 60 });
  const sweep = rules.find((r) => r.header.protocol === 'icmp' && cond(r, 'threshold'));
  assert.ok(sweep, 'an ICMP ping sweep rule with a threshold');
  assert.deepEqual(cond(sweep, 'itype'), { op: '=', value: 8 });
});

test('every starter rule explains in words, with its rate and links', () => {
  for (const r of rules) {
    const e = explainRule(r, { classifications: loaded.classifications });
    assert.ok(e.summary.length > 40, `${r.sid}: ${e.summary}`);
    assert.equal(e.ignored.length, 0);
    assert.ok(e.classification?.text.includes('priority'), `${r.sid}`);
  }
  const wp = explainRule(ruleWith('http.uri:/wp-login.php'));
  assert.equal(
    wp.rate,
    'Alerts only once more than 10 matches were seen within 60 seconds per source, then on every further match',
  );
  const joomla = rules.find((r) => r.sid === 9900102)!;
  assert.deepEqual(
    explainRule(joomla).references.map((x) => x.url),
    ['https://nvd.nist.gov/vuln/detail/CVE-2015-8562'],
  );
});
