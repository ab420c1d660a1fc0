/**
 * Runs one lab scenario end to end: build the namespaces, start the servers
 * and the capture, run each action's real tool, collect every log, export
 * NetFlow, write truth.jsonl, and tear everything down even on failure.
 *
 * Example:
 *   const r = await runLab({ scenario: 'tiny', out: '/tmp/lab-out' });
 *   // r.truth[0].tool === 'curl'
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectFirewallLog, enableNfLog, installFirewall, restoreNfLog, uptimeSeconds } from './firewall.js';
import { exportNetflow } from './netflow.js';
import { fill, HYDRA_PASSWORDS, HYDRA_USERS, type LabAction, scenarioActions } from './scenarios.js';
import {
  LAB_PASSWORD,
  labEnv,
  Processes,
  startCapture,
  startNginx,
  startSshd,
  startSyslog,
} from './services.js';
import { address, buildTopology, INSIDE_PREFIX, inNs, LAB_HOSTS, run, teardownTopology } from './topology.js';

/** Programs the lab runs; also what the test checks with needTools. */
export const LAB_TOOLS = [
  'ip',
  'iptables',
  'dmesg',
  'unshare',
  'tcpdump',
  'nginx',
  'sshd',
  'rsyslogd',
  'openssl',
  'ssh-keygen',
  'masscan',
  'zmap',
  'nmap',
  'hping3',
  'hydra',
  'curl',
  'sshpass',
  'ssh',
  'softflowd',
  'nfcapd',
  'nfdump',
] as const;

export interface TruthRecord {
  id: string;
  ts_start: string;
  ts_end: string;
  actor: string;
  src: string;
  targets: string[];
  ports: number[];
  tool: string;
  kind: string;
  command: string;
  exit_code: number | null;
  expect: unknown;
}

export interface LabRunOptions {
  scenario: string;
  out: string;
  keepWork?: boolean;
  log?: (line: string) => void;
}

export interface LabRunResult {
  out: string;
  truth: TruthRecord[];
  firewallLines: number;
  netflowFile: string;
  netflowRows: number;
}

/** Shell-quote one argument so `command` in truth.jsonl can be pasted into a shell. */
export function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

function fillDeep(v: unknown, vars: Record<string, string>): unknown {
  if (typeof v === 'string') return fill(v, vars);
  if (Array.isArray(v)) return v.map((x) => fillDeep(x, vars));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillDeep(x, vars)]));
  return v;
}

/** Set by SIGINT/SIGTERM during a run: running actions are killed and the run unwinds through its finally. */
const interrupt: { signal: string | null; running: Set<ChildProcess> } = { signal: null, running: new Set() };

function onSignal(signal: string): void {
  interrupt.signal = signal;
  for (const c of interrupt.running) c.kill('SIGKILL');
}

async function runAction(
  ns: string,
  argv: string[],
  timeoutMs: number,
  logFile: string,
): Promise<number | null> {
  const [cmd, ...args] = inNs(ns, argv);
  const child = spawn(cmd as string, args, { stdio: ['ignore', 'pipe', 'pipe'], env: labEnv() });
  interrupt.running.add(child);
  let out = '';
  const keep = (b: Buffer) => {
    if (out.length < 100_000) out += b.toString();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  clearTimeout(timer);
  interrupt.running.delete(child);
  writeFileSync(logFile, out);
  return code;
}

/**
 * One lab run at a time per machine: the kernel's nf_log_all_netns switch and
 * the ring buffer the firewall lines come from are global, and the test runner
 * runs test files two at a time. The lock file holds the owner's pid; a lock
 * whose owner is gone is taken over.
 */
const LAB_LOCK = join(tmpdir(), 'picket-lab.lock');
const LOCK_WAIT_MS = 20 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquireLabLock(log: (s: string) => void): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      writeFileSync(LAB_LOCK, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(LAB_LOCK, 'utf8') === String(process.pid)) rmSync(LAB_LOCK, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(LAB_LOCK, 'utf8'));
    } catch {
      continue; // released between our two calls
    }
    if (!Number.isInteger(owner) || !processAlive(owner)) {
      rmSync(LAB_LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another lab run (pid ${owner}) holds ${LAB_LOCK}`);
    if (!told) log(`waiting for the lab run of pid ${owner} (${LAB_LOCK})`);
    told = true;
    await sleep(1000);
  }
}

/** Build, run and tear down one scenario; artefacts land in `out`. Needs root. */
export async function runLab(opts: LabRunOptions): Promise<LabRunResult> {
  if (process.getuid?.() !== 0)
    throw new Error('the lab needs root (network namespaces, iptables, mounts); run it with sudo');
  const log = opts.log ?? (() => {});
  const release = await acquireLabLock(log);
  try {
    return await runLocked(opts, log);
  } finally {
    release();
  }
}

async function runLocked(opts: LabRunOptions, log: (line: string) => void): Promise<LabRunResult> {
  const actions = scenarioActions(opts.scenario);
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const prefix = `pk${randomBytes(2).toString('hex')}-`;
  const created: string[] = [];
  const procs = new Processes();
  interrupt.signal = null;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const work = mkdtempSync('/tmp/picket-lab-');
  let oldNfLog: string | null = null;
  try {
    chmodSync(work, 0o755);
    mkdirSync(join(work, 'actions'));
    oldNfLog = enableNfLog();
    const since = uptimeSeconds();
    log(`building namespaces ${prefix}*`);
    const topo = buildTopology(prefix, created);
    installFirewall(topo.gw);
    writeFileSync(join(work, 'users.txt'), `${HYDRA_USERS.join('\n')}\n`);
    writeFileSync(join(work, 'passwords.txt'), `${HYDRA_PASSWORDS.join('\n')}\n`);
    const pcap = join(out, 'capture.pcap');
    await startCapture(procs, topo.gw, 'brin', pcap, work);
    const nsOf = (name: string) => {
      const n = topo.ns.get(name);
      if (!n) throw new Error(`no namespace for ${name}`);
      return n;
    };
    await startNginx(procs, nsOf('web'), address('web'), work, out);
    const sock = await startSyslog(procs, nsOf('ssh'), 'lab-ssh', work, out);
    await startSshd(procs, nsOf('ssh'), address('ssh'), work, sock);
    await sleep(500);
    // Truth lines stay in start order; a background action's line is filled in when it ends.
    const slots: (TruthRecord | undefined)[] = [];
    const background: Promise<void>[] = [];
    for (const a of actions) {
      if (interrupt.signal) throw new Error(`interrupted by ${interrupt.signal}; tearing down`);
      const slot = slots.push(undefined) - 1;
      const done = runOne(a, topo.gwOutsideMac, work, nsOf, log).then((t) => {
        slots[slot] = t;
      });
      if (a.background) {
        background.push(done);
        await sleep(200); // let it start before the next action, so start times keep the list's order
      } else await done;
    }
    await Promise.all(background);
    if (interrupt.signal) throw new Error(`interrupted by ${interrupt.signal}; tearing down`);
    const truth = slots.filter((t): t is TruthRecord => t !== undefined);
    await sleep(2000);
    await procs.stopOne('tcpdump');
    await procs.stopAll();
    const firewallLines = collectFirewallLog(since, 'lab-gw', join(out, 'firewall.log'));
    log(`firewall.log: ${firewallLines} lines`);
    const nf = await exportNetflow(procs, topo.gw, pcap, out, work);
    log(`netflow: ${nf.file}, ${nf.rows} flows`);
    writeFileSync(join(out, 'truth.jsonl'), `${truth.map((t) => JSON.stringify(t)).join('\n')}\n`);
    writeFileSync(
      join(out, 'lab.json'),
      `${JSON.stringify(labManifest(opts.scenario, topo.dark), null, 2)}\n`,
    );
    return { out, truth, firewallLines, netflowFile: nf.file, netflowRows: nf.rows };
  } finally {
    for (const c of interrupt.running) c.kill('SIGKILL'); // background actions still going after a failure
    await procs.stopAll();
    const errs = teardownTopology(created);
    if (oldNfLog !== null) restoreNfLog(oldNfLog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const e of errs) log(`teardown: ${e}`);
    if (!opts.keepWork) rmSync(work, { recursive: true, force: true });
    else log(`work dir kept: ${work}`);
  }
}

async function runOne(
  a: LabAction,
  gwmac: string,
  work: string,
  nsOf: (name: string) => string,
  log: (s: string) => void,
): Promise<TruthRecord> {
  const src = address(a.actor);
  const vars = {
    web: address('web'),
    ssh: address('ssh'),
    idle: address('idle'),
    inside: INSIDE_PREFIX,
    gwmac,
    src,
    work,
    password: LAB_PASSWORD,
  };
  const argv = a.argv.map((x) => fill(x, vars));
  const ts_start = new Date().toISOString();
  log(`${a.id}: ${a.tool} from ${src}`);
  const code = await runAction(
    nsOf(a.actor),
    argv,
    a.timeoutMs ?? 15_000,
    join(work, 'actions', `${a.id}.out`),
  );
  const ts_end = new Date().toISOString();
  return {
    id: a.id,
    ts_start,
    ts_end,
    actor: a.actor,
    src,
    targets: a.targets.map((t) => fill(t, vars)),
    ports: a.ports,
    tool: a.tool,
    kind: a.kind,
    // The password of the benign login is shown as a placeholder, not leaked into examples.
    command: argv.map((x) => (x === LAB_PASSWORD ? '{password}' : shellQuote(x))).join(' '),
    exit_code: code,
    expect: fillDeep(a.expect, vars),
  };
}

const PACKAGES = [
  'iproute2',
  'iptables',
  'tcpdump',
  'nginx-light',
  'nginx-core',
  'nginx',
  'openssh-server',
  'openssh-client',
  'rsyslog',
  'masscan',
  'zmap',
  'nmap',
  'hping3',
  'hydra',
  'curl',
  'sshpass',
  'softflowd',
  'nfdump',
];

function labManifest(scenario: string, dark: string[]): Record<string, unknown> {
  // dpkg-query exits 1 when a listed package is absent but still prints the others.
  const format = ['$', '{Package} $', '{Version}\\n'].join(''); // dpkg's own ${...} syntax, not a template
  const q = spawnSync('dpkg-query', ['-W', '-f', format, ...PACKAGES], {
    encoding: 'utf8',
  });
  const versions = Object.fromEntries(
    (q.stdout ?? '')
      .split('\n')
      .filter((l) => /^\S+ \S+$/.test(l))
      .map((l) => l.split(' ') as [string, string]),
  );
  return {
    scenario,
    made: new Date().toISOString(),
    kernel: run(['uname', '-r']).trim(),
    hosts: LAB_HOSTS,
    dark_addresses: dark,
    capture_point: 'gateway inside bridge (brin), behind the firewall',
    versions,
  };
}
