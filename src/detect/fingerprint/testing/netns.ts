/**
 * Test helper: two network namespaces joined by a veth pair (scanner side
 * 10.213.0.1, target side 10.213.0.2 with a listener on port 80), tcpdump
 * on the target side, and one tool run from the scanner side. Nothing leaves
 * the namespaces. Needs root, ip, tcpdump.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCANNER = '10.213.0.1';
export const TARGET = '10.213.0.2';

export interface Lab {
  scannerNs: string;
  targetNs: string;
  scannerIf: string;
  targetMac: string;
  /** Runs `cmd` in the scanner namespace while capturing on the target side; returns the pcap path. */
  capture(cmd: string[], timeoutMs?: number): Promise<string>;
  close(): void;
}

function sh(args: string[]): string {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function exited(p: ChildProcess): Promise<void> {
  return new Promise((res) => (p.exitCode !== null ? res() : p.once('exit', () => res())));
}

/** Creates the two namespaces (names carry the pid so parallel runs do not meet). */
export function openLab(): Lab {
  const id = `pk${process.pid % 100000}`;
  const scannerNs = `${id}s`;
  const targetNs = `${id}t`;
  const scannerIf = `${id}a`;
  const targetIf = `${id}b`;
  const dir = mkdtempSync(join(tmpdir(), 'picket-netns-'));
  sh(['ip', 'netns', 'add', scannerNs]);
  sh(['ip', 'netns', 'add', targetNs]);
  const servers: ChildProcess[] = [];
  const close = () => {
    for (const s of servers) s.kill('SIGTERM');
    spawnSync('ip', ['netns', 'del', scannerNs]);
    spawnSync('ip', ['netns', 'del', targetNs]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    sh(['ip', 'link', 'add', scannerIf, 'type', 'veth', 'peer', 'name', targetIf]);
    sh(['ip', 'link', 'set', scannerIf, 'netns', scannerNs]);
    sh(['ip', 'link', 'set', targetIf, 'netns', targetNs]);
    sh(['ip', '-n', scannerNs, 'addr', 'add', `${SCANNER}/24`, 'dev', scannerIf]);
    sh(['ip', '-n', targetNs, 'addr', 'add', `${TARGET}/24`, 'dev', targetIf]);
    for (const [ns, dev] of [
      [scannerNs, scannerIf],
      [targetNs, targetIf],
    ] as const) {
      sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
      sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const targetMac = sh([
      'ip',
      'netns',
      'exec',
      targetNs,
      'cat',
      `/sys/class/net/${targetIf}/address`,
    ]).trim();
    // An open port 80 so SYN scans see a SYN-ACK.
    servers.push(
      spawn('ip', ['netns', 'exec', targetNs, 'python3', '-m', 'http.server', '80', '--bind', TARGET], {
        stdio: 'ignore',
      }),
    );
    let n = 0;
    return {
      scannerNs,
      targetNs,
      scannerIf,
      targetMac,
      async capture(cmd, timeoutMs = 60_000) {
        const pcap = join(dir, `run${n++}.pcap`);
        const dump = spawn(
          'ip',
          ['netns', 'exec', targetNs, 'tcpdump', '--immediate-mode', '-i', targetIf, '-U', '-w', pcap],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        await new Promise<void>((res) => {
          const t = setTimeout(res, 3000);
          dump.stderr!.on('data', (d: Buffer) => {
            if (d.toString().includes('listening')) {
              clearTimeout(t);
              res();
            }
          });
        });
        // tcpdump says "listening" a little before packets reach its file: let it settle.
        await new Promise((r) => setTimeout(r, 1000));
        const tool = spawnSync('ip', ['netns', 'exec', scannerNs, ...cmd], {
          encoding: 'utf8',
          timeout: timeoutMs,
        });
        // Without immediate mode libpcap hands packets over in blocks, up to a second late.
        await new Promise((r) => setTimeout(r, 500));
        dump.kill('SIGINT');
        await exited(dump);
        if (tool.error) throw tool.error;
        return pcap;
      },
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
