/**
 * Scenarios as data: each action names its actor (a lab host), the tool and
 * its argv with {placeholders}, and what it is expected to cause. To add a
 * scenario, add actions to ACTIONS and list their ids in SCENARIOS.
 */
import { SCAN_ACTIONS, SCANS_SCENARIO } from './scans.js';
import {
  CURL,
  HPING3_FLAGS,
  HYDRA_PASSWORDS,
  HYDRA_SSH,
  HYDRA_USERS,
  hping3Probe,
  MASSCAN_SWEEP_22,
} from './tool-args.js';

export type ActionKind =
  | 'sweep'
  | 'portscan'
  | 'service-scan'
  | 'flag-scan'
  | 'udp-scan'
  | 'host-discovery'
  | 'bruteforce'
  | 'web-scan'
  | 'exploit-attempt'
  | 'benign';

export interface LabAction {
  id: string;
  actor: string;
  tool: string;
  kind: ActionKind;
  /** Target addresses or the swept prefix, with placeholders. */
  targets: string[];
  ports: number[];
  /** argv run inside the actor's namespace; {web} {ssh} {idle} {inside} {gwmac} {src} {work} {password} are filled in. */
  argv: string[];
  /** What this should cause: ET sids, firewall denies, log lines, login outcome. */
  expect: Record<string, unknown>;
  timeoutMs?: number;
  /** Start it and go on with the next action at once (a slow scan, background use); the run waits for it at the end. */
  background?: boolean;
}

/** The Joomla object-injection user agent of CVE-2015-8562, as in the seed article's capture. */
export const JOOMLA_RCE_UA =
  '}__test|O:21:"JDatabaseDriverMysqli":3:{s:4:"\\0\\0\\0a";O:17:"JSimplepieFactory":0:{}s:21:"\\0\\0\\0disconnectHandlers";a:1:{i:0;a:2:{i:0;O:9:"SimplePie":5:{s:8:"sanitize";O:20:"JDatabaseDriverMysql":0:{}s:5:"cache";b:1;s:19:"cache_name_function";s:6:"assert";s:10:"javascript";i:9999;s:8:"feed_url";s:54:"eval(base64_decode($_POST[111]));JFactory::get();exit;";}i:1;s:4:"init";}}s:13:"\\0\\0\\0connection";i:1;}';

/** sid 2016032 wants the UA to start with exactly this (depth:21). */
export const JCE_UA = 'BOT/0.1 (BOT for JCE)';
/** sid 2002664 wants "Nessus" within the first 40 bytes of the UA (depth:40). */
export const NESSUS_UA = 'Mozilla/4.0 (compatible; Nessus)';

export { HYDRA_PASSWORDS, HYDRA_USERS } from './tool-args.js';

const curl = CURL;

export const ACTIONS: readonly LabAction[] = [
  {
    id: 'benign-web-1',
    actor: 'benign',
    tool: 'curl',
    kind: 'benign',
    targets: ['{web}'],
    ports: [80],
    argv: [...curl, 'http://{web}/'],
    expect: { noFinding: true, http_status: 200 },
  },
  {
    id: 'masscan-sweep-22',
    actor: 'scanner',
    tool: 'masscan',
    kind: 'sweep',
    targets: ['{inside}'],
    ports: [22],
    argv: MASSCAN_SWEEP_22,
    expect: {
      capture:
        'SYN to every address of 10.99.0.0/28 (incl. dark ones); SYN-ACK from {ssh}, RST from live hosts',
      firewall: 'LOG+DROP for 10.99.0.16/28 port 22 and for the gateway itself (10.99.0.1)',
      sids: [],
    },
    timeoutMs: 30_000,
  },
  {
    id: 'nmap-syn-web',
    actor: 'scanner',
    tool: 'nmap',
    kind: 'portscan',
    targets: ['{web}'],
    ports: [21, 22, 23, 80, 443, 3389, 8080],
    argv: ['nmap', '-sS', '-Pn', '-n', '--max-retries', '1', '-p', '21,22,23,80,443,3389,8080', '{web}'],
    expect: { open: [80], firewall: 'LOG for 23, 3389 (DROP) and 443 (REJECT with RST)' },
    timeoutMs: 60_000,
  },
  ...HPING3_FLAGS.map(
    ([name, flags]): LabAction => ({
      id: `hping3-${name}`,
      actor: 'scanner',
      tool: 'hping3',
      kind: 'flag-scan',
      targets: ['{web}'],
      ports: [80, 81],
      argv: hping3Probe(flags),
      expect: { capture: 'probes to 80 get no answer (open), to 81 get RST (closed)' },
      timeoutMs: 20_000,
    }),
  ),
  {
    id: 'hydra-ssh',
    actor: 'brute',
    tool: 'hydra',
    kind: 'bruteforce',
    targets: ['{ssh}'],
    ports: [22],
    argv: HYDRA_SSH,
    expect: {
      sids: [2006546],
      login_succeeded: false,
      users: HYDRA_USERS,
      passwords: HYDRA_PASSWORDS,
      auth_log: 'Failed password for labuser / invalid user admin from {src}',
    },
    timeoutMs: 90_000,
  },
  {
    id: 'jce-scan',
    actor: 'webbot',
    tool: 'curl',
    kind: 'web-scan',
    targets: ['{web}'],
    ports: [80],
    argv: [
      ...curl,
      '-A',
      JCE_UA,
      'http://{web}/index.php?option=com_jce&task=plugin&plugin=imgmanager&file=imgmanager&version=1576&cid=20',
    ],
    expect: { sids: [2016032], http_status: 404 },
  },
  {
    id: 'nessus-ua',
    actor: 'webbot',
    tool: 'curl',
    kind: 'web-scan',
    targets: ['{web}'],
    ports: [80],
    argv: [...curl, '-A', NESSUS_UA, 'http://{web}/'],
    expect: { sids: [2002664], http_status: 200 },
  },
  {
    id: 'zyxel-rom-0',
    actor: 'webbot',
    tool: 'curl',
    kind: 'exploit-attempt',
    targets: ['{web}'],
    ports: [80],
    argv: [...curl, '-H', 'Cookie: C6=rom0', '-H', 'Connection: Close', 'http://{web}/rom-0'],
    expect: { sids: [2018232], http_status: 404, relevant: false },
  },
  {
    id: 'joomla-rce-ua',
    actor: 'webbot',
    tool: 'curl',
    kind: 'exploit-attempt',
    targets: ['{web}'],
    ports: [80],
    argv: [
      ...curl,
      '-H',
      'Connection: Close',
      '-H',
      'Accept: text/html, */*',
      '-A',
      JOOMLA_RCE_UA,
      'http://{web}/',
    ],
    expect: { sids: [2022263], http_status: 200, relevant: false },
  },
  {
    id: 'nmap-sv-sc-web',
    actor: 'scanner',
    tool: 'nmap',
    kind: 'service-scan',
    targets: ['{web}'],
    ports: [80],
    argv: ['nmap', '-sV', '-sC', '-Pn', '-n', '-p', '80', '{web}'],
    expect: { sids: [2009358], access_log: 'Nmap Scripting Engine user agent' },
    timeoutMs: 120_000,
  },
  {
    id: 'benign-ssh-login',
    actor: 'benign',
    tool: 'sshpass+ssh',
    kind: 'benign',
    targets: ['{ssh}'],
    ports: [22],
    argv: [
      'sshpass',
      '-p',
      '{password}',
      'ssh',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'PubkeyAuthentication=no',
      'labuser@{ssh}',
      'uname -s',
    ],
    expect: { noFinding: true, login_succeeded: true, auth_log: 'Accepted password for labuser from {src}' },
    timeoutMs: 20_000,
  },
  {
    id: 'benign-web-2',
    actor: 'benign',
    tool: 'curl',
    kind: 'benign',
    targets: ['{web}'],
    ports: [80],
    argv: [...curl, 'http://{web}/about.html'],
    expect: { noFinding: true, http_status: 200 },
  },
  {
    id: 'benign-udp',
    actor: 'benign',
    tool: 'bash',
    kind: 'benign',
    targets: ['{idle}'],
    ports: [7],
    argv: ['bash', '-c', 'echo picket-lab-hello > /dev/udp/{idle}/7'],
    expect: { noFinding: true, capture: 'one UDP datagram and an ICMP port unreachable' },
  },
];

/** Scenario name → action ids, run in this order. */
export const SCENARIOS: Readonly<Record<string, readonly string[]>> = {
  basic: ACTIONS.map((a) => a.id),
  /** Small and fast (no nmap -sV -sC) for the test. */
  tiny: [
    'benign-web-1',
    'masscan-sweep-22',
    'hydra-ssh',
    'jce-scan',
    'nessus-ua',
    'zyxel-rom-0',
    'joomla-rce-ua',
  ],
  /** Scans and brute force with per-action detection truth (expect.finding / seenBy / bySource); see scans.ts. */
  scans: SCANS_SCENARIO,
};

const ALL_ACTIONS: readonly LabAction[] = [...ACTIONS, ...SCAN_ACTIONS];

export function scenarioActions(name: string): LabAction[] {
  const ids = SCENARIOS[name];
  if (!ids) throw new Error(`unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return ids.map((id) => {
    const a = ALL_ACTIONS.find((x) => x.id === id);
    if (!a) throw new Error(`scenario ${name} lists unknown action ${id}`);
    return a;
  });
}

/** Replace {name} placeholders; an unknown one is a programmer error. */
export function fill(s: string, vars: Readonly<Record<string, string>>): string {
  return s.replace(/\{([a-z]+)\}/g, (m, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`unknown placeholder ${m} in "${s}"`);
    return v;
  });
}
