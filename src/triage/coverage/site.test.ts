import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { analyze } from '../../pipeline/analyze.js';
import type { Event } from '../../schema/event.js';
import { openSqliteStore } from '../../store/index.js';
import { inPrefix, widePrefix } from './prefix.js';
import { createSiteSourcesBuilder } from './site-builder.js';
import { siteCoverage } from './site-coverage.js';
import { labSite, labSiteWith } from './testing/lab-site.js';

const lab = (f: string) => join(repoRoot, 'examples', 'lab', f);

test('the lab artefacts, read for real, describe what each source can see', async () => {
  const store = openSqliteStore(':memory:');
  await analyze({
    inputs: [
      lab('capture.pcap'),
      lab('firewall.log'),
      lab('auth.log'),
      lab('access.log'),
      lab('netflow/flows.csv'),
    ],
    store,
  });
  const site = createSiteSourcesBuilder({ positions: { pcap: 'behind-firewall' } });
  for (const e of await store.events({ limit: 100_000 })) site.event(e);
  for (const f of await store.flows({ limit: 100_000 })) site.flow(f);
  await store.close();
  const built = site.build();
  const of = (k: string) => built.sources.find((s) => s.sourceKind === k)!;
  assert.deepEqual(
    built.sources.map((s) => s.sourceKind),
    ['firewall', 'netflow', 'pcap', 'sshd', 'weblog'],
  );

  const sshd = of('sshd');
  assert.deepEqual(sshd.servers, ['10.99.0.11'], 'from "Server listening on 10.99.0.11 port 22."');
  assert.deepEqual(sshd.hostNames, ['lab-ssh']);

  const fw = of('firewall');
  assert.equal(fw.logsAllowed, false, 'the lab logs denies only');
  for (const p of [22, 23, 443, 3389]) assert.ok(fw.loggedPorts?.includes(p), `firewall logged port ${p}`);
  assert.ok(fw.loggedPairs?.includes('10.99.0.23:22'));
  assert.ok(!fw.loggedPairs?.includes('10.99.0.11:22'), 'port 22 of the ssh host is let through');

  const pcap = of('pcap');
  assert.equal(pcap.position, 'behind-firewall');
  assert.ok(pcap.addresses?.includes('10.99.0.11'));
  assert.ok(
    !pcap.addresses?.includes('10.99.0.23'),
    'the blocked half of the sweep never reached the capture',
  );
  assert.ok(pcap.span && pcap.span.first <= pcap.span.last);
  assert.ok(of('netflow').addresses?.includes('10.99.0.11'));
  assert.equal(of('netflow').position, 'unknown');
  assert.ok(of('weblog').records >= 39);
});

test('network sensor addresses fall back to /24 prefixes past the bound, then say they were cut', () => {
  const site = createSiteSourcesBuilder({ maxAddresses: 3 });
  const flow = (o: string, r: string) =>
    ({ ts: 1, origH: o, respH: r }) as Parameters<ReturnType<typeof createSiteSourcesBuilder>['flow']>[0];
  site.flow(flow('10.0.0.1', '10.0.0.2'));
  site.flow(flow('10.0.1.1', '10.0.2.2'));
  let [pcap] = site.build().sources;
  assert.deepEqual(pcap?.addresses?.sort(), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  assert.equal(pcap?.addressesTruncated, undefined);
  site.flow(flow('10.0.3.1', '10.0.4.1'));
  [pcap] = site.build().sources;
  assert.equal(pcap?.addresses?.length, 3);
  assert.equal(pcap?.addressesTruncated, true);
});

test('firewall allow lines mark the log as logging allowed traffic', () => {
  const site = createSiteSourcesBuilder();
  const e = {
    ts: 5,
    uid: 'L1',
    type: 'firewall-allow',
    classUid: 4001,
    activityId: 6,
    src: '192.0.2.1',
    dst: '10.0.0.9',
    dstPort: 443,
    message: 'allowed',
    source: { kind: 'firewall', format: 'ufw', host: 'gw' },
  } satisfies Event;
  site.event(e);
  const [fw] = site.build().sources;
  assert.equal(fw?.logsAllowed, true);
  assert.deepEqual(fw?.loggedPairs, ['10.0.0.9:443']);
  assert.deepEqual(fw?.span, { first: 5, last: 5 });
});

test('site coverage lists the kinds read and what each missing kind would show', () => {
  const full = siteCoverage(labSite());
  assert.deepEqual(full.present, ['firewall', 'netflow', 'pcap', 'sshd', 'weblog']);
  assert.deepEqual(full.missing, []);
  const noFlows = siteCoverage(labSiteWith('netflow', 'remove'));
  assert.deepEqual(
    noFlows.missing.map((m) => m.sourceKind),
    ['netflow'],
  );
  assert.match(noFlows.missing[0]!.wouldShow, /conversation/);
});

test('prefix helpers: membership and the wide prefix of an address', () => {
  assert.ok(inPrefix('10.99.0.11', '10.99.0.0/27'));
  assert.ok(!inPrefix('10.99.0.40', '10.99.0.0/27'));
  assert.ok(inPrefix('10.99.0.11', '10.99.0.11'));
  assert.ok(inPrefix('2001:db8::5', '2001:db8::/64'));
  assert.ok(!inPrefix('10.99.0.11', '2001:db8::/64'));
  assert.ok(!inPrefix('lab-ssh', '10.0.0.0/8'));
  assert.equal(widePrefix('10.99.0.11'), '10.99.0.0/24');
  assert.equal(widePrefix('2001:db8:1:2:3::9'), '2001:db8:1:2::/64');
  assert.equal(widePrefix('lab-ssh'), undefined);
});
