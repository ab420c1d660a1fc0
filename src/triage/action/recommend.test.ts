/** Recommendations per verdict on built steps: the cases the lab does not have (compromise, blocked, IPv6, no rule text). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Disposition } from '../../schema/alarm.js';
import type { AlertGroup } from '../group.js';
import type { AlarmSteps } from '../lookup.js';
import { recommendActions } from './recommend.js';

const group = (over: Partial<AlertGroup> = {}): AlertGroup => ({
  key: 'k',
  sid: 9900102,
  gid: 1,
  msg: 'PICKET EXPLOIT Joomla serialized PHP object in User-Agent (CVE-2015-8562)',
  src: '203.0.113.9',
  dst: '198.51.100.10',
  dstPort: 80,
  ts: 1,
  lastSeen: 2,
  count: 1,
  alerts: [],
  sourceKinds: ['pcap'],
  ...over,
});

function steps(family: string, over: Partial<AlarmSteps> = {}): AlarmSteps {
  return {
    connection: {
      established: 'yes',
      dataExchanged: 'yes',
      blocked: 'no',
      basis: ['pcap'],
      summary: '',
      evidence: [{ kind: 'flow', ref: 'CAbc123' }],
    },
    rule: {
      sid: 9900102,
      gid: 1,
      msg: 'PICKET EXPLOIT Joomla serialized PHP object in User-Agent (CVE-2015-8562)',
      family,
      alarmTitle: 't',
      references: [
        { type: 'cve', value: '2015-8562', url: 'https://nvd.nist.gov/vuln/detail/CVE-2015-8562' },
      ],
      metadata: {},
      matched: [
        { buffer: 'http.user_agent', excerpt: '}__test|O:21:"JDatabaseDriverMysqli"', start: 8, end: 13 },
      ],
      evidence: [],
    },
    response: { answered: 'yes', attemptFailed: 'no', basis: 'http', meaning: '', evidence: [] },
    relevance: {
      applicable: 'yes',
      targets: [{ product: 'joomla', versions: '>=1.5 <=3.4.5', source: 'catalogue' }],
      asset: [{ product: 'joomla', version: '3.4.1', source: 'passive' }],
      reason: 'Joomla 3.4.1 answers on port 80',
      evidence: [],
    },
    ...over,
  };
}

const kinds = (d: Disposition, s = steps('exploit'), g = group()) =>
  recommendActions({ group: g, steps: s, disposition: d }).map((a) => a.kind);

test('likely compromise: investigate first, then block and patch with the affected range', () => {
  const recs = recommendActions({
    group: group(),
    steps: steps('exploit'),
    disposition: 'likely-compromise',
  });
  assert.deepEqual(recs.map((a) => a.kind).slice(0, 3), ['investigate', 'block-source', 'patch']);
  assert.match(
    recs[0]!.snippets[0]!.text,
    /tshark -r CAPTURE\.pcap -Y "ip\.addr == 203\.0\.113\.9 && ip\.addr == 198\.51\.100\.10"/,
  );
  assert.match(recs[0]!.snippets[0]!.text, /# session CAbc123/);
  const patch = recs.find((a) => a.kind === 'patch')!.snippets[0]!.text;
  assert.match(
    patch,
    /joomla: affected versions >=1\.5 <=3\.4\.5 \(CVE-2015-8562\)\. This host reports 3\.4\.1\. Upgrade to a release after 3\.4\.5/,
  );
});

test('a login after a brute force: investigate, block, restrict SSH; no WAF', () => {
  const s = steps('brute-force', {
    response: {
      answered: 'yes',
      attemptFailed: 'no',
      loginSucceeded: 'yes',
      basis: 'sshd',
      meaning: '',
      evidence: [],
    },
  });
  const k = kinds('likely-compromise', s, group({ dstPort: 22 }));
  assert.deepEqual(k.slice(0, 3), ['investigate', 'block-source', 'restrict-ssh']);
  assert.ok(!k.includes('waf-rule'));
});

test('blocked by the firewall: no action; not applicable exploit: no action, no patch', () => {
  assert.deepEqual(kinds('blocked'), ['no-action']);
  const na = steps('exploit', { relevance: { ...steps('exploit').relevance, applicable: 'no' } });
  assert.deepEqual(kinds('not-applicable', na), ['no-action', 'suppress']);
});

test('a failed exploit: block, WAF from the matched bytes when the rule text is not loaded, prevention by sid', () => {
  const recs = recommendActions({ group: group(), steps: steps('exploit'), disposition: 'failed-attempt' });
  assert.deepEqual(
    recs.map((a) => a.kind),
    ['block-source', 'waf-rule', 'prevention-mode', 'patch'],
  );
  const waf = recs.find((a) => a.kind === 'waf-rule')!.snippets[0]!.text;
  assert.match(waf, /SecRule REQUEST_HEADERS:User-Agent "@rx O\\x3a21\\x3a"/);
  const prevention = recs.find((a) => a.kind === 'prevention-mode')!.snippets.map((s) => s.format);
  assert.deepEqual(prevention, ['suricata-update drop.conf', 'suricata-update modify.conf']);
});

test('IPv6 sources get ip6tables, an inet6 ipset and the block6 set; a non-address source gets no firewall snippet', () => {
  const v6 = recommendActions({
    group: group({ src: '2001:DB8::9' }),
    steps: steps('scan'),
    disposition: 'failed-attempt',
  });
  const text = v6
    .find((a) => a.kind === 'block-source')!
    .snippets.map((s) => s.text)
    .join('\n');
  assert.match(text, /add element inet picket block6 \{ 2001:db8::9 timeout 24h \}/);
  assert.match(text, /ip6tables -I INPUT -s 2001:db8::9 /);
  assert.match(text, /hash:ip family inet6/);
  const bad = recommendActions({
    group: group({ src: 'evil.example' }),
    steps: steps('scan'),
    disposition: 'failed-attempt',
  });
  const block = bad.find((a) => a.kind === 'block-source')!;
  assert.deepEqual(block.snippets, []);
  assert.match(block.reason, /not a literal address/);
});

test('not applicable: the no-action advice quotes relevance’s reason whole, punctuation kept (the Joomla case was cut mid-word)', () => {
  const reason =
    'Not applicable: 10.99.0.10 does not run what the rule targets (Joomla! CMS): Joomla! CMS is not there on port 80: ' +
    'GET /index.php?option=com_jce&task=plugin&plugin=imgmanager&file=imgmanager&version=1576&cid=20 → 404, a path every ' +
    'Joomla! CMS install serves (passive); the port answers as nginx 1.22.1 (passive).';
  const s = steps('exploit');
  s.relevance = { ...s.relevance, applicable: 'no', reason };
  const recs = recommendActions({ group: group(), steps: s, disposition: 'not-applicable' });
  const none = recs.find((a) => a.kind === 'no-action');
  assert.ok(none);
  assert.ok(none.reason.endsWith(reason), none.reason);
  // A hostile reason stays inert and, past the backstop bound, ends on a whole word.
  s.relevance = { ...s.relevance, reason: `${'word '.repeat(400)}\u001b[2J\u202e` };
  const hostile = recommendActions({ group: group(), steps: s, disposition: 'not-applicable' })[0]!;
  assert.ok(!/[\u0000-\u001f\u202e]/.test(hostile.reason));
  assert.match(hostile.reason, /word…$/);
});
