/**
 * The lab's long-running programs: nginx, sshd with a lab-private syslog
 * (rsyslogd), and tcpdump. Each is started in its namespace, tracked, and
 * stopped by pid in stopAll (never by name).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inNs, run } from './topology.js';

/** The password of the lab's only login; hydra's wordlist never contains it. */
export const LAB_USER = 'labuser';
export const LAB_PASSWORD = 'correct-horse-lab-7';

export class Processes {
  private readonly procs: { name: string; child: ChildProcess }[] = [];

  /** Start `argv` in namespace `ns`; stderr and stdout go to `logFile`. */
  start(name: string, ns: string, argv: string[], logFile: string): ChildProcess {
    const [cmd, ...args] = inNs(ns, argv);
    const child = spawn(cmd as string, args, { stdio: ['ignore', 'pipe', 'pipe'], env: labEnv() });
    let log = '';
    const keep = (b: Buffer) => {
      if (log.length < 200_000) log += b.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('close', () => writeFileSync(logFile, log));
    this.procs.push({ name, child });
    return child;
  }

  /** SIGTERM in reverse start order (SIGINT for tcpdump so it flushes), SIGKILL after 5 s. */
  async stopAll(): Promise<void> {
    for (const { name, child } of [...this.procs].reverse()) await stop(name, child);
    this.procs.length = 0;
  }

  async stopOne(name: string): Promise<void> {
    const i = this.procs.findIndex((p) => p.name === name);
    const p = this.procs[i];
    if (!p) return;
    this.procs.splice(i, 1);
    await stop(p.name, p.child);
  }
}

async function stop(name: string, child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill(name === 'tcpdump' ? 'SIGINT' : 'SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(timer);
}

/** Environment for everything the lab runs: UTC so all logs share one clock. */
export function labEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC', LANG: 'C', HOME: '/root' };
}

/** Poll until `check` is true, or throw naming `what`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** True when something in `ns` listens on TCP host:port (checked without connecting, so no log line). */
export function tcpListening(ns: string, host: string, port: number): boolean {
  return run(inNs(ns, ['ss', '-Hltn', `src ${host}:${port}`])).trim() !== '';
}

/** Start nginx in `ns` on addr:80 with combined access log and error log in `out`. */
export async function startNginx(
  p: Processes,
  ns: string,
  addr: string,
  work: string,
  out: string,
): Promise<void> {
  const dir = join(work, 'nginx');
  const www = join(work, 'www');
  for (const d of [dir, www]) mkdirSync(d, { recursive: true, mode: 0o755 });
  chmodSync(work, 0o755);
  writeFileSync(
    join(www, 'index.html'),
    '<html><head><title>Lab</title></head><body><h1>Picket lab web</h1></body></html>\n',
  );
  writeFileSync(join(www, 'about.html'), '<html><body><p>About this lab server.</p></body></html>\n');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `user www-data;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${out}/error.log error;
daemon off;
events { worker_connections 64; }
http {
  types { text/html html; }
  default_type application/octet-stream;
  access_log ${out}/access.log combined;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen ${addr}:80;
    server_name www.lab.example;
    root ${www};
    index index.html;
  }
}
`,
  );
  p.start('nginx', ns, ['nginx', '-e', `${out}/error.log`, '-c', conf], join(work, 'nginx.out'));
  await waitFor('nginx on :80', () => tcpListening(ns, addr, 80));
}

/** rsyslogd listening on a lab-private socket; auth and authpriv go to out/auth.log in traditional format. */
export async function startSyslog(
  p: Processes,
  ns: string,
  host: string,
  work: string,
  out: string,
): Promise<string> {
  const dir = join(work, 'rsyslog');
  mkdirSync(dir, { recursive: true });
  const sock = join(dir, 'log.sock');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${dir}" localHostName="${host}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${sock}" CreatePath="on" RateLimit.Interval="0")
auth,authpriv.* action(type="omfile" file="${out}/auth.log" template="RSYSLOG_TraditionalFileFormat")
*.*;auth,authpriv.none action(type="omfile" file="${dir}/other.log" template="RSYSLOG_TraditionalFileFormat")
`,
  );
  p.start(
    'rsyslogd',
    ns,
    ['rsyslogd', '-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')],
    join(work, 'rsyslogd.out'),
  );
  await waitFor('rsyslogd socket', () => existsSync(sock));
  return sock;
}

/**
 * sshd in its own mount namespace, where /etc/passwd, /etc/shadow and /etc/group
 * are lab copies with one extra user, /dev/log is the lab syslog socket and /run
 * is a private tmpfs; the machine's own files are never touched.
 */
export async function startSshd(
  p: Processes,
  ns: string,
  addr: string,
  work: string,
  sock: string,
): Promise<void> {
  const dir = join(work, 'sshd');
  const etc = join(dir, 'etc');
  const home = join(dir, 'home');
  const dev = join(dir, 'dev');
  for (const d of [etc, home, dev]) mkdirSync(d, { recursive: true, mode: 0o755 });
  const hash = run(['openssl', 'passwd', '-6', LAB_PASSWORD]).trim();
  const uid = 2999;
  writeFileSync(
    join(etc, 'passwd'),
    `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${LAB_USER}:x:${uid}:${uid}:Picket lab:${home}:/bin/sh\n`,
  );
  writeFileSync(
    join(etc, 'group'),
    `${readFileSync('/etc/group', 'utf8').trimEnd()}\n${LAB_USER}:x:${uid}:\n`,
  );
  writeFileSync(
    join(etc, 'shadow'),
    `${readFileSync('/etc/shadow', 'utf8').trimEnd()}\n${LAB_USER}:${hash}:20000:0:99999:7:::\n`,
    {
      mode: 0o640,
    },
  );
  const key = join(dir, 'ssh_host_ed25519_key');
  run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'picket-lab', '-f', key]);
  const conf = join(dir, 'sshd_config');
  writeFileSync(
    conf,
    `ListenAddress ${addr}
Port 22
HostKey ${key}
PidFile ${dir}/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
PermitRootLogin no
StrictModes no
UseDNS no
SyslogFacility AUTH
LogLevel INFO
MaxStartups 100
`,
  );
  const script = `set -e
mount --make-rprivate /
for f in passwd shadow group; do mount --bind ${etc}/$f /etc/$f; done
mount -t tmpfs -o mode=755 lab-dev ${dev}
for n in null zero random urandom full tty; do touch ${dev}/$n; mount --bind /dev/$n ${dev}/$n; done
ln -s ${sock} ${dev}/log
mount --rbind ${dev} /dev
mount -t tmpfs -o mode=755 lab-run /run
mkdir -m 755 /run/sshd
exec /usr/sbin/sshd -D -f ${conf}
`;
  p.start('sshd', ns, ['unshare', '-m', 'bash', '-c', script], join(work, 'sshd.out'));
  await waitFor('sshd on :22', () => tcpListening(ns, addr, 22));
}

/** Full-snaplen capture of the inside segment, as the site's sensor behind the firewall sees it. */
export async function startCapture(
  p: Processes,
  ns: string,
  iface: string,
  file: string,
  work: string,
): Promise<void> {
  const child = p.start(
    'tcpdump',
    ns,
    ['tcpdump', '-i', iface, '-n', '-s', '0', '-U', '-Z', 'root', '-w', file],
    join(work, 'tcpdump.out'),
  );
  let ready = false;
  child.stderr?.on('data', (b: Buffer) => {
    if (b.toString().includes('listening on')) ready = true;
  });
  await waitFor('tcpdump', () => ready);
}
