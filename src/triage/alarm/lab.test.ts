/**
 * The verdict chain on the lab's real traffic (examples/lab), all five steps
 * real: connection, rule, response, relevance (the shipped catalogue, what
 * the capture shows the hosts to run) and action. Each seed case must reach
 * the seed's conclusion.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { groupWithSid, labEvidence } from '../../../test/support/triage-lab.js';
import { loadRules } from '../../rules/load.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { formatAlarmStory } from '../../serve/cli/alarm-format.js';
import { renderReport } from '../../serve/report/report.js';
import { openSqliteStore } from '../../store/index.js';
import { recommendActions } from '../action/index.js';
import { connectionVerdict } from '../connection/index.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps, TriageLookup } from '../lookup.js';
import { loadCatalogue, relevanceVerdict } from '../relevance/index.js';
import { responseVerdict } from '../response/index.js';
import { gatherPayloads, ruleUnderstanding } from '../rule/index.js';
import { buildAlarm } from './build.js';
import { alarmsJsonl, alarmToOcsf } from './ocsf.js';

let dir = '';
let flows: FlowRecord[] = [];
let events: Event[] = [];
let http: HttpTransaction[] = [];
let ssh: SshBanner[] = [];
let groups: AlertGroup[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'picket-alarm-lab-'));
  ({ flows, events, http, ssh, groups } = await labEvidence());
});
after(() => rmSync(dir, { recursive: true, force: true }));

const rules = () => loadRules([join(repoRoot, 'rules')]).rules;
const full = () => memoryLookup({ flows, http, ssh, events, rules: rules() });
const noAuthLog = () =>
  memoryLookup({
    flows,
    http,
    ssh,
    events: events.filter((e) => !e.source.file?.endsWith('auth.log')),
    rules: rules(),
  });

const group = (sid: number): AlertGroup => groupWithSid(groups, sid);

const catalogue = loadCatalogue();

/** Steps 1 to 4 for real. `family` is what step 2 must find (checked when given). */
async function stepsFor(
  g: AlertGroup,
  lookup: TriageLookup,
  family: string | undefined,
): Promise<AlarmSteps> {
  const rule = g.sid !== undefined ? lookup.rule(g.sid, g.gid) : undefined;
  const steps: AlarmSteps = {
    connection: await connectionVerdict(g, lookup),
    rule: ruleUnderstanding(g, rule, await gatherPayloads(g, lookup)),
    response: await responseVerdict(g, lookup, rule),
    relevance: await relevanceVerdict(g, rule, lookup, catalogue, undefined),
  };
  if (family) assert.equal(steps.rule.family, family, `family of ${g.msg}`);
  return steps;
}

/** The alarm with step 5's real recommendations. */
function alarmOf(g: AlertGroup, steps: AlarmSteps) {
  return buildAlarm(g, steps, {
    recommend: (disposition) =>
      recommendActions({
        group: g,
        steps,
        disposition,
        rule: g.sid !== undefined ? full().rule(g.sid) : undefined,
      }),
  });
}

test('lab: the JCE scanner answered 404 by nginx (no Joomla) is a failed attempt, low: not vulnerable, block the source', async () => {
  const g = group(9900008);
  const a = alarmOf(g, await stepsFor(g, full(), 'scan'));
  assert.equal(a.connection.established, 'yes');
  assert.equal(a.response.http?.status, 404);
  assert.equal(a.relevance.applicable, 'no');
  assert.equal(a.disposition, 'failed-attempt');
  assert.equal(a.priority, 'low');
  assert.equal(a.title, 'Someone is scanning your network with JCE Joomla Scanner');
  assert.match(
    a.conclusion,
    /^The scan "JCE Joomla extension scanner User-Agent" from 10\.99\.1\.68 reached nginx\/1\.22\.1 on 10\.99\.0\.10:80 and was answered 404: the attempt failed \(not vulnerable: 10\.99\.0\.10 does not run joomla/,
  );
  assert.match(
    a.conclusion,
    /; block the source if it is not authorised, and add a WAF rule for the request\.$/,
  );
  assert.equal(a.actions[0]?.kind, 'block-source');
});

test('lab: the Nessus scan that got 200 needs a look (was it authorised?), low priority', async () => {
  const g = group(9900001);
  const a = alarmOf(g, await stepsFor(g, full(), 'scan'));
  assert.equal(a.disposition, 'needs-investigation');
  assert.equal(a.priority, 'low');
  assert.equal(a.title, 'Someone is scanning your network with Nessus');
  assert.match(
    a.conclusion,
    /answered 200: the scanner learnt the service is there; block the source if it is not authorised/,
  );
});

test('lab: rom-0 answered 404 by nginx, which is not a ZyXEL: not applicable, no action', async () => {
  const g = group(9900104);
  const a = alarmOf(g, await stepsFor(g, full(), 'exploit'));
  assert.equal(a.response.http?.status, 404);
  assert.equal(a.relevance.applicable, 'no');
  assert.equal(a.disposition, 'not-applicable');
  assert.equal(a.priority, 'low');
  assert.match(
    a.conclusion,
    /answered 404, but it targets zyxel-zynos, and 10\.99\.0\.10 runs nginx 1\.22\.1/,
  );
  assert.match(
    a.conclusion,
    /not applicable; no action needed \(optionally: suppress the signature for this host\)\.$/,
  );
  assert.equal(a.actions[0]?.kind, 'no-action');
});

test('lab: the Joomla RCE answered 200 by nginx without Joomla is not applicable', async () => {
  const g = group(9900102);
  const steps = await stepsFor(g, full(), 'exploit');
  assert.equal(steps.response.http?.status, 200);
  const a = alarmOf(g, steps);
  assert.equal(a.disposition, 'not-applicable');
  assert.equal(a.priority, 'low');
  assert.match(
    a.conclusion,
    /answered 200, but it targets joomla >=1\.5 <=3\.4\.5, and 10\.99\.0\.10 runs nginx/,
  );
  // Without relevance's answer, a 200 to an exploit cannot be decided.
  const undecided = alarmOf(g, { ...steps, relevance: { ...steps.relevance, applicable: 'unknown' } });
  assert.equal(undecided.disposition, 'needs-investigation');
  assert.equal(undecided.priority, 'medium');
  assert.match(
    undecided.conclusion,
    /cannot tell whether it worked, or whether the target runs what it aims at/,
  );
});

test('lab: the libssh brute force with only failed logins (auth.log) is a failed attempt, medium: SSH is exposed', async () => {
  const g = group(9900201);
  const a = alarmOf(g, await stepsFor(g, full(), 'brute-force'));
  assert.equal(a.title, 'Device or system brute force attempt');
  assert.equal(a.response.loginSucceeded, 'no');
  assert.equal(a.disposition, 'failed-attempt');
  assert.equal(a.priority, 'medium');
  assert.match(
    a.conclusion,
    /and no login succeeded: the guessing failed, but the service is exposed to the attacker/,
  );
  assert.match(a.conclusion, /; restrict who may reach SSH, and block the source if it is not authorised\.$/);
  assert.equal(a.actions[0]?.kind, 'restrict-ssh');
});

test('lab: the same brute force without sshd’s log cannot be decided, and is high: OpenSSH runs there', async () => {
  const g = group(9900201);
  const a = alarmOf(g, await stepsFor(g, noAuthLog(), 'brute-force'));
  assert.equal(a.response.loginSucceeded, 'unknown');
  assert.equal(a.relevance.applicable, 'yes', 'the server runs OpenSSH');
  assert.equal(a.disposition, 'needs-investigation');
  // The target runs the attacked service and nothing says whether a guess worked: high.
  assert.equal(a.priority, 'high');
  assert.match(a.conclusion, /the evidence cannot tell whether it worked; /);
});

test('lab: NULL and Xmas probes that nothing answered need no action', async () => {
  for (const sid of [9900304, 9900305]) {
    const g = group(sid);
    const a = alarmOf(g, await stepsFor(g, full(), 'scan'));
    assert.equal(a.connection.established, 'no');
    assert.deepEqual([a.disposition, a.priority], ['no-action', 'low'], a.msg);
    assert.match(
      a.conclusion,
      /never formed a connection with 10\.99\.0\.10:80: nothing answered; no action needed/,
    );
  }
});

test('lab: every alarm maps to an OCSF Detection Finding carrying its uid, severity and evidence', async () => {
  for (const g of groups) {
    const a = alarmOf(g, await stepsFor(g, full(), undefined));
    // biome-ignore lint/suspicious/noExplicitAny: the JSON is walked by its OCSF paths
    const o = alarmToOcsf(a) as Record<string, any>;
    assert.equal(o.class_uid, 2004);
    assert.equal(o.type_uid, 200401);
    assert.equal(o.finding_info.uid, a.uid);
    assert.equal(o.finding_info.title, a.title);
    assert.equal(o.severity_id, { low: 2, medium: 3, high: 4, critical: 5 }[a.priority]);
    assert.equal(o.unmapped.picket.disposition, a.disposition);
    assert.equal(o.src_endpoint.ip, a.src);
    const refs = o.evidences.slice(1).map((e: { data: { ref: string } }) => e.data.ref);
    for (const e of a.connection.evidence) assert.ok(refs.includes(e.ref), `evidence ${e.ref} kept`);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(o)));
  }
});

test('lab: every alarm round-trips through the store, and shows in alarms.jsonl, report.html and picket alarm', async () => {
  const alarms = [];
  for (const g of groups) alarms.push(alarmOf(g, await stepsFor(g, full(), undefined)));
  assert.equal(new Set(alarms.map((a) => a.uid)).size, groups.length);
  const store = openSqliteStore(join(dir, 'alarms.db'));
  await store.writeAlarms(alarms);
  for (const a of alarms) assert.deepEqual(await store.alarm(a.uid), a);
  assert.equal(
    (await store.queryAlarms({ disposition: 'not-applicable' })).length,
    alarms.filter((a) => a.disposition === 'not-applicable').length,
  );
  await store.close();

  const lines = alarmsJsonl(alarms).trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { finding_info: { uid: string } }).finding_info.uid),
    alarms.map((a) => a.uid),
  );
  const doc = renderReport({ incidents: [], alarms, findings: [] });
  for (const a of alarms) assert.ok(doc.includes(`id="${a.uid}"`), a.msg);
  // The Joomla payload's User-Agent is in the report as text only.
  assert.match(doc, /JDatabaseDriverMysqli/);
  assert.doesNotMatch(doc, /<script|\son\w+=/i);
  const story = formatAlarmStory(alarms.find((a) => a.sid === 9900102)!);
  assert.match(story, /http\.user_agent: .*⟦O:21:"JDatabaseDriverMysqli":3:\{⟧/);
  assert.match(story, /- cve 2015-8562: https:\/\/nvd\.nist\.gov\/vuln\/detail\/CVE-2015-8562/);
});
