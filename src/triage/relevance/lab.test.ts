/**
 * Step 4 on the lab's real traffic (examples/lab): the seed's cases as the
 * starter rules raise them, then the same alerts as the ET rules would name
 * them (rule text read from the shared ET ruleset, which has no
 * affected_product metadata for these: the message and catalogue decide).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { type LabEvidence, labEvidence } from '../../../test/support/triage-lab.js';
import type { Rule } from '../../rules/ast.js';
import { loadRules } from '../../rules/load.js';
import type { RelevanceVerdict } from '../../schema/alarm.js';
import { memoryLookup } from '../connection/testing/memory-lookup.js';
import type { AlertGroup } from '../group.js';
import type { TriageLookup } from '../lookup.js';
import { loadCatalogue } from './catalogue.js';
import { parseInventory } from './inventory.js';
import { relevanceVerdict } from './verdict.js';

const catalogue = loadCatalogue();
let lab: LabEvidence;
let lookup: TriageLookup;

before(async () => {
  lab = await labEvidence();
  lookup = memoryLookup(lab);
});

function group(sid: number): AlertGroup {
  const g = lab.groups.find((x) => x.sid === sid);
  assert.ok(g, `the lab raises sid ${sid}; got ${lab.groups.map((x) => x.sid).join(', ')}`);
  return g;
}

async function verdict(
  g: AlertGroup,
  rule: Rule | undefined = lookup.rule(g.sid!, g.gid),
): Promise<RelevanceVerdict> {
  return relevanceVerdict(g, rule, lookup, catalogue, undefined);
}

test('Joomla RCE (CVE-2015-8562) against nginx without Joomla: not applicable, with the 404 and the server', async () => {
  const v = await verdict(group(9900102));
  assert.equal(v.applicable, 'no');
  assert.deepEqual(v.targets, [{ product: 'joomla', source: 'metadata', versions: '>=1.5 <=3.4.5' }]);
  assert.match(v.reason, /Joomla! CMS is not there on port 80: GET \/index\.php\?option=com_jce.* → 404/);
  assert.match(v.reason, /answers as nginx 1\.22\.1/);
  const notes = v.evidence.map((e) => `${e.kind} ${e.note}`);
  assert.ok(
    notes.some((n) => /^flow GET \/ → 200: a text\/html page of 81 bytes with no generator tag/.test(n)),
    notes.join('\n'),
  );
  assert.ok(notes.some((n) => /CVE-2015-8562 affects joomla versions >=1\.5 <=3\.4\.5/.test(n)));
  // The flows named are real flows of the lab between the two hosts.
  for (const e of v.evidence.filter((x) => x.kind === 'flow'))
    assert.ok(
      lab.flows!.some((f) => f.uid === e.ref),
      e.ref,
    );
  assert.deepEqual(v.asset, [{ product: 'nginx', version: '1.22.1', port: 80, source: 'passive' }]);
});

test('rom-0 against a host that is not a ZyNOS router: not applicable', async () => {
  const v = await verdict(group(9900104));
  assert.equal(v.applicable, 'no');
  assert.match(v.reason, /ZyNOS router firmware is not there on port 80: GET \/rom-0 → 404/);
  assert.ok(v.evidence.some((e) => /CVE-2014-4019/.test(e.note ?? '')));
});

test('JCE scanner on nginx without Joomla: not applicable (JCE needs Joomla; /index.php answered 404)', async () => {
  for (const sid of [9900008, 9900101]) {
    const v = await verdict(group(sid));
    assert.equal(v.applicable, 'no', `sid ${sid}`);
    assert.match(v.reason, /JCE \(Joomla extension\) needs Joomla! CMS; Joomla! CMS is not there on port 80/);
  }
});

test('libssh brute force: OpenSSH answers on port 22, so the rule applies', async () => {
  const v = await verdict(group(9900201));
  assert.equal(v.applicable, 'yes');
  assert.match(v.reason, /OpenSSH 9\.2p1 runs on port 22 \(passive\)/);
});

test('Nessus User-Agent names no product but inspects HTTP: nginx answered on 80, so it applies; a NULL scan aims at nothing', async () => {
  const v = await verdict(group(9900001));
  assert.equal(v.applicable, 'yes', v.reason);
  assert.match(v.reason, /names no product but aims at an HTTP server \(its protocol is http\)/);
  assert.match(v.reason, /nginx 1\.22\.1 answers on port 80 \(passive\)/);
  assert.ok(v.evidence.some((e) => e.kind === 'flow' && lab.flows!.some((f) => f.uid === e.ref)));
  const nullScan = await verdict(group(9900305));
  assert.equal(nullScan.applicable, 'unknown');
  assert.match(nullScan.reason, /names no product/);
  assert.doesNotMatch(nullScan.reason, /aimed at Any/, 'attack_target Any says nothing');
});

test('without the traffic of the attack, the same case is unknown (no claim from absence of evidence)', async () => {
  const g = group(9900102);
  const empty = memoryLookup({ events: lab.events });
  const v = await relevanceVerdict(g, lookup.rule(g.sid!, g.gid), empty, catalogue, undefined);
  assert.equal(v.applicable, 'unknown');
});

test('an inventory saying the web host runs Joomla 3.4.1: presence the user states outranks a 404 (never hide an exposure)', async () => {
  const inv = parseInventory(
    'version: 1\nassets:\n  - address: 10.99.0.10\n    runs: [{ product: joomla, version: 3.4.1, port: 80 }]\n',
    'inventory.yaml',
    catalogue,
  );
  assert.ok(inv.ok);
  const v = await relevanceVerdict(group(9900102), undefined, lookup, catalogue, inv.inventory);
  assert.equal(
    v.applicable,
    'yes',
    'the user says it runs an affected version: a claim of presence outranks a 404',
  );
  assert.match(
    v.reason,
    /Joomla! CMS 3\.4\.1 runs on port 80 \(inventory\); affected versions are >=1\.5 <=3\.4\.5: in range/,
  );
});

const et = sharedData('rules/et-open-suricata-5.0');

test('the same alerts named by the ET rules (no affected_product): message, catalogue and service give the same answers', {
  skip: et.skip,
}, async () => {
  const wanted = new Map([
    [2022263, { like: 9900102, applicable: 'no', product: 'joomla' }],
    [2018232, { like: 9900104, applicable: 'no', product: 'zyxel-zynos' }],
    [2016032, { like: 9900008, applicable: 'no', product: 'jce' }],
    // No affected_product and no product in the message: judged as "an SSH server" (alert ssh ... 22).
    [2006546, { like: 9900201, applicable: 'yes', product: 'ssh-server' }],
  ]);
  const lines: string[] = [];
  for (const f of readdirSync(et.path).filter((n) => n.endsWith('.rules')))
    for (const line of readFileSync(join(et.path, f), 'utf8').split('\n'))
      for (const sid of wanted.keys())
        if (line.startsWith('alert') && line.includes(`sid:${sid};`)) lines.push(line);
  assert.equal(lines.length, wanted.size, 'each ET rule found once');
  const dir = mkdtempSync(join(tmpdir(), 'picket-relevance-et-'));
  try {
    writeFileSync(join(dir, 'seed.rules'), `${lines.join('\n')}\n`);
    const rules = loadRules([join(dir, 'seed.rules')]).rules;
    for (const [sid, want] of wanted) {
      const rule = rules.find((r) => r.sid === sid);
      assert.ok(rule, `ET sid ${sid} parsed`);
      const g = { ...group(want.like), sid, msg: rule.msg };
      const v = await verdict(g, rule);
      assert.equal(v.applicable, want.applicable, `${sid} ${rule.msg}: ${v.reason}`);
      assert.ok(
        v.targets.some((t) => t.product === want.product),
        `${sid} targets ${want.product}`,
      );
    }
    const libssh = rules.find((r) => r.sid === 2006546)!;
    const ssh = await verdict({ ...group(9900201), sid: 2006546, msg: libssh.msg }, libssh);
    assert.match(ssh.reason, /aims at an SSH server \(its protocol is ssh\), and 10\.99\.0\.11 runs one/);
    assert.match(ssh.reason, /OpenSSH 9\.2p1 answers on port 22 \(passive\)/);
    const joomla = await verdict(
      { ...group(9900102), sid: 2022263, msg: 'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)' },
      rules.find((r) => r.sid === 2022263),
    );
    assert.equal(
      joomla.targets.find((t) => t.product === 'joomla')?.versions,
      '>=1.5 <=3.4.5',
      'the catalogue ties the ET rule to CVE-2015-8562',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
