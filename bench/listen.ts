/**
 * Live ingestion under load (issue 3), on loopback into a real SQLite store:
 *  1. TCP syslog at 50,000 messages/s for 30 s from a child process: lost must be 0;
 *  2. a NetFlow v9 burst of 100,000 records, as fast as a child can send: stored must be 100,000;
 *  3. the same burst over UDP syslog (100,000 datagrams): every loss counted.
 * Prints a table; not run by the tests. "cpu µs/event" is the collector process's CPU (its
 * main and store-writer threads, not the sender) per event made: on a shared machine it moves
 * less with other load than the rates do.
 *
 *   node --import tsx bench/listen.ts [--rate 50000] [--seconds 30] [--records 100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Listeners, type ListenStats, startListeners } from '../src/pipeline/listen.js';
import {
  netflowBurstFile,
  sendFromChild,
  splitHostPort,
  udpReceiveQueue,
  waitFor,
} from '../src/pipeline/listen-testing.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/store.js';
import { createProblemLog } from '../src/util/problems.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '50000' },
    seconds: { type: 'string', default: '30' },
    records: { type: 'string', default: '100000' },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const records = Number(args.records);

interface Row {
  part: string;
  sent: number;
  sendSec: number;
  received: number;
  stored: number;
  lost: string;
  drainSec: number;
  /** CPU of the collector's process (all its threads, not the sender's) per event it made. */
  cpuUsPer: number;
  note: string;
}
const rows: Row[] = [];

async function storedCount(store: Store): Promise<number> {
  return Object.values(await store.countEvents()).reduce((a, b) => a + b, 0);
}

/** CPU use at the start of the current part. */
let partCpu = process.cpuUsage();
/** The collector process's CPU since the part started, in µs per `n` (n >= 1). */
function cpuPer(n: number): number {
  const c = process.cpuUsage(partCpu);
  return (c.user + c.system) / Math.max(1, n);
}

async function withCollector<T>(
  opts: { syslogTcp?: true; syslogUdp?: true; netflowUdp?: true },
  run: (l: Listeners, store: Store) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-bench-listen-'));
  const store = await openStore(join(dir, 'p.db'));
  const at = { host: '127.0.0.1', port: 0 };
  const l = await startListeners({
    syslogTcp: opts.syslogTcp ? at : undefined,
    syslogUdp: opts.syslogUdp ? at : undefined,
    netflowUdp: opts.netflowUdp ? at : undefined,
    store,
    problems: createProblemLog(),
  });
  try {
    partCpu = process.cpuUsage();
    return await run(l, store);
  } finally {
    await l.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time from the sender's end until everything is stored (the collector's lag). */
async function drain(l: Listeners, udpPort?: number): Promise<{ final: ListenStats; drainSec: number }> {
  const t0 = performance.now();
  if (udpPort !== undefined)
    await waitFor(() => udpReceiveQueue(udpPort) === 0, 'the socket to be read', 120_000);
  const final = await l.close();
  return { final, drainSec: (performance.now() - t0) / 1000 };
}

console.log(
  `load average before: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

// 1. TCP syslog at a steady rate.
await withCollector({ syslogTcp: true }, async (l, store) => {
  const total = rate * seconds;
  const addr = l.stats().collectors[0]!.address;
  const r = await sendFromChild('tcp', addr, total, rate);
  await waitFor(() => l.stats().collectors[0]!.received === total, 'every TCP message', 300_000).catch(
    () => {},
  );
  const { final, drainSec } = await drain(l);
  const c = final.collectors[0]!;
  const cpu = cpuPer(c.events);
  const stored = await storedCount(store);
  rows.push({
    part: `tcp syslog ${rate.toLocaleString('en')}/s x ${seconds} s`,
    sent: total,
    sendSec: r.seconds,
    received: c.received,
    stored,
    lost: String(total - stored),
    drainSec,
    cpuUsPer: cpu,
    note: `achieved ${Math.round(total / r.seconds).toLocaleString('en')}/s; ${c.connections!.pauses} pauses; queue high water ${final.queue.highWater}`,
  });
});

// 2. NetFlow v9 burst: one template datagram, then data datagrams of 40 records.
await withCollector({ netflowUdp: true }, async (l, store) => {
  const file = join(tmpdir(), `picket-bench-nf-${process.pid}.bin`);
  netflowBurstFile(file, records);
  const addr = l.stats().collectors[0]!.address;
  const r = await sendFromChild('datagrams', addr, file);
  rmSync(file, { force: true });
  const { final, drainSec } = await drain(l, splitHostPort(addr).port);
  const c = final.collectors[0]!;
  const cpu = cpuPer(c.events);
  const stored = await storedCount(store);
  rows.push({
    part: `netflow v9 burst ${records.toLocaleString('en')} records`,
    sent: records,
    sendSec: r.seconds,
    received: c.parsed,
    stored,
    lost: `${records - stored} (kernel ${c.kernelDropped ?? '?'} dg, queue ${c.dropped} rec)`,
    drainSec,
    cpuUsPer: cpu,
    note: `${r.sent} datagrams sent; ${Math.round(records / r.seconds).toLocaleString('en')} records/s offered`,
  });
});

// 3. UDP syslog burst: losses must be accounted for, not necessarily zero.
await withCollector({ syslogUdp: true }, async (l, store) => {
  const addr = l.stats().collectors[0]!.address;
  const r = await sendFromChild('udp', addr, records);
  const { final, drainSec } = await drain(l, splitHostPort(addr).port);
  const c = final.collectors[0]!;
  const cpu = cpuPer(c.events);
  const stored = await storedCount(store);
  const accounted = c.received + (c.kernelDropped ?? 0) === r.sent;
  rows.push({
    part: `udp syslog burst ${records.toLocaleString('en')}`,
    sent: r.sent,
    sendSec: r.seconds,
    received: c.received,
    stored,
    lost: `${r.sent - stored} (kernel ${c.kernelDropped ?? '?'}, queue ${c.dropped})`,
    drainSec,
    cpuUsPer: cpu,
    note: accounted ? 'every loss counted' : 'LOSSES NOT ACCOUNTED FOR',
  });
});

console.log(
  `load average after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.table(
  rows.map((r) => ({
    part: r.part,
    sent: r.sent,
    'send s': r.sendSec.toFixed(1),
    received: r.received,
    stored: r.stored,
    lost: r.lost,
    'drain s': r.drainSec.toFixed(1),
    'cpu µs/event': r.cpuUsPer.toFixed(1),
    note: r.note,
  })),
);
