import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident } from '../../schema/finding.js';
import { buildIncidents, incidentUid } from './build.js';
import {
  BENIGN,
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
} from './testing/lab-story.js';

const bySrc = (incidents: Incident[]) => new Map(incidents.map((i) => [i.src, i]));

test('the lab story gives one incident per attacking source and none for the benign client', () => {
  const incidents = buildIncidents({ findings: labFindings(), addresses: labSummaries() });
  assert.deepEqual(incidents.map((i) => i.src).sort(), [SCANNER, BRUTE, WEBBOT].sort());
  assert.equal(bySrc(incidents).get(BENIGN), undefined);
});

test("the scanner's incident joins capture, NetFlow and firewall findings over time, with its tools in the title", () => {
  const scanner = bySrc(buildIncidents({ findings: labFindings(), addresses: labSummaries() })).get(SCANNER)!;
  const own = labFindings().filter((f) => f.src === SCANNER);
  assert.deepEqual([...scanner.findings].sort(), own.map((f) => f.uid).sort());
  assert.deepEqual(scanner.kinds, ['sweep', 'tool-use', 'port-scan', 'flag-scan']);
  // 14 hosts seen inside + 17 only in the firewall log = the whole /27 but .0: 31.
  assert.equal(scanner.targetHosts, SWEEP_INSIDE.length + SWEEP_BLOCKED.length);
  assert.equal(scanner.targetHosts, 31);
  assert.equal(
    scanner.title,
    'Port-22 sweep of 31 hosts (masscan), then port scan of 10.99.0.10 (4 ports) (nmap), then NULL/FIN/Xmas probes to 10.99.0.10 (hping3)',
  );
  assert.deepEqual(scanner.tools.map((t) => t.name).sort(), ['hping3', 'masscan', 'nmap']);
  assert.deepEqual(scanner.coverage.sawBy, ['firewall', 'netflow', 'pcap', 'weblog']);
  assert.equal(scanner.ts, Math.min(...own.map((f) => f.ts)));
  assert.equal(scanner.lastSeen, LAB_T0 + 10, 'the nmap NSE alert is the last thing it did');
  assert.equal(scanner.alerts.count, 1);
  assert.equal(scanner.alerts.signatures[0]?.sid, 2009358);
  assert.ok((scanner.targets ?? []).includes('10.99.0.31'));
});

test('answered probes followed by an alert raise the scanner to high; without the alert it stays medium', () => {
  const withAlert = bySrc(buildIncidents({ findings: labFindings(), addresses: labSummaries() })).get(
    SCANNER,
  )!;
  assert.equal(withAlert.severityId, 4);
  const quiet = labSummaries().map((s) => (s.addr === SCANNER ? { ...s, alerts: [] } : s));
  const without = bySrc(buildIncidents({ findings: labFindings(), addresses: quiet })).get(SCANNER)!;
  assert.equal(without.severityId, 3);
});

test('a scan nobody answered is not raised by later alerts', () => {
  const f = finding({
    kind: 'sweep',
    sourceKind: 'pcap',
    src: '192.0.2.9',
    at: LAB_T0,
    until: LAB_T0 + 5,
    hosts: SWEEP_INSIDE,
    ports: [23],
    outcomes: outcomes({ unanswered: 14 }),
    severityId: 1,
  });
  const [i] = buildIncidents({
    findings: [f],
    addresses: [
      {
        addr: '192.0.2.9',
        firstSeen: LAB_T0,
        lastSeen: LAB_T0 + 9,
        eventsByType: {},
        eventsBySourceKind: {},
        targets: [],
        alerts: [
          {
            msg: 'ET SCAN telnet',
            count: 1,
            firstSeen: LAB_T0 + 9,
            lastSeen: LAB_T0 + 9,
            sourceKinds: ['pcap'],
          },
        ],
      },
    ],
  });
  assert.equal(i?.severityId, 2, 'the highest of finding (1) and alert without severity (low, 2)');
});

test('a brute force is titled by service and target; a successful login makes it high and says so', () => {
  const brute = bySrc(buildIncidents({ findings: labFindings(), addresses: labSummaries() })).get(BRUTE)!;
  assert.equal(brute.title, 'SSH brute force against 10.99.0.11');
  assert.equal(brute.severityId, 3);
  assert.deepEqual(brute.coverage.sawBy, ['netflow', 'pcap', 'sshd']);

  const won = labFindings().map((f) =>
    f.src === BRUTE && f.sourceKind === 'sshd' ? { ...f, successes: 1 } : f,
  );
  const high = bySrc(buildIncidents({ findings: won, addresses: labSummaries() })).get(BRUTE)!;
  assert.equal(high.severityId, 4);
  assert.match(high.title, /a login succeeded/);
});

test('a source with alerts only (the web bot) gets an incident titled by its alerts', () => {
  const bot = bySrc(buildIncidents({ findings: labFindings(), addresses: labSummaries() })).get(WEBBOT)!;
  assert.deepEqual(bot.findings, []);
  assert.equal(bot.alerts.count, 4);
  assert.match(bot.title, /^4 IDS alerts: .+ and 3 other signatures$/);
  assert.equal(bot.severityId, 3, 'the highest alert severity');
  assert.deepEqual(bot.coverage.sawBy, ['netflow', 'pcap', 'weblog']);
  assert.deepEqual(bot.targets, ['10.99.0.10']);
});

test('uids are deterministic: I + hash of source and first time, whatever the input order', () => {
  const a = buildIncidents({ findings: labFindings(), addresses: labSummaries() });
  const b = buildIncidents({ findings: labFindings().reverse(), addresses: labSummaries().reverse() });
  assert.deepEqual(b, a);
  const scanner = bySrc(a).get(SCANNER)!;
  assert.equal(scanner.uid, incidentUid(SCANNER, scanner.ts));
  assert.match(scanner.uid, /^I[A-Za-z0-9_-]{20}$/);
  assert.notEqual(incidentUid(SCANNER, scanner.ts + 1), scanner.uid);
});

test('a distributed group is one incident linked to its members’ own incidents, not a copy of them', () => {
  const members = ['203.0.113.5', '203.0.113.6', '203.0.113.7'];
  const group = finding({
    kind: 'distributed-scan',
    detector: 'distributed',
    sourceKind: 'netflow',
    src: '203.0.113.0/24',
    at: LAB_T0,
    until: LAB_T0 + 600,
    hosts: SWEEP_INSIDE,
    ports: [3389],
    outcomes: outcomes({ unanswered: 42 }),
    members,
    severityId: 2,
  });
  const own = finding({
    kind: 'port-scan',
    sourceKind: 'netflow',
    src: '203.0.113.5',
    at: LAB_T0 + 30,
    until: LAB_T0 + 40,
    hosts: ['10.99.0.10'],
    ports: [21, 22, 23, 80, 443, 3389, 8080, 8443, 25, 110, 143, 993, 995, 3306, 5432],
    outcomes: outcomes({ rejected: 15 }),
    severityId: 2,
  });
  const incidents = buildIncidents({ findings: [group, own] });
  assert.equal(incidents.length, 2);
  const g = bySrc(incidents).get('203.0.113.0/24')!;
  const m = bySrc(incidents).get('203.0.113.5')!;
  assert.deepEqual(g.findings, [group.uid]);
  assert.deepEqual(m.findings, [own.uid]);
  assert.deepEqual(g.members, members);
  assert.deepEqual(g.related, [m.uid]);
  assert.deepEqual(m.related, [g.uid]);
  assert.equal(g.title, 'Distributed scan by 3 sources of 14 hosts');
});

test('a research scanner is informational and says so in its title, even after answered probes and alerts', () => {
  const src = '198.51.100.7';
  const f = finding({
    kind: 'sweep',
    sourceKind: 'pcap',
    src,
    at: LAB_T0,
    until: LAB_T0 + 5,
    hosts: SWEEP_INSIDE,
    ports: [443],
    outcomes: outcomes({ answered: 2, unanswered: 12 }),
    severityId: 3,
  });
  const [i] = buildIncidents({
    findings: [f],
    addresses: [
      {
        addr: src,
        firstSeen: LAB_T0,
        lastSeen: LAB_T0 + 9,
        eventsByType: {},
        eventsBySourceKind: {},
        targets: [],
        alerts: [
          {
            msg: 'ET SCAN x',
            count: 1,
            severityId: 3,
            firstSeen: LAB_T0 + 9,
            lastSeen: LAB_T0 + 9,
            sourceKinds: ['pcap'],
          },
        ],
      },
    ],
    scannerLabel: (a) => (a === src ? { organisation: 'Censys', list: 'censys.txt' } : undefined),
  });
  assert.equal(i?.severityId, 1);
  assert.equal(i?.title, 'research scanner: Censys: Port-443 sweep of 14 hosts');
  assert.equal(i?.scanner?.organisation, 'Censys');
});

test('tools from the fingerprinters map join the findings’ tools, most confident kept', () => {
  const tools = new Map([
    [
      BRUTE,
      [
        { name: 'hydra', confidence: 'low' as const, evidence: 'libssh banner' },
        { name: 'hydra', confidence: 'high' as const, evidence: 'libssh 0.10.6 banner, 7 sessions' },
      ],
    ],
  ]);
  const brute = bySrc(buildIncidents({ findings: labFindings(), tools })).get(BRUTE)!;
  assert.deepEqual(brute.tools, [
    { name: 'hydra', confidence: 'high', evidence: 'libssh 0.10.6 banner, 7 sessions' },
  ]);
});

test('target hosts are an upper bound per source kind when samples are incomplete', () => {
  const big = finding({
    kind: 'sweep',
    sourceKind: 'netflow',
    src: '192.0.2.1',
    at: LAB_T0,
    until: LAB_T0 + 9,
    hosts: Array.from({ length: 40 }, (_, i) => `10.1.0.${i}`),
    ports: [22],
    outcomes: outcomes({ unanswered: 40 }),
    severityId: 1,
  });
  const other = finding({
    kind: 'port-scan',
    sourceKind: 'netflow',
    src: '192.0.2.1',
    at: LAB_T0,
    until: LAB_T0 + 9,
    hosts: ['10.2.0.1'],
    ports: [1, 2, 3],
    outcomes: outcomes({ unanswered: 3 }),
    severityId: 1,
  });
  const [i] = buildIncidents({ findings: [big, other] });
  assert.equal(big.targets.hosts.length, 32);
  assert.equal(i?.targetHosts, 41);
});
