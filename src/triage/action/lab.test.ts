/**
 * Step 5 on the lab's real traffic (examples/lab): every step run for real
 * (connection, rule, response, relevance), the alarm decided by
 * triage/alarm, and the recommendations checked against the seed's
 * conclusions: the JCE scan → block the source if unauthorised, and
 * suppress; the libssh brute force with no login → restrict SSH and
 * fail2ban; the Nessus scan → block if unauthorised and a WAF rule; the
 * rom-0 and Joomla attempts on a host without those products → no action.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type LabEvidence, labEvidence } from '../../../test/support/triage-lab.js';
import type { Alarm } from '../../schema/alarm.js';
import { buildAlarm } from '../alarm/build.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { connectionVerdict } from '../connection/verdict.js';
import type { AlarmSteps } from '../lookup.js';
import { loadCatalogue } from '../relevance/catalogue.js';
import { relevanceVerdict } from '../relevance/verdict.js';
import { responseVerdict } from '../response/verdict.js';
import { gatherPayloads } from '../rule/payloads.js';
import { ruleUnderstanding } from '../rule/understanding.js';
import { recommendActions } from './recommend.js';

let lab: LabEvidence;
const alarms = new Map<number, Alarm>();

before(async () => {
  lab = await labEvidence();
  const lookup = memoryLookup(lab);
  const catalogue = loadCatalogue();
  for (const group of lab.groups) {
    const rule = group.sid !== undefined ? lookup.rule(group.sid, group.gid) : undefined;
    const steps: AlarmSteps = {
      connection: await connectionVerdict(group, lookup),
      rule: ruleUnderstanding(group, rule, await gatherPayloads(group, lookup)),
      response: await responseVerdict(group, lookup, rule),
      relevance: await relevanceVerdict(group, rule, lookup, catalogue, undefined),
    };
    const alarm = buildAlarm(group, steps, {
      recommend: (disposition) => recommendActions({ group, steps, disposition, ...(rule ? { rule } : {}) }),
    });
    if (group.sid !== undefined) alarms.set(group.sid, alarm);
  }
});

function alarm(sid: number): Alarm {
  const a = alarms.get(sid);
  assert.ok(a, `the lab raises sid ${sid}`);
  return a;
}
const kinds = (a: Alarm) => a.actions.map((x) => x.kind);
const snippet = (a: Alarm, format: string) =>
  a.actions.flatMap((x) => x.snippets).find((s) => s.format === format)?.text;

test('lab JCE scan: block the source if unauthorised (nftables with the scanner address), and suppress', () => {
  const a = alarm(9900008);
  assert.ok(kinds(a).includes('block-source'), `${a.disposition}: ${kinds(a)}`);
  assert.ok(kinds(a).includes('suppress'));
  assert.match(a.actions.find((x) => x.kind === 'block-source')!.reason, /authoris/);
  assert.match(
    snippet(a, 'nftables')!,
    new RegExp(`add element inet picket block4 \\{ ${a.src.replace(/\./g, '\\.')} timeout 24h \\}`),
  );
  assert.match(
    snippet(a, 'threshold.config')!,
    new RegExp(`sig_id 9900008, track by_src, ip ${a.src.replace(/\./g, '\\.')}`),
  );
  assert.ok(!kinds(a).includes('patch'), 'nothing to patch on a host without Joomla');
});

test('lab libssh brute force with no login: restrict SSH (sshd_config, fail2ban) and block', () => {
  const a = alarm(9900201);
  assert.equal(a.response.loginSucceeded, 'no');
  assert.notEqual(a.disposition, 'likely-compromise');
  assert.ok(kinds(a).includes('restrict-ssh'), `${a.disposition}: ${kinds(a)}`);
  assert.ok(
    kinds(a).indexOf('restrict-ssh') < kinds(a).indexOf('block-source'),
    'SSH restricted first, as the seed does',
  );
  assert.match(snippet(a, 'sshd_config')!, new RegExp(`DenyUsers \\*@${a.src.replace(/\./g, '\\.')}`));
  assert.match(
    snippet(a, 'fail2ban jail.local')!,
    /^\[sshd\]$[\s\S]*^port {5}= 22$[\s\S]*^bantime {2}= 24h$/m,
  );
  assert.ok(!kinds(a).includes('waf-rule'));
});

test('lab Nessus scan: block if unauthorised, and a WAF rule on the User-Agent', () => {
  const a = alarm(9900001);
  assert.ok(kinds(a).includes('block-source'), `${a.disposition}: ${kinds(a)}`);
  const waf = snippet(a, 'modsecurity');
  assert.ok(waf, `${a.disposition}: ${kinds(a)}`);
  assert.match(waf, /SecRule REQUEST_HEADERS:User-Agent "@rx \(\?i\)Nessus" "id:\d+,phase:1,deny,status:403/);
});

test('lab rom-0 on a host that is not a ZyXEL, and Joomla RCE on a host without Joomla: no action', () => {
  for (const sid of [9900104, 9900102]) {
    const a = alarm(sid);
    assert.equal(a.disposition, 'not-applicable', `sid ${sid}: ${a.conclusion}`);
    assert.equal(kinds(a)[0], 'no-action');
    assert.ok(!kinds(a).includes('block-source') && !kinds(a).includes('patch'), `sid ${sid}: ${kinds(a)}`);
    const s = snippet(a, 'threshold.config');
    if (s) assert.match(s, new RegExp(`track by_dst, ip ${a.dst.replace(/\./g, '\\.')}`));
  }
});

test('lab: every alarm gets at least one recommendation, and every snippet is plain printable text', () => {
  assert.ok(alarms.size >= 8);
  for (const a of alarms.values()) {
    assert.ok(a.actions.length > 0, `${a.sid}`);
    for (const s of a.actions.flatMap((x) => x.snippets)) assert.match(s.text, /^[\x20-\x7e\n]*$/, s.text);
  }
});
