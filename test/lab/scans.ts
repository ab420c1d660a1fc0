/**
 * The `scans` scenario: one scan or attack per source address, each with the
 * finding a detector must draw from it and which artefacts record it (see
 * expect.ts), and benign use alongside. About 2.5 minutes: the slow scan and
 * a benign web loop run in the background while the rest goes on.
 *
 * Where each artefact sits decides what it sees (firewall.ts, README.md):
 * the capture and the NetFlow made from it are BEHIND the firewall, so they
 * see only what it let in; firewall.log sees only what it denied (port 22 to
 * 10.99.0.16/28; 23, 3389 and 443 anywhere; TCP SYNs to the gateway 10.99.0.1).
 * A source is in `seenBy` when what it records is enough to find the action
 * from it alone; a source that records only a few probes of it is listed in
 * `bySource` with its counts but not in `seenBy`.
 *
 * Example: scenarioActions('scans') in scenarios.ts lists these in run order.
 */
import type { BenignExpect, DetectionExpect } from './expect.js';
import type { LabAction } from './scenarios.js';
import { CURL, HPING3_FLAGS, HYDRA_SSH, HYDRA_USERS, hping3Probe, MASSCAN_SWEEP_22 } from './tool-args.js';

const detection = (e: DetectionExpect): Record<string, unknown> => ({ ...e });
const benign: BenignExpect = { noFinding: true };

/** nmap's 20 most common TCP ports (nmap-services order), for the connect scan. */
const TOP20_TCP = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1723, 3306, 3389, 5900, 8080,
];
/** Ports the firewall denies among them: 23 and 3389 (DROP), 443 (REJECT). */
const DENIED = new Set([23, 443, 3389]);
const UDP_PORTS = [53, 67, 69, 123, 137, 161, 500, 514, 520, 1900];
const SLOW_PORTS = [21, 22, 25, 53, 80, 110, 143, 445, 993, 3306, 5432, 8080];
const SLOW_DELAY_S = 10;

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Run order: new actions, and ids of `basic` actions reused as they are (benign use). */
const ORDER: readonly (LabAction | string)[] = [
  {
    id: 'slow-syn-ssh',
    actor: 'slow',
    tool: 'nmap',
    kind: 'portscan',
    targets: ['{ssh}'],
    ports: SLOW_PORTS,
    argv: [
      'nmap',
      '-sS',
      '-Pn',
      '-n',
      '--max-retries',
      '0',
      '--scan-delay',
      `${SLOW_DELAY_S}s`,
      '-p',
      SLOW_PORTS.join(','),
      '{ssh}',
    ],
    background: true,
    timeoutMs: 240_000,
    expect: detection({
      finding: {
        kind: 'port-scan',
        src: '{src}',
        targets: {
          hosts: ['{ssh}'],
          hostCount: 1,
          ports: SLOW_PORTS,
          portCount: SLOW_PORTS.length,
          proto: 'tcp',
        },
        tool: 'nmap',
        toolSeenBy: ['pcap'],
      },
      seenBy: ['pcap', 'netflow'],
      bySource: {
        pcap: {
          portCount: SLOW_PORTS.length,
          why: `one SYN every ${SLOW_DELAY_S} s for about 2 minutes, all let in`,
        },
        netflow: { portCount: SLOW_PORTS.length, why: 'one flow per probe (and one per answer)' },
      },
    }),
  },
  {
    id: 'benign-web-loop',
    actor: 'benign',
    tool: 'curl',
    kind: 'benign',
    targets: ['{web}'],
    ports: [80],
    argv: [
      'bash',
      '-c',
      `for i in 1 2 3 4 5 6 7 8; do ${CURL.map((a) => `'${a}'`).join(' ')} http://{web}/about.html; sleep 15; done`,
    ],
    background: true,
    timeoutMs: 240_000,
    expect: { ...benign, http_status: 200, requests: 8 },
  },
  'benign-web-1',
  {
    id: 'sweep-masscan-22',
    actor: 'scanner',
    tool: 'masscan',
    kind: 'sweep',
    targets: ['{inside}'],
    ports: [22],
    argv: MASSCAN_SWEEP_22,
    timeoutMs: 30_000,
    expect: detection({
      finding: {
        kind: 'sweep',
        src: '{src}',
        targets: { hosts: ['{inside}'], hostCount: 32, ports: [22], portCount: 1, proto: 'tcp' },
        tool: 'masscan',
        toolSeenBy: ['pcap'],
      },
      seenBy: ['pcap', 'netflow', 'firewall'],
      bySource: {
        pcap: {
          hostCount: 14,
          why: 'SYNs to 10.99.0.2-15 pass; SYN-ACK from {ssh}, RST from the other live hosts',
        },
        netflow: { hostCount: 14, why: 'made from the capture' },
        firewall: {
          hostCount: 17,
          why: 'port 22 to 10.99.0.16/28 and the SYN to the gateway are logged and dropped',
        },
      },
    }),
  },
  {
    id: 'sweep-zmap-80',
    actor: 'zmapper',
    tool: 'zmap',
    kind: 'sweep',
    targets: ['{inside}'],
    ports: [80],
    // -b /dev/null: ZMap's default blacklist excludes 10.0.0.0/8, the lab's own range.
    argv: [
      'zmap',
      '-p',
      '80',
      '-i',
      'eth0',
      '-S',
      '{src}',
      '-G',
      '{gwmac}',
      '-r',
      '100',
      '-c',
      '3',
      '-b',
      '/dev/null',
      '--disable-syslog',
      '-q',
      '-o',
      '-',
      '{inside}',
    ],
    timeoutMs: 30_000,
    expect: detection({
      finding: {
        kind: 'sweep',
        src: '{src}',
        targets: { hosts: ['{inside}'], hostCount: 32, ports: [80], portCount: 1, proto: 'tcp' },
        tool: 'zmap',
        toolSeenBy: ['pcap'],
      },
      seenBy: ['pcap', 'netflow'],
      bySource: {
        pcap: {
          hostCount: 29,
          why: 'port 80 is open to 10.99.0.2-30; SYN-ACK from {web}, RST from the other live hosts, dark ones silent',
        },
        netflow: { hostCount: 29, why: 'made from the capture' },
        firewall: {
          hostCount: 2,
          why: 'only the SYNs to the gateway and to the broadcast 10.99.0.31 (both local to the gateway: INPUT) are logged',
        },
      },
    }),
  },
  {
    id: 'syn-scan-web-1024',
    actor: 'synscan',
    tool: 'nmap',
    kind: 'portscan',
    targets: ['{web}'],
    ports: range(1, 1024),
    argv: ['nmap', '-sS', '-Pn', '-n', '--max-retries', '1', '-p', '1-1024', '{web}'],
    timeoutMs: 90_000,
    expect: detection({
      finding: {
        kind: 'port-scan',
        src: '{src}',
        targets: { hosts: ['{web}'], hostCount: 1, ports: [], portCount: 1024, proto: 'tcp' },
        tool: 'nmap',
        toolSeenBy: ['pcap'],
      },
      seenBy: ['pcap', 'netflow'],
      bySource: {
        pcap: { portCount: 1022, why: 'all but 23 and 443 pass; 80 answers SYN-ACK, the rest RST' },
        netflow: { portCount: 1022, why: 'made from the capture' },
        firewall: { portCount: 2, why: '23 (DROP, retried) and 443 (REJECT)' },
      },
    }),
  },
  'benign-ssh-login',
  {
    id: 'connect-scan-ssh',
    actor: 'connscan',
    tool: 'nmap',
    kind: 'portscan',
    targets: ['{ssh}'],
    ports: TOP20_TCP,
    argv: ['nmap', '-sT', '-Pn', '-n', '--max-retries', '1', '-p', TOP20_TCP.join(','), '{ssh}'],
    timeoutMs: 60_000,
    expect: detection({
      finding: {
        kind: 'port-scan',
        src: '{src}',
        targets: {
          hosts: ['{ssh}'],
          hostCount: 1,
          ports: TOP20_TCP,
          portCount: TOP20_TCP.length,
          proto: 'tcp',
        },
        // A connect scan is the OS's own handshakes: nothing in the packets names nmap reliably.
        tool: 'nmap',
        toolSeenBy: [],
      },
      seenBy: ['pcap', 'netflow'],
      bySource: {
        pcap: {
          portCount: TOP20_TCP.filter((p) => !DENIED.has(p)).length,
          why: 'all but 23, 443, 3389 pass; 22 completes a handshake and closes',
        },
        netflow: { portCount: TOP20_TCP.filter((p) => !DENIED.has(p)).length, why: 'made from the capture' },
        firewall: { portCount: DENIED.size, why: '23, 3389 (DROP, retried) and 443 (REJECT)' },
      },
    }),
  },
  {
    id: 'udp-scan',
    actor: 'udpscan',
    tool: 'nmap',
    kind: 'udp-scan',
    targets: ['{idle}', '{web}'],
    ports: UDP_PORTS,
    argv: ['nmap', '-sU', '-Pn', '-n', '--max-retries', '1', '-p', UDP_PORTS.join(','), '{idle}', '{web}'],
    timeoutMs: 90_000,
    expect: detection({
      finding: {
        kind: 'udp-scan',
        src: '{src}',
        targets: {
          hosts: ['{idle}', '{web}'],
          hostCount: 2,
          ports: UDP_PORTS,
          portCount: UDP_PORTS.length,
          proto: 'udp',
        },
        tool: 'nmap',
        toolSeenBy: [],
      },
      seenBy: ['pcap', 'netflow'],
      bySource: {
        pcap: {
          hostCount: 2,
          portCount: UDP_PORTS.length,
          why: 'no UDP deny; closed ports answer ICMP port unreachable',
        },
        netflow: { hostCount: 2, portCount: UDP_PORTS.length, why: 'made from the capture' },
      },
    }),
  },
  {
    id: 'ping-sweep',
    actor: 'pinger',
    tool: 'nmap',
    kind: 'host-discovery',
    targets: ['{inside}'],
    ports: [80, 443],
    argv: ['nmap', '-sn', '-n', '{inside}'],
    timeoutMs: 60_000,
    expect: detection({
      finding: {
        kind: 'host-discovery',
        src: '{src}',
        targets: { hosts: ['{inside}'], hostCount: 32, ports: [80, 443], portCount: 2, proto: 'mixed' },
        tool: 'nmap',
        toolSeenBy: [],
      },
      seenBy: ['pcap', 'netflow', 'firewall'],
      bySource: {
        pcap: {
          hostCount: 29,
          why: 'ICMP echo to 10.99.0.2-30, then timestamp and TCP ACK to 80 where no echo reply came at once; the SYN to 443 is stopped',
        },
        netflow: { hostCount: 29, why: 'made from the capture' },
        firewall: {
          kinds: ['host-discovery', 'sweep'],
          hostCount: 27,
          why: "only nmap's SYN to 443 is logged (REJECT), sent where no echo reply came at once: a port-443 sweep; the firewall's RST makes nmap call every address up",
        },
      },
    }),
  },
  ...HPING3_FLAGS.map(
    ([name, flags]): LabAction => ({
      id: `flags-${name}`,
      actor: 'flagger',
      tool: 'hping3',
      kind: 'flag-scan',
      targets: ['{web}'],
      ports: [80, 81],
      argv: hping3Probe(flags),
      timeoutMs: 20_000,
      expect: detection({
        finding: {
          kind: 'flag-scan',
          src: '{src}',
          targets: { hosts: ['{web}'], hostCount: 1, ports: [80, 81], portCount: 2, proto: 'tcp' },
          tool: 'hping3',
          toolSeenBy: ['pcap'],
        },
        seenBy: ['pcap', 'netflow'],
        bySource: {
          pcap: {
            portCount: 2,
            why: 'NULL, FIN and Xmas probes pass; open 80 stays silent, closed 81 answers RST',
          },
          netflow: { portCount: 2, why: 'softflowd keeps each flow’s OR of TCP flags' },
        },
      }),
    }),
  ),
  'benign-udp',
  {
    id: 'benign-dns',
    actor: 'benign',
    tool: 'bash',
    kind: 'benign',
    targets: ['{web}'],
    ports: [53],
    argv: ['bash', '-c', 'printf "picket-lab-query" > /dev/udp/{web}/53'],
    expect: { ...benign, capture: 'one UDP datagram and an ICMP port unreachable' },
  },
  {
    id: 'brute-hydra-ssh',
    actor: 'brute',
    tool: 'hydra',
    kind: 'bruteforce',
    targets: ['{ssh}'],
    ports: [22],
    argv: HYDRA_SSH,
    timeoutMs: 90_000,
    expect: detection({
      finding: {
        kind: 'brute-force',
        src: '{src}',
        targets: {
          hosts: ['{ssh}'],
          hostCount: 1,
          ports: [22],
          portCount: 1,
          proto: 'tcp',
          service: 'ssh',
          users: HYDRA_USERS,
          userCount: HYDRA_USERS.length,
        },
        tool: 'hydra',
        toolSeenBy: ['pcap'],
      },
      seenBy: ['pcap', 'netflow', 'sshd'],
      bySource: {
        pcap: { why: 'short SSH sessions with the libssh client banner, a few passwords each' },
        netflow: { why: 'the same sessions as flows: many short port-22 connections' },
        sshd: {
          userCount: HYDRA_USERS.length,
          why: 'Failed password / Invalid user lines; no login succeeds',
        },
      },
    }),
  },
  'benign-web-2',
];

/** The actions this scenario adds to scenarios.ts's list. */
export const SCAN_ACTIONS: readonly LabAction[] = ORDER.filter((a): a is LabAction => typeof a !== 'string');

/** The scenario's action ids in run order. */
export const SCANS_SCENARIO: readonly string[] = ORDER.map((a) => (typeof a === 'string' ? a : a.id));
