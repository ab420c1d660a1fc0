/**
 * The lab network as data, and the commands that build and remove it.
 *
 * Everything lives in network namespaces whose names start with a per-run
 * prefix; the root namespace gets no links, routes or rules. The gateway
 * namespace holds two bridges: `brout` (the "Internet" side, where attackers
 * and the benign client sit) and `brin` (the monitored /27). Attackers get a
 * route to the /27 only, never a default route, so nothing can leave.
 */
import { execFileSync } from 'node:child_process';

export type Segment = 'inside' | 'outside';

/** One namespace with one interface (eth0) on a lab segment. */
export interface LabHost {
  /** Short role name, also the namespace suffix: `web`, `scanner`... */
  name: string;
  segment: Segment;
  address: string;
  /** Human role, recorded in lab.json. */
  role: string;
}

export const INSIDE_PREFIX = '10.99.0.0/27';
export const INSIDE_GW = '10.99.0.1';
export const OUTSIDE_PREFIX = '10.99.1.0/24';
export const OUTSIDE_GW = '10.99.1.1';

/** The hosts of the basic lab. Unlisted addresses of the /27 are dark. */
export const LAB_HOSTS: readonly LabHost[] = [
  { name: 'web', segment: 'inside', address: '10.99.0.10', role: 'nginx on :80' },
  { name: 'ssh', segment: 'inside', address: '10.99.0.11', role: 'OpenSSH sshd on :22' },
  { name: 'idle', segment: 'inside', address: '10.99.0.12', role: 'live host, no services' },
  { name: 'idle2', segment: 'inside', address: '10.99.0.20', role: 'live host behind the port-22 deny' },
  { name: 'scanner', segment: 'outside', address: '10.99.1.66', role: 'masscan, nmap, hping3' },
  { name: 'brute', segment: 'outside', address: '10.99.1.67', role: 'hydra ssh (libssh)' },
  { name: 'webbot', segment: 'outside', address: '10.99.1.68', role: 'curl with scanner user agents' },
  { name: 'benign', segment: 'outside', address: '10.99.1.80', role: 'normal client' },
  // One address per scan of the `scans` scenario, so every finding's source names one action.
  { name: 'synscan', segment: 'outside', address: '10.99.1.70', role: 'nmap -sS of 1,024 ports' },
  { name: 'connscan', segment: 'outside', address: '10.99.1.71', role: 'nmap -sT' },
  { name: 'udpscan', segment: 'outside', address: '10.99.1.72', role: 'nmap -sU' },
  { name: 'pinger', segment: 'outside', address: '10.99.1.73', role: 'nmap -sn host discovery' },
  { name: 'zmapper', segment: 'outside', address: '10.99.1.74', role: 'ZMap sweep' },
  { name: 'flagger', segment: 'outside', address: '10.99.1.75', role: 'hping3 NULL/FIN/Xmas probes' },
  { name: 'slow', segment: 'outside', address: '10.99.1.76', role: 'slow nmap -sS (one probe per 10 s)' },
];

/** Address of a lab host by name, e.g. address('web') === '10.99.0.10'. */
export function address(name: string): string {
  const h = LAB_HOSTS.find((x) => x.name === name);
  if (!h) throw new Error(`no lab host ${name}`);
  return h.address;
}

/** Run a command, throwing with its stderr when it fails. */
export function run(argv: readonly string[], input?: string): string {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('run: empty argv');
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`command failed: ${argv.join(' ')}\n${e.stderr ?? e.message}`);
  }
}

/** argv that runs `argv` inside namespace `ns`. */
export function inNs(ns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv];
}

export interface Topology {
  prefix: string;
  gw: string;
  /** Namespace name per host name. */
  ns: Map<string, string>;
  gwOutsideMac: string;
  /** Addresses of the /27 that no host owns (they get fake neighbours so sweeps reach the wire). */
  dark: string[];
}

/** IPv4-only lab: without this, router solicitations and MLD reports fill the capture. */
function quietIpv6(ns: string): void {
  run(
    inNs(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']),
  );
}

function fakeMac(i: number): string {
  return `02:99:00:00:00:${i.toString(16).padStart(2, '0')}`;
}

/**
 * Build the namespaces, bridges and veths. Registers every namespace in
 * `created` as soon as it exists, so a failure half-way still tears down.
 */
export function buildTopology(prefix: string, created: string[]): Topology {
  const gw = `${prefix}gw`;
  run(['ip', 'netns', 'add', gw]);
  created.push(gw);
  quietIpv6(gw);
  const g = (args: string[]) => run(['ip', '-n', gw, ...args]);
  g(['link', 'set', 'lo', 'up']);
  run(inNs(gw, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']));
  for (const [br, addr] of [
    ['brin', `${INSIDE_GW}/27`],
    ['brout', `${OUTSIDE_GW}/24`],
  ] as const) {
    g(['link', 'add', br, 'type', 'bridge']);
    g(['addr', 'add', addr, 'dev', br]);
    g(['link', 'set', br, 'up']);
  }
  const ns = new Map<string, string>();
  LAB_HOSTS.forEach((h, i) => {
    const name = `${prefix}${h.name}`;
    run(['ip', 'netns', 'add', name]);
    created.push(name);
    ns.set(h.name, name);
    quietIpv6(name);
    const port = `p${i}`;
    run(['ip', 'link', 'add', 'eth0', 'netns', name, 'type', 'veth', 'peer', 'name', port, 'netns', gw]);
    const br = h.segment === 'inside' ? 'brin' : 'brout';
    g(['link', 'set', port, 'master', br]);
    g(['link', 'set', port, 'up']);
    const n = (args: string[]) => run(['ip', '-n', name, ...args]);
    n(['link', 'set', 'lo', 'up']);
    n(['addr', 'add', `${h.address}/${h.segment === 'inside' ? 27 : 24}`, 'dev', 'eth0']);
    n(['link', 'set', 'eth0', 'up']);
    // Inside hosts answer the outside through the gateway; outside hosts reach only the /27.
    if (h.segment === 'inside') n(['route', 'add', OUTSIDE_PREFIX, 'via', INSIDE_GW]);
    else n(['route', 'add', INSIDE_PREFIX, 'via', OUTSIDE_GW]);
  });
  const owned = new Set(LAB_HOSTS.map((h) => h.address));
  owned.add(INSIDE_GW);
  const dark: string[] = [];
  for (let i = 1; i < 31; i++) {
    const a = `10.99.0.${i}`;
    if (owned.has(a)) continue;
    dark.push(a);
    // A permanent neighbour makes the gateway put the SYN on the inside wire (as a real
    // router with a stale ARP entry would); nobody owns the MAC, so nobody answers.
    g(['neigh', 'replace', a, 'lladdr', fakeMac(i), 'nud', 'permanent', 'dev', 'brin']);
  }
  const link = JSON.parse(g(['-j', 'link', 'show', 'brout'])) as { address: string }[];
  const gwOutsideMac = link[0]?.address;
  if (!gwOutsideMac) throw new Error('could not read the gateway MAC of brout');
  return { prefix, gw, ns, gwOutsideMac, dark };
}

/** Delete every namespace in `created` (reverse order); never throws. */
export function teardownTopology(created: string[]): string[] {
  const errors: string[] = [];
  for (const name of [...created].reverse()) {
    try {
      run(['ip', 'netns', 'del', name]);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  created.length = 0;
  return errors;
}
