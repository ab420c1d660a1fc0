/**
 * `picket listen`: runs the live collectors (syslog UDP/TCP, NetFlow/IPFIX
 * UDP) into the store until SIGINT or SIGTERM, showing the counters on a
 * status line, or as JSON lines with --json.
 */
import { isIP } from 'node:net';
import { type Command, Option } from 'commander';
import {
  type CollectorStats,
  type ListenAddress,
  ListenBindError,
  type ListenStats,
  startListeners,
} from '../../pipeline/listen.js';
import { DEFAULT_STORE_PATH, openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { createProblemLog, formatProblem } from '../../util/problems.js';
import { CliError, ExitCode } from './exit-codes.js';

/**
 * `[HOST:]PORT` → address; a bare port listens on every IPv4 interface. IPv6 as `[::1]:514`.
 *
 * @example parseListenAddress('127.0.0.1:5514', '--syslog-tcp') // { host: '127.0.0.1', port: 5514 }
 */
export function parseListenAddress(text: string, option: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]:|([A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2] ?? '0.0.0.0';
  const port = m ? Number(m[3]) : Number.NaN;
  const bad = !m || port > 65535 || (m[1] !== undefined && isIP(m[1]) !== 6);
  if (bad)
    throw new CliError(
      `${option} ${JSON.stringify(text)} is not an address to listen on`,
      ExitCode.USAGE,
      `give PORT, HOST:PORT or [IPv6]:PORT, e.g. ${option} 514 or ${option} 127.0.0.1:5514`,
    );
  return { host, port };
}

const bindHints: Record<string, string> = {
  EADDRINUSE:
    'another program (rsyslog, syslog-ng, nfcapd, a second picket listen) holds that port: stop it, or give another port (see `ss -lntup`)',
  EACCES: 'ports below 1024 need root or CAP_NET_BIND_SERVICE; or use a port above 1023',
  EADDRNOTAVAIL: 'give an address of this machine, 0.0.0.0 for every interface, or just the port',
  ENOTFOUND: 'give an IP address, or just the port',
};

export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description(
      'run live collectors into the store: syslog over UDP and TCP (RFC 3164/5424, RFC 6587 framing) and NetFlow v5/v9/IPFIX over UDP; Ctrl-C stops and flushes',
    )
    .option('--syslog-udp <[HOST:]PORT>', 'syslog over UDP, one message per datagram (usually 514)')
    .option(
      '--syslog-tcp <[HOST:]PORT>',
      'syslog over TCP, octet-counted or newline framing (usually 514 or 6514)',
    )
    .option('--netflow <[HOST:]PORT>', 'NetFlow v5/v9 and IPFIX over UDP (usually 2055 or 4739)')
    .addOption(
      new Option('--db <path>', 'store location (SQLite file, or sqlite:PATH)').default(DEFAULT_STORE_PATH),
    )
    .option('--json', 'counters as JSON lines on stdout: at start, every --interval seconds and at exit')
    .option('--interval <seconds>', 'seconds between JSON counter lines', toPositive, 10)
    .option(
      '--max-queue <n>',
      'events waiting for the store before UDP drops and TCP pauses',
      toPositive,
      10_000,
    )
    .option('-q, --quiet', 'no status line')
    .action(async (o) => {
      const at = {
        syslogUdp: o.syslogUdp ? parseListenAddress(o.syslogUdp, '--syslog-udp') : undefined,
        syslogTcp: o.syslogTcp ? parseListenAddress(o.syslogTcp, '--syslog-tcp') : undefined,
        netflowUdp: o.netflow ? parseListenAddress(o.netflow, '--netflow') : undefined,
      };
      if (!at.syslogUdp && !at.syslogTcp && !at.netflowUdp)
        throw new CliError(
          'nothing to listen on',
          ExitCode.USAGE,
          'give at least one of --syslog-udp, --syslog-tcp, --netflow, e.g. `picket listen --syslog-udp 5514`',
        );
      await listen({
        ...at,
        db: o.db,
        json: !!o.json,
        intervalSec: o.interval,
        maxQueue: o.maxQueue,
        quiet: !!o.quiet,
      });
    });
}

interface ListenRun {
  syslogUdp: ListenAddress | undefined;
  syslogTcp: ListenAddress | undefined;
  netflowUdp: ListenAddress | undefined;
  db: string;
  json: boolean;
  intervalSec: number;
  maxQueue: number;
  quiet: boolean;
}

async function listen(o: ListenRun): Promise<void> {
  let store: Store;
  try {
    store = await openStore(o.db);
  } catch (e) {
    throw new CliError(
      `cannot open the store ${o.db}: ${(e as Error).message}`,
      ExitCode.STORE,
      'use --db PATH for another location',
    );
  }
  const problems = createProblemLog();
  const out = (obj: object) => process.stdout.write(`${JSON.stringify(obj)}\n`);
  const status = o.json || o.quiet ? undefined : statusLine();
  try {
    const runId = await store.beginRun({
      command: ['listen', ...process.argv.slice(3)].join(' '),
      inputs: [],
    });
    let listeners: Awaited<ReturnType<typeof startListeners>>;
    try {
      listeners = await startListeners({
        syslogUdp: o.syslogUdp,
        syslogTcp: o.syslogTcp,
        netflowUdp: o.netflowUdp,
        store,
        problems,
        maxQueue: o.maxQueue,
        statsIntervalMs: o.json ? o.intervalSec * 1000 : 250,
        onStats: (s) => (o.json ? out({ event: 'stats', ...s }) : status?.update(s)),
      });
    } catch (e) {
      if (e instanceof ListenBindError)
        throw new CliError(e.message, ExitCode.USAGE, bindHints[e.code] ?? 'check the address and port');
      throw e;
    }
    const first = listeners.stats();
    if (o.json) out({ event: 'listening', db: o.db, collectors: first.collectors.map(whereAbout) });
    else
      process.stderr.write(
        `picket listen: ${first.collectors.map((c) => `${c.kind} on ${c.address}`).join(', ')}; storing into ${o.db} (Ctrl-C stops)\n`,
      );

    await untilSignal();
    status?.done();
    const final = await listeners.close();
    await store.writeProblems(runId, problems.counts, problems.samples);
    await store.finishRun(runId, { listen: final, problems: Object.fromEntries(problems.counts) });
    if (o.json) out({ event: 'final', ...final });
    else process.stderr.write(formatFinal(final, problems.samples.map(formatProblem)));
  } finally {
    status?.done();
    await store.close();
  }
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const hard = () => {
        process.stderr.write('picket listen: second signal, exiting without flushing\n');
        process.exit(130);
      };
      process.once('SIGINT', hard);
      process.once('SIGTERM', hard);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function whereAbout(c: CollectorStats) {
  return { kind: c.kind, address: c.address };
}

/** The self-overwriting terminal line (like analyze's progress), only when stderr is a terminal. */
function statusLine(stream: NodeJS.WriteStream = process.stderr) {
  let shown = false;
  return {
    update(s: ListenStats) {
      if (!stream.isTTY) return;
      const parts = s.collectors.map(
        (c) =>
          `${c.kind} ${n(c.received)} in, ${n(c.events)} stored, ${n(c.rejected)} rejected, ${n(c.dropped + (c.kernelDropped ?? 0))} dropped${c.connections ? `, ${c.connections.open} conn` : ''}`,
      );
      const line = `${parts.join(' | ')} | queue ${n(s.queue.depth)} | ${s.uptimeSec.toFixed(0)} s`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 120) - 1)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

function formatFinal(s: ListenStats, samples: string[]): string {
  const lines = [`picket listen stopped after ${s.uptimeSec.toFixed(1)} s`];
  for (const c of s.collectors) {
    const reasons = Object.entries(c.rejectedBy)
      .map(([code, k]) => `${code} ${n(k)}`)
      .join(', ');
    lines.push(
      `  ${c.kind} ${c.address}: received ${n(c.received)} (${(c.bytes / 1e6).toFixed(1)} MB), parsed ${n(c.parsed)}, ` +
        `stored ${n(c.events)}, without event ${n(c.withoutEvent)}, rejected ${n(c.rejected)}${reasons ? ` (${reasons})` : ''}, ` +
        `dropped ${n(c.dropped)}${c.kernelDropped !== undefined ? `, kernel dropped ${n(c.kernelDropped)}` : ''}` +
        `${c.connections ? `, connections ${n(c.connections.total)} (${n(c.connections.pauses)} pauses)` : ''}`,
    );
  }
  lines.push(
    `  store: ${n(s.store.events)} events in ${n(s.store.batches)} batches, ${n(s.store.failed)} failed`,
  );
  for (const p of samples.slice(0, 5)) lines.push(`  problem: ${p}`);
  return `${lines.join('\n')}\n`;
}

function n(v: number): string {
  return v.toLocaleString('en');
}

function toPositive(v: string): number {
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new CliError(`not a positive number: ${v}`, ExitCode.USAGE);
  return x;
}
