/**
 * What each lab artefact records per source address, counted with tools that
 * are not Picket (tshark for the capture, plain parsing for the logs and the
 * nfdump CSV), so the truth's per-source counts can be checked on every run.
 *
 * Example:
 *   const c = artefactCounts(dir, 'firewall', '10.99.1.66'); // { hosts: 17, ports: 1, users: 0 }
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabSource } from './expect.js';

export interface SourceCounts {
  /** Distinct destination addresses of packets/flows/lines from the source. */
  hosts: number;
  /** Distinct destination TCP/UDP ports. */
  ports: number;
  /** Distinct user names in failed logins (sshd only). */
  users: number;
}

const cache = new Map<string, Map<string, { hosts: Set<string>; ports: Set<string>; users: Set<string> }>>();

function bucket(m: Map<string, { hosts: Set<string>; ports: Set<string>; users: Set<string> }>, src: string) {
  let b = m.get(src);
  if (!b) {
    b = { hosts: new Set(), ports: new Set(), users: new Set() };
    m.set(src, b);
  }
  return b;
}

/** Per source: the capture's packets by their OUTER IP header (ICMP errors quote the prober's header too). */
function fromCapture(file: string) {
  const r = spawnSync(
    'tshark',
    [
      '-r',
      file,
      '-T',
      'fields',
      '-E',
      'occurrence=f',
      '-e',
      'ip.src',
      '-e',
      'ip.dst',
      '-e',
      'ip.proto',
      '-e',
      'tcp.dstport',
      '-e',
      'udp.dstport',
      '-e',
      'icmp.type',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const m = new Map();
  for (const line of r.stdout.split('\n')) {
    const [src, dst, proto, tport, uport, icmpType] = line.split('\t');
    if (!src || !dst) continue;
    const b = bucket(m, src);
    // An ICMP error's quoted header fills tcp/udp ports; it is the target's answer, not a probe.
    if (proto === '1' && icmpType !== '8' && icmpType !== '13') continue;
    b.hosts.add(dst);
    if (proto === '6' && tport) b.ports.add(`tcp/${tport}`);
    if (proto === '17' && uport) b.ports.add(`udp/${uport}`);
  }
  return m;
}

function fromFirewall(file: string) {
  const m = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const src = / SRC=(\S+)/.exec(line)?.[1];
    const dst = / DST=(\S+)/.exec(line)?.[1];
    if (!src || !dst) continue;
    const b = bucket(m, src);
    b.hosts.add(dst);
    const proto = / PROTO=(\w+)/.exec(line)?.[1];
    const dpt = / DPT=(\d+)/.exec(line)?.[1];
    if (dpt) b.ports.add(`${proto?.toLowerCase()}/${dpt}`);
  }
  return m;
}

/** nfdump CSV: sa, da, sp, dp, pr are columns 4-8; ICMP flows put type*256+code in dp (2048 echo, 3328 timestamp). */
function fromNetflow(file: string) {
  const m = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!/^\d{4}-/.test(line)) continue;
    const [, , , sa, da, , dp, pr] = line.split(',');
    if (!sa || !da) continue;
    if (pr === 'ICMP' && dp !== undefined && !['2048', '3328'].includes(dp)) continue;
    const b = bucket(m, sa);
    b.hosts.add(da);
    if (pr === 'TCP' || pr === 'UDP') b.ports.add(`${pr.toLowerCase()}/${dp}`);
  }
  return m;
}

function fromAuthLog(file: string) {
  const m = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = /Failed password for (?:invalid user )?(\S+) from (\S+) port/.exec(line);
    if (!f?.[1] || !f[2]) continue;
    const b = bucket(m, f[2]);
    b.users.add(f[1]);
    b.hosts.add(/^\S+ +\d+ \S+ (\S+) /.exec(line)?.[1] ?? '?');
    b.ports.add('tcp/22');
  }
  return m;
}

const FILES: Record<
  LabSource,
  [string, (f: string) => Map<string, { hosts: Set<string>; ports: Set<string>; users: Set<string> }>]
> = {
  pcap: ['capture.pcap', fromCapture],
  netflow: [join('netflow', 'flows.csv'), fromNetflow],
  firewall: ['firewall.log', fromFirewall],
  sshd: ['auth.log', fromAuthLog],
};

/** What `source`'s artefact in lab folder `dir` records from `src`. */
export function artefactCounts(dir: string, source: LabSource, src: string): SourceCounts {
  const [rel, read] = FILES[source];
  const file = join(dir, rel);
  let m = cache.get(file);
  if (!m) {
    m = read(file);
    cache.set(file, m);
  }
  const b = m.get(src);
  return { hosts: b?.hosts.size ?? 0, ports: b?.ports.size ?? 0, users: b?.users.size ?? 0 };
}
