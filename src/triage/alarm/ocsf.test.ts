// biome-ignore-all lint/suspicious/noExplicitAny: OCSF JSON is walked by its paths
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAlarm } from './build.js';
import { alarmsJsonl, alarmToOcsf } from './ocsf.js';
import { HOSTILE, hostileAlarm } from './testing/hostile.js';
import { builtGroup, unknownSteps } from './testing/steps.js';

const BRUTE = 'ET SCAN LibSSH Based Frequent SSH Connections Likely Bruteforce Attack';

test('disposition and priority map to OCSF status, severity, action and disposition enums', () => {
  const blocked = alarmToOcsf(
    buildAlarm(
      builtGroup(BRUTE, { dstPort: 22 }),
      unknownSteps(BRUTE, 'brute-force', { connection: { blocked: 'yes' } }),
    ),
  );
  assert.deepEqual(
    [
      blocked.status_id,
      blocked.status,
      blocked.disposition_id,
      blocked.disposition,
      blocked.action_id,
      blocked.severity_id,
      blocked.is_alert,
    ],
    [3, 'Suppressed', 2, 'Blocked', 2, 2, false],
  );
  assert.equal(blocked.status_detail, 'triage: blocked');
  const compromise = buildAlarm(
    builtGroup(BRUTE, { dstPort: 22, count: 30 }),
    unknownSteps(BRUTE, 'brute-force', {
      connection: { established: 'yes' },
      response: { answered: 'yes', loginSucceeded: 'yes', basis: 'sshd' },
    }),
    {
      incident: 'Iabc',
      recommend: () => [{ kind: 'investigate', reason: 'a login followed the guessing', snippets: [] }],
    },
  );
  const o = alarmToOcsf(compromise) as Record<string, any>;
  assert.deepEqual(
    [o.status_id, o.disposition_id, o.action_id, o.severity_id, o.severity, o.is_alert, o.count],
    [1, 15, 1, 5, 'Critical', true, 30],
  );
  assert.deepEqual(o.finding_info.types, ['brute-force', 'likely-compromise']);
  assert.equal(o.finding_info.analytic.uid, '9000001');
  assert.equal(o.finding_info.related_events.length, 20, 'up to 20 alert uids kept');
  assert.equal(o.dst_endpoint.port, 22);
  assert.equal(o.remediation.desc, 'a login followed the guessing');
  assert.equal(o.unmapped.picket.incident, 'Iabc');
  assert.equal(o.unmapped.picket.response.login_succeeded, 'yes');
  assert.equal(o.start_time, compromise.ts * 1000);
  assert.equal(o.end_time, compromise.lastSeen * 1000);
});

test('alarms.jsonl: one JSON line per alarm, hostile text kept exactly and never breaking a line', () => {
  const alarms = HOSTILE.map((_, i) => hostileAlarm(i));
  const text = alarmsJsonl(alarms);
  const lines = text.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, alarms.length);
  lines.forEach((line, i) => {
    const o = JSON.parse(line) as Record<string, any>;
    assert.equal(o.finding_info.uid, alarms[i]!.uid);
    assert.equal(o.finding_info.title, alarms[i]!.title);
    assert.equal(o.unmapped.picket.rule.matched[0].excerpt, alarms[i]!.rule.matched[0]!.excerpt);
  });
});
