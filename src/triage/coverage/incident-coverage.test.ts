import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIncidents } from '../../detect/incident/build.js';
import {
  BRUTE,
  finding,
  LAB_T0,
  labFindings,
  labSummaries,
  outcomes,
  SCANNER,
  SWEEP_BLOCKED,
  SWEEP_INSIDE,
  WEBBOT,
} from '../../detect/incident/testing/lab-story.js';
import type { Finding, Incident } from '../../schema/finding.js';
import { incidentCoverage, isUndecided, withCoverage } from './incident-coverage.js';
import type { SiteSources } from './site.js';
import { labSite, labSiteWith } from './testing/lab-site.js';

function incidentOf(src: string, findings: Finding[] = labFindings(), summaries = labSummaries()): Incident {
  const i = buildIncidents({ findings, addresses: summaries }).find((x) => x.src === src);
  assert.ok(i, `an incident for ${src}`);
  return i;
}

function coverage(
  src: string,
  site: SiteSources,
  findings: Finding[] = labFindings(),
  summaries = labSummaries(),
) {
  return incidentCoverage(incidentOf(src, findings, summaries), findings, site);
}

const kindsOf = (notes: { sourceKind: string }[]) => notes.map((n) => n.sourceKind).sort();

test('lab scanner: seen by capture, NetFlow, firewall and web log; sshd is expected silent (half-open probes)', () => {
  const c = coverage(SCANNER, labSite());
  assert.deepEqual(c.sawBy, ['firewall', 'netflow', 'pcap', 'weblog']);
  assert.deepEqual(c.missedBy, []);
  assert.deepEqual(kindsOf(c.notExpected), ['sshd']);
  assert.match(c.notExpected[0]!.why, /half-open probes .*10\.99\.0\.11.* never reach sshd/);
});

test('lab brute force: the deny-only firewall log is expected silent on traffic it let through', () => {
  const c = coverage(BRUTE, labSite());
  assert.deepEqual(c.sawBy, ['netflow', 'pcap', 'sshd']);
  assert.deepEqual(c.missedBy, []);
  const fw = c.notExpected.find((n) => n.sourceKind === 'firewall');
  assert.match(fw?.why ?? '', /denied traffic only.*let through.*10\.99\.0\.11/);
});

test('an SSH brute force in the capture with no sshd log collected: "no sshd log was read"', () => {
  const findings = labFindings().filter((f) => f.sourceKind !== 'sshd');
  const summaries = labSummaries().map((s) =>
    s.addr === BRUTE ? { ...s, eventsBySourceKind: { pcap: 9, netflow: 7 } } : s,
  );
  const c = coverage(BRUTE, labSiteWith('sshd', 'remove'), findings, summaries);
  const sshd = c.missedBy.find((m) => m.sourceKind === 'sshd');
  assert.ok(sshd && !isUndecided(sshd));
  assert.match(sshd.why, /^no sshd log was read/);
});

test('an SSH brute force with the sshd log of another server read: expected silence, named', () => {
  const findings = labFindings().filter((f) => f.sourceKind !== 'sshd');
  const summaries = labSummaries().map((s) =>
    s.addr === BRUTE ? { ...s, eventsBySourceKind: { pcap: 9 } } : s,
  );
  const other = labSiteWith('sshd', (s) => ({ ...s, servers: ['10.99.0.40'], hostNames: ['db1'] }));
  const c = coverage(BRUTE, other, findings, summaries);
  assert.equal(
    c.missedBy.find((m) => m.sourceKind === 'sshd'),
    undefined,
  );
  assert.match(
    c.notExpected.find((n) => n.sourceKind === 'sshd')?.why ?? '',
    /another server \(listening on 10\.99\.0\.40, host db1\)/,
  );

  const ownServer = coverage(BRUTE, labSite(), findings, summaries);
  const miss = ownServer.missedBy.find((m) => m.sourceKind === 'sshd');
  assert.ok(miss && !isUndecided(miss), 'the sshd log of 10.99.0.11 itself holding nothing is a miss');
  assert.match(miss.why, /sshd log is of 10\.99\.0\.11/);
});

test('an sshd log without "Server listening" lines cannot be matched to the server: unknown, not a miss', () => {
  const findings = labFindings().filter((f) => f.sourceKind !== 'sshd');
  const summaries = labSummaries().map((s) =>
    s.addr === BRUTE ? { ...s, eventsBySourceKind: { pcap: 9 } } : s,
  );
  const c = coverage(
    BRUTE,
    labSiteWith('sshd', (s) => ({ ...s, servers: [] })),
    findings,
    summaries,
  );
  const sshd = c.missedBy.find((m) => m.sourceKind === 'sshd');
  assert.ok(sshd && isUndecided(sshd));
  assert.match(sshd.why, /^unknown: the sshd log names no listening address \(host lab-ssh\)/);
});

// A sweep seen by capture and NetFlow while the firewall log is silent on those targets.
const insideSweepOnly = () =>
  labFindings().filter((f) => !(f.src === SCANNER && f.sourceKind === 'firewall'));
const noFirewallEvents = () =>
  labSummaries().map((s) =>
    s.addr === SCANNER ? { ...s, eventsBySourceKind: { pcap: 40, netflow: 21, weblog: 30 } } : s,
  );

test('sweep in NetFlow and capture, firewall silent: expected when the log holds denies only', () => {
  const c = coverage(SCANNER, labSite(), insideSweepOnly(), noFirewallEvents());
  assert.ok(!c.sawBy.includes('firewall'));
  assert.equal(
    c.missedBy.find((m) => m.sourceKind === 'firewall'),
    undefined,
  );
  assert.match(c.notExpected.find((n) => n.sourceKind === 'firewall')?.why ?? '', /denied traffic only/);
});

test('sweep in NetFlow and capture, firewall silent: a miss when the firewall logged those host:ports for others', () => {
  const site = labSiteWith('firewall', (s) => ({
    ...s,
    loggedPairs: [...(s.loggedPairs ?? []), '10.99.0.11:22'],
  }));
  const c = coverage(SCANNER, site, insideSweepOnly(), noFirewallEvents());
  const fw = c.missedBy.find((m) => m.sourceKind === 'firewall');
  assert.ok(fw && !isUndecided(fw));
  assert.match(fw.why, /logged 10\.99\.0\.11:22 for other sources/);
});

test('sweep in NetFlow and capture, firewall silent: a miss when it logs allowed traffic to those destinations', () => {
  const site = labSiteWith('firewall', (s) => ({
    ...s,
    logsAllowed: true,
    loggedDestinations: ['10.99.0.0/24'],
    loggedPairs: [],
  }));
  const fw = coverage(SCANNER, site, insideSweepOnly(), noFirewallEvents()).missedBy.find(
    (m) => m.sourceKind === 'firewall',
  );
  assert.match(fw?.why ?? '', /logs allowed traffic too/);
});

// Probes that were blocked: only the firewall saw them.
const blockedOnly = () => [
  finding({
    kind: 'sweep',
    sourceKind: 'firewall',
    src: '192.0.2.50',
    at: LAB_T0,
    until: LAB_T0 + 3,
    hosts: SWEEP_BLOCKED,
    ports: [22],
    outcomes: outcomes({ blocked: 17 }),
    severityId: 2,
  }),
];

test('blocked probes missing from a capture behind the firewall are expected, not a gap', () => {
  const c = coverage('192.0.2.50', labSite(), blockedOnly(), []);
  assert.deepEqual(c.sawBy, ['firewall']);
  assert.deepEqual(c.missedBy, []);
  assert.match(
    c.notExpected.find((n) => n.sourceKind === 'pcap')?.why ?? '',
    /firewall blocked these probes .* sits behind it/,
  );
});

test('blocked probes missing from a capture before the firewall are a miss', () => {
  const site = labSiteWith('pcap', (s) => ({
    ...s,
    position: 'outside-firewall',
    addresses: ['10.99.0.0/24'],
  }));
  const pcap = coverage('192.0.2.50', site, blockedOnly(), []).missedBy.find((m) => m.sourceKind === 'pcap');
  assert.ok(pcap && !isUndecided(pcap));
  assert.match(pcap.why, /sits before the firewall/);
});

test('blocked probes and a capture of unknown position: unknown, not a claimed miss', () => {
  const site = labSiteWith('pcap', (s) => ({ ...s, position: 'unknown' }));
  const pcap = coverage('192.0.2.50', site, blockedOnly(), []).missedBy.find((m) => m.sourceKind === 'pcap');
  assert.ok(pcap && isUndecided(pcap));
  assert.match(pcap.why, /whether the capture sits behind the firewall/);
});

test('a capture that saw the target during the attack but holds nothing from the source is a miss', () => {
  // Only the sshd log recorded the brute force; the capture saw 10.99.0.11's other traffic.
  const findings = labFindings().filter((f) => !(f.src === BRUTE && f.sourceKind !== 'sshd'));
  const summaries = labSummaries().map((s) =>
    s.addr === BRUTE ? { ...s, alerts: [], eventsBySourceKind: { sshd: 40 } } : s,
  );
  const c = coverage(BRUTE, labSite(), findings, summaries);
  assert.deepEqual(kindsOf(c.missedBy.filter((m) => !isUndecided(m))), ['netflow', 'pcap']);
  assert.match(c.missedBy.find((m) => m.sourceKind === 'pcap')!.why, /saw traffic for 10\.99\.0\.11/);
});

test('a source outside a sensor’s time span is not expected there', () => {
  const late = labSiteWith('netflow', (s) => ({ ...s, span: { first: LAB_T0 + 7200, last: LAB_T0 + 9000 } }));
  const findings = labFindings().filter((f) => !(f.src === BRUTE && f.sourceKind === 'netflow'));
  const summaries = labSummaries().map((s) =>
    s.addr === BRUTE ? { ...s, eventsBySourceKind: { pcap: 9, sshd: 40 } } : s,
  );
  const c = coverage(BRUTE, late, findings, summaries);
  assert.match(
    c.notExpected.find((n) => n.sourceKind === 'netflow')?.why ?? '',
    /covers 2026-11-23T13:12:11Z to/,
  );
});

test('web requests with no web log read are a gap; with a web log that names no server, unknown', () => {
  const summaries = labSummaries().map((s) =>
    s.addr === WEBBOT ? { ...s, eventsBySourceKind: { pcap: 8, netflow: 4 } } : s,
  );
  const none = coverage(WEBBOT, labSiteWith('weblog', 'remove'), labFindings(), summaries);
  assert.match(
    none.missedBy.find((m) => m.sourceKind === 'weblog')?.why ?? '',
    /^no web server log was read/,
  );
  const unnamed = coverage(WEBBOT, labSite(), labFindings(), summaries);
  const w = unnamed.missedBy.find((m) => m.sourceKind === 'weblog');
  assert.ok(w && isUndecided(w));
});

test('a source kind the run did not read is never claimed for traffic it would not record', () => {
  const c = coverage(SCANNER, labSiteWith('sshd', 'remove'));
  assert.equal(
    c.missedBy.find((m) => m.sourceKind === 'sshd'),
    undefined,
    'a SYN sweep of port 22 needs no sshd log',
  );
  assert.ok(SWEEP_INSIDE.length > 0);
});

test('withCoverage fills each incident’s coverage from the rules and keeps the rest', () => {
  const findings = labFindings();
  const incidents = buildIncidents({ findings, addresses: labSummaries() });
  const covered = withCoverage(incidents, findings, labSiteWith('sshd', 'remove'));
  assert.equal(covered.length, incidents.length);
  const brute = covered.find((i) => i.src === BRUTE)!;
  assert.equal(brute.title, incidents.find((i) => i.src === BRUTE)!.title);
  assert.deepEqual(brute.coverage.sawBy, ['netflow', 'pcap', 'sshd']);
  assert.deepEqual(
    brute.coverage.missedBy,
    [],
    'the sshd findings are there even though no sshd input is listed',
  );
});
