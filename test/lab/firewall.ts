/**
 * The perimeter firewall of the lab (iptables in the gateway namespace) and
 * the collection of its LOG lines into a kern.log-style file.
 *
 * The kernel LOG target writes to the kernel ring buffer; for a namespace
 * other than the root one it does so only while the global sysctl
 * net.netfilter.nf_log_all_netns is 1, so the lab sets it for the run and
 * restores the old value afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { INSIDE_PREFIX, inNs, run } from './topology.js';

export const LOG_PREFIX = 'PICKET-DENY ';

/** What the firewall does, as data: each rule is LOGged with LOG_PREFIX, then dropped or rejected. */
export const DENY_RULES: readonly {
  chain: 'FORWARD' | 'INPUT';
  match: string[];
  verdict: string[];
  why: string;
}[] = [
  {
    chain: 'FORWARD',
    match: ['-p', 'tcp', '--dport', '22', '-d', '10.99.0.16/28'],
    verdict: ['DROP'],
    why: 'port 22 is closed to the upper half of the /27: sweeps there are seen only by the firewall',
  },
  { chain: 'FORWARD', match: ['-p', 'tcp', '--dport', '23'], verdict: ['DROP'], why: 'telnet' },
  { chain: 'FORWARD', match: ['-p', 'tcp', '--dport', '3389'], verdict: ['DROP'], why: 'rdp' },
  {
    chain: 'FORWARD',
    match: ['-p', 'tcp', '--dport', '443'],
    verdict: ['REJECT', '--reject-with', 'tcp-reset'],
    why: 'no https inside',
  },
  {
    chain: 'INPUT',
    match: ['-p', 'tcp', '--syn'],
    verdict: ['DROP'],
    why: 'the gateway itself offers nothing (like a NAT box whose management port is probed)',
  },
];

/** Install the rules in the gateway namespace. */
export function installFirewall(gw: string): void {
  const ipt = (args: string[]) => run(inNs(gw, ['iptables', '-w', ...args]));
  for (const chain of ['FORWARD', 'INPUT']) {
    ipt(['-A', chain, '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
  }
  for (const r of DENY_RULES) {
    ipt(['-A', r.chain, ...r.match, '-j', 'LOG', '--log-prefix', LOG_PREFIX]);
    ipt(['-A', r.chain, ...r.match, '-j', ...r.verdict]);
  }
  ipt(['-A', 'FORWARD', '-d', INSIDE_PREFIX, '-j', 'ACCEPT']);
}

const SYSCTL = '/proc/sys/net/netfilter/nf_log_all_netns';

/** Turn on LOG for all namespaces; returns the previous value for restoreNfLog. */
export function enableNfLog(): string {
  const old = readFileSync(SYSCTL, 'utf8').trim();
  writeFileSync(SYSCTL, '1');
  return old;
}

export function restoreNfLog(old: string): void {
  writeFileSync(SYSCTL, old);
}

/** Seconds since boot, the clock of the kernel ring buffer. */
export function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164 timestamp ("Sep  2 10:00:01") in UTC, as rsyslog's traditional format writes it. */
export function syslogTime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0'));
  return `${MONTHS[d.getUTCMonth()]} ${day} ${hms.join(':')}`;
}

/**
 * Read the kernel ring buffer and keep the lab's LOG lines logged after
 * `sinceUptime`, written as kern.log lines ("<time> <host> kernel: [ up] PICKET-DENY ...").
 * Lines of other runs are told apart by time and by the lab's addresses.
 */
export function collectFirewallLog(sinceUptime: number, host: string, outFile: string): number {
  const bootMs = Date.now() - uptimeSeconds() * 1000;
  const raw = readKmsgLines();
  const lines: string[] = [];
  for (const r of raw) {
    if (r.uptime < sinceUptime || !r.text.startsWith(LOG_PREFIX) || !r.text.includes('SRC=10.99.')) continue;
    const up = r.uptime.toFixed(6).padStart(12, ' ');
    lines.push(`${syslogTime(bootMs + r.uptime * 1000)} ${host} kernel: [${up}] ${r.text}`);
  }
  writeFileSync(outFile, lines.length ? `${lines.join('\n')}\n` : '');
  return lines.length;
}

/** The ring buffer as (uptime seconds, text) records, via `dmesg --raw` which keeps the exact kernel clock. */
function readKmsgLines(): { uptime: number; text: string }[] {
  const out = run(['dmesg', '--raw']);
  const recs: { uptime: number; text: string }[] = [];
  for (const line of out.split('\n')) {
    const m = /^<\d+>\[\s*(\d+\.\d+)\] (.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) recs.push({ uptime: Number(m[1]), text: m[2] });
  }
  return recs;
}
