/**
 * Step 2 on the lab's real traffic (examples/lab): the seed's titles, the
 * references as links, and the bytes each starter rule matched, found again
 * in the capture's HTTP transactions and SSH banners (and, without the
 * capture, in what Suricata-style EVE alerts carry).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { groupWithSid, labEvidence } from '../../../test/support/triage-lab.js';
import type { Rule } from '../../rules/ast.js';
import type { MatchedBytes } from '../../schema/alarm.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import { type AlertGroup, groupAlerts } from '../group.js';
import { gatherPayloads } from './payloads.js';
import { ruleUnderstanding } from './understanding.js';

let flows: FlowRecord[] = [];
let events: Event[] = [];
let http: HttpTransaction[] = [];
let ssh: SshBanner[] = [];
let groups: AlertGroup[] = [];
let eveGroups: AlertGroup[] = [];
let rules: Rule[] = [];

before(async () => {
  const lab = await labEvidence({ eveAlerts: true });
  ({ flows, events, http, ssh, groups, rules } = lab);
  eveGroups = groupAlerts(lab.eveAlerts);
});

const group = groupWithSid;

const span = (m: MatchedBytes) => m.excerpt.slice(m.start, m.end);

const seed = [
  {
    sid: 9900008,
    family: 'scan',
    title: 'Someone is scanning your network with JCE Joomla Scanner',
    buffer: 'http.user_agent',
    bytes: ['(BOT for JCE)'],
  },
  {
    sid: 9900201,
    family: 'brute-force',
    title: 'Device or system brute force attempt',
    buffer: 'ssh.software',
    bytes: ['libssh'],
  },
  {
    sid: 9900001,
    family: 'scan',
    title: 'Someone is scanning your network with Nessus',
    buffer: 'http.user_agent',
    bytes: ['Nessus'],
  },
  {
    sid: 9900104,
    family: 'exploit',
    title: 'Attempt to download the configuration of a ZyXEL router (rom-0)',
    buffer: 'http.uri',
    bytes: ['/rom-0'],
  },
  {
    sid: 9900102,
    family: 'exploit',
    title: 'Remote code execution attempt against Joomla (CVE-2015-8562)',
    buffer: 'http.user_agent',
    bytes: ['O:'],
  },
] as const;

for (const c of seed) {
  test(`lab: sid ${c.sid} reads "${c.title}" and the matched bytes are found in the capture`, async () => {
    const lookup = memoryLookup({ flows, http, ssh, events, rules });
    const g = group(groups, c.sid);
    const u = ruleUnderstanding(g, lookup.rule(c.sid), await gatherPayloads(g, lookup));
    assert.equal(u.family, c.family);
    assert.equal(u.alarmTitle, c.title);
    assert.ok(u.explanation && u.explanation.length > 20, 'the rule is explained');
    assert.ok(u.evidence.some((e) => e.kind === 'rule' && e.ref === `sid:${c.sid}`));
    const inBuffer = u.matched.filter((m) => m.buffer === c.buffer);
    assert.ok(inBuffer.length > 0, `a match in ${c.buffer}: ${JSON.stringify(u.matched)}`);
    for (const want of c.bytes)
      assert.ok(
        inBuffer.some((m) => span(m).toLowerCase() === want.toLowerCase()),
        `span ${want} in ${JSON.stringify(inBuffer)}`,
      );
    assert.ok(
      u.evidence.some((e) => e.kind === 'http' || e.kind === 'flow'),
      'the session is named',
    );
    for (const m of u.matched) assert.match(m.excerpt, /^[\x20-\x7e…]*$/, 'excerpt is printable ASCII');
  });
}

test('lab: the Joomla UA match covers the serialized object, escaped, with the pcre span', async () => {
  const lookup = memoryLookup({ flows, http, ssh, events, rules });
  const g = group(groups, 9900102);
  const u = ruleUnderstanding(g, lookup.rule(9900102), await gatherPayloads(g, lookup));
  const pcre = u.matched.find((m) => /^O:\d+:"/.test(span(m)));
  assert.ok(pcre, JSON.stringify(u.matched));
  assert.match(span(pcre), /^O:\d{1,5}:"[A-Za-z_][A-Za-z0-9_]*":\d+:\{$/);
  // The UA holds NUL bytes ("\0\0\0a"): shown as \x00, never raw.
  const ua = http.find((t) => t.userAgent.includes('JDatabaseDriverMysqli'))!;
  assert.ok(ua, 'the lab sent the seed UA');
  if (ua.userAgent.includes('\u0000')) assert.ok(u.matched.some((m) => m.excerpt.includes('\\x00')));
});

test('lab: references resolve to NVD and https links', async () => {
  const lookup = memoryLookup({ flows, http, ssh, events, rules });
  const joomla = ruleUnderstanding(group(groups, 9900102), lookup.rule(9900102));
  assert.deepEqual(joomla.references, [
    { type: 'cve', value: '2015-8562', url: 'https://nvd.nist.gov/vuln/detail/CVE-2015-8562' },
  ]);
  const rom = ruleUnderstanding(group(groups, 9900104), lookup.rule(9900104));
  assert.deepEqual(
    rom.references.map((r) => r.url),
    ['https://nvd.nist.gov/vuln/detail/CVE-2014-4019', 'https://www.exploit-db.com/exploits/33803'],
  );
  assert.deepEqual(rom.metadata.affected_product, ['ZyXEL_ZynOS']);
  assert.deepEqual(rom.metadata.attack_target, ['Networking_Equipment']);
});

test('lab: a flag-only rule (TCP NULL scan) has no bytes to show and says so', async () => {
  const lookup = memoryLookup({ flows, http, ssh, events, rules });
  const g = group(groups, 9900305);
  const u = ruleUnderstanding(g, lookup.rule(9900305), await gatherPayloads(g, lookup));
  assert.equal(u.family, 'scan');
  assert.equal(u.alarmTitle, 'Someone is scanning your network (a TCP NULL scan)');
  assert.deepEqual(u.matched, []);
});

test('lab: from EVE alerts alone (no capture), the User-Agent and URI the alert carries are matched', async () => {
  const lookup = memoryLookup({ rules });
  for (const [sid, buffer, want] of [
    [9900001, 'http.user_agent', 'nessus'],
    [9900008, 'http.user_agent', '(bot for jce)'],
    [9900104, 'http.uri', '/rom-0'],
  ] as const) {
    const g = group(eveGroups, sid);
    const u = ruleUnderstanding(g, lookup.rule(sid), await gatherPayloads(g, lookup));
    const m = u.matched.find((x) => x.buffer === buffer);
    assert.ok(m, `sid ${sid}: ${JSON.stringify(u.matched)}`);
    assert.equal(span(m).toLowerCase(), want);
    assert.ok(u.evidence.some((e) => e.kind === 'alert'));
  }
});

test('lab: without the rule text the title still comes from the alert message', async () => {
  const g = group(eveGroups, 9900001);
  const u = ruleUnderstanding(g, undefined);
  assert.equal(u.alarmTitle, 'Someone is scanning your network with Nessus');
  assert.equal(u.explanation, undefined);
  assert.deepEqual(u.references, []);
  assert.ok(u.evidence.some((e) => /not loaded/.test(e.note ?? '')));
});
