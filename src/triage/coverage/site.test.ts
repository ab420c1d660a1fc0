import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/support/env.js';
import { buildIncidents } from '../../detect/incident/build.js';
import {
  BRUTE,
  finding,
  LAB_T0,
  labFindings,
  labSummaries,
  outcomes,
  SCANNER,
} from '../../detect/incident/testing/lab-story.js';
import { analyze } from '../../pipeline/analyze.js';
import type { Event } from '../../schema/event.js';
import type { FlowRecord } from '../../schema/flow.js';
import { openSqliteStore } from '../../store/index.js';
import { incidentCoverage } from './incident-coverage.js';
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
      lab('../lab-nfdump/flows.csv'),
    ],
    store,
  });
  const site = createSiteSourcesBuilder();
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
  assert.equal(
    pcap.position,
    'behind-firewall',
    'inferred: it saw 10.99.1.66 but none of its 20 denied conversations (22 lines, nmap retried two)',
  );
  assert.match(
    pcap.positionBasis ?? '',
    /other traffic of 10\.99\.1\.66 but none of the 20 conversations the firewall log denied/,
  );
  assert.ok(pcap.addresses?.includes('10.99.0.11'));
  assert.ok(
    !pcap.addresses?.includes('10.99.0.23'),
    'the blocked half of the sweep never reached the capture',
  );
  assert.ok(pcap.span && pcap.span.first <= pcap.span.last);
  assert.ok(of('netflow').addresses?.includes('10.99.0.11'));
  assert.equal(of('netflow').position, 'behind-firewall', 'NetFlow was made from the same capture');
  assert.ok(of('weblog').records >= 39);

  // The lab story's incidents against the site read from the real files.
  const findings = labFindings();
  const incidents = buildIncidents({ findings, addresses: labSummaries() });
  const cov = (src: string) => incidentCoverage(incidents.find((i) => i.src === src)!, findings, built);
  assert.deepEqual(cov(SCANNER).missedBy, []);
  assert.deepEqual(
    cov(SCANNER).notExpected.map((n) => n.sourceKind),
    ['sshd'],
  );
  assert.deepEqual(cov(BRUTE).missedBy, []);
  assert.deepEqual(
    cov(BRUTE).notExpected.map((n) => n.sourceKind),
    ['firewall'],
  );
  const blocked = finding({
    kind: 'sweep',
    sourceKind: 'firewall',
    src: '192.0.2.50',
    at: LAB_T0,
    until: LAB_T0 + 3,
    hosts: ['10.99.0.23', '10.99.0.25'],
    ports: [22],
    outcomes: outcomes({ blocked: 2 }),
    severityId: 2,
  });
  const [onlyBlocked] = buildIncidents({ findings: [blocked] });
  const c = incidentCoverage(onlyBlocked!, [blocked], built);
  assert.deepEqual(c.missedBy, [], 'blocked probes are not expected in a capture behind the firewall');
  assert.deepEqual(c.notExpected.map((n) => n.sourceKind).sort(), ['netflow', 'pcap']);
});

test('a sensor that holds packets the firewall denied is inferred to sit before it', () => {
  const site = createSiteSourcesBuilder();
  const deny = {
    ts: 5,
    uid: 'L1',
    type: 'firewall-deny',
    classUid: 4001,
    activityId: 5,
    src: '192.0.2.1',
    dst: '10.0.0.9',
    dstPort: 23,
    message: 'denied',
    source: { kind: 'firewall', format: 'iptables' },
  } satisfies Event;
  site.event(deny);
  site.flow({ ts: 5, origH: '192.0.2.1', respH: '10.0.0.9', respP: 23, proto: 'tcp' } as FlowRecord);
  const pcap = site.build().sources.find((s) => s.sourceKind === 'pcap');
  assert.equal(pcap?.position, 'outside-firewall');
  assert.match(pcap?.positionBasis ?? '', /holds 1 of the 1 conversations the firewall log denied/);
  const told = createSiteSourcesBuilder({ positions: { pcap: 'behind-firewall' } });
  told.event(deny);
  told.flow({ ts: 5, origH: '192.0.2.1', respH: '10.0.0.9', respP: 23, proto: 'tcp' } as FlowRecord);
  assert.equal(told.build().sources.find((s) => s.sourceKind === 'pcap')?.position, 'behind-firewall');
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
