/**
 * Families and titles: the seed's five examples as ET writes them, Picket's
 * starter rules, and every message of the shared ET Open ruleset (each gets
 * a family and a bounded, printable title).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../../../test/support/env.js';
import { loadRules } from '../../rules/load.js';
import { ruleFamilies, ruleFamily } from './family.js';
import { alarmTitle } from './title.js';

const seedEt = [
  [
    'ET SCAN JCE Joomla Scanner',
    'web-application-attack',
    'scan',
    'Someone is scanning your network with JCE Joomla Scanner',
    [],
  ],
  [
    'ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack',
    'attempted-admin',
    'brute-force',
    'Device or system brute force attempt',
    [],
  ],
  [
    'ET SCAN Nessus User Agent',
    'attempted-recon',
    'scan',
    'Someone is scanning your network with Nessus',
    [],
  ],
  [
    'ET EXPLOIT Possible ZyXELs ZynOS Configuration Download Attempt (Contains Passwords)',
    'attempted-admin',
    'exploit',
    'Attempt to download the configuration of a ZyXEL router (rom-0)',
    ['/rom-0'],
  ],
  [
    'ET EXPLOIT Joomla RCE M2 (Serialized PHP in UA)',
    'web-application-attack',
    'exploit',
    'Remote code execution attempt against Joomla (CVE-2015-8562)',
    ['O:'],
  ],
] as const;

for (const [msg, classtype, family, title, contents] of seedEt) {
  test(`seed: "${msg}" → ${family}, "${title}"`, () => {
    const f = ruleFamily({ msg, classtype });
    assert.equal(f, family);
    assert.equal(alarmTitle(f, { msg, contents }), title);
  });
}

test('families: the message category wins over the classtype, ET former_category over a catch-all', () => {
  assert.equal(
    ruleFamily({ msg: 'ET WEB_SPECIFIC_APPS JCE Joomla Extension', classtype: 'web-application-attack' }),
    'web-attack',
  );
  assert.equal(
    ruleFamily({ msg: 'ET POLICY curl User-Agent Outbound', classtype: 'attempted-recon' }),
    'policy',
  );
  assert.equal(ruleFamily({ msg: 'ET TROJAN Something CnC Beacon', classtype: 'trojan-activity' }), 'trojan');
  assert.equal(ruleFamily({ msg: 'ET DOS Possible NTP DDoS', classtype: 'attempted-dos' }), 'dos');
  assert.equal(
    ruleFamily({ msg: 'ET INFO Observed DNS Query to .cloud TLD', classtype: 'bad-unknown' }),
    'info',
  );
  assert.equal(
    ruleFamily({
      msg: 'ET CURRENT_EVENTS Something',
      classtype: 'bad-unknown',
      metadata: { former_category: ['EXPLOIT'] },
    }),
    'exploit',
  );
  assert.equal(ruleFamily({ msg: 'Some local rule', classtype: 'network-scan' }), 'scan');
  assert.equal(ruleFamily({ msg: 'Some local rule' }), 'other');
  assert.equal(ruleFamily({ msg: 'SERVER-WEBAPP Joomla something' }), 'web-attack');
});

test('titles: tools, scan techniques, web attacks and the CVE from metadata', () => {
  assert.equal(
    alarmTitle('scan', { msg: 'PICKET SCAN Nmap Scripting Engine User-Agent' }),
    'Someone is scanning your network with Nmap',
  );
  assert.equal(
    alarmTitle('scan', { msg: 'PICKET SCAN TCP Xmas scan (FIN PSH URG)' }),
    'Someone is scanning your network (a TCP Xmas scan)',
  );
  assert.equal(
    alarmTitle('scan', { msg: 'PICKET SCAN probe for exposed .git repository' }),
    'Someone is probing your web server: probe for exposed .git repository',
  );
  assert.equal(
    alarmTitle('web-attack', { msg: 'PICKET WEB directory traversal in request URI (/../)' }),
    'Directory traversal attempt against your web server',
  );
  assert.equal(
    alarmTitle('exploit', { msg: 'ET EXPLOIT Apache Struts RCE', metadata: { cve: ['CVE_2017_5638'] } }),
    'Remote code execution attempt against Apache Struts (CVE-2017-5638)',
  );
  assert.equal(alarmTitle('policy', { msg: 'ET POLICY Tor exit' }), 'Policy violation: Tor exit');
});

test('titles: a hostile alert message stays inert and bounded', () => {
  const msg = `ET POLICY \u001b[2J\u202eevil ${'x'.repeat(500)}`;
  const t = alarmTitle('policy', { msg });
  assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/.test(t), t);
  assert.ok(t.length < 140);
});

test('starter rules: every rule gets a family other than "other" and a title', () => {
  const { rules } = loadRules([join(repoRoot, 'rules')]);
  assert.ok(rules.length > 30);
  for (const r of rules) {
    const f = ruleFamily(r);
    assert.notEqual(f, 'other', r.msg);
    assert.ok(alarmTitle(f, r).length > 10, r.msg);
  }
});

const et = sharedData('rules/et-open-suricata-5.0');
test('ET Open: every message gets a known family, and at most 2% fall to "other"', { skip: et.skip }, () => {
  const dir = join(et.path, 'rules');
  const files = (() => {
    try {
      return readdirSync(dir).map((f) => join(dir, f));
    } catch {
      return readdirSync(et.path).map((f) => join(et.path, f));
    }
  })().filter((f) => f.endsWith('.rules'));
  let n = 0;
  let other = 0;
  const counts = new Map<string, number>();
  for (const f of files) {
    for (const line of readFileSync(f, 'latin1').split('\n')) {
      const msg = /msg:"([^"]*)"/.exec(line)?.[1];
      if (msg === undefined) continue;
      const classtype = /classtype:([\w-]+)/.exec(line)?.[1];
      const fam = ruleFamily({ msg, ...(classtype ? { classtype } : {}) });
      assert.ok((ruleFamilies as readonly string[]).includes(fam));
      const t = alarmTitle(fam, { msg });
      assert.ok(t.length > 0 && t.length < 200, msg);
      n++;
      if (fam === 'other') other++;
      counts.set(fam, (counts.get(fam) ?? 0) + 1);
    }
  }
  assert.ok(n > 10_000, `read ${n} ET messages`);
  assert.ok(other / n < 0.02, `other: ${other} of ${n} ${JSON.stringify([...counts])}`);
});
