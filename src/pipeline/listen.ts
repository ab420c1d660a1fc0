/**
 * `picket listen`'s engine: live syslog (UDP, TCP) and NetFlow/IPFIX (UDP)
 * collectors writing events into the store through one bounded queue, with
 * counters per collector. Sources → transform (readers, mappers) → sink (store).
 */
import type { LineContext } from '../read/syslog/types.js';
import type { ProblemLog } from '../schema/problem.js';
import type { Store } from '../store/store.js';
import type { ListenAddress } from './listen-bind.js';
import { startNetflowUdp } from './listen-netflow.js';
import { createEventQueue } from './listen-queue.js';
import type { ListenStats } from './listen-stats.js';
import { type Collector, startSyslogTcp, startSyslogUdp } from './listen-syslog.js';

export { type ListenAddress, ListenBindError } from './listen-bind.js';
export type { CollectorKind, CollectorStats, ListenStats } from './listen-stats.js';

export interface ListenOptions {
  syslogUdp?: ListenAddress;
  syslogTcp?: ListenAddress;
  netflowUdp?: ListenAddress;
  store: Store;
  /** Every per-message problem, with collector, sender and position. */
  problems: ProblemLog;
  /** Called with fresh counters every `statsIntervalMs`. */
  onStats?(s: ListenStats): void;
  /** Default 1000 ms. */
  statsIntervalMs?: number;
  /**
   * Most events waiting for the store (default 10,000); past it UDP datagrams wait in their backlog, TCP
   * pauses. Small on purpose: waiting events are live objects the garbage collector copies again and again
   * (50,000 cost ~4 µs a message under load); held datagrams are off-heap bytes, and the store's writer
   * thread holds further batches already packed.
   */
  maxQueue?: number;
  /** Longest syslog message (default 64 KiB). */
  maxMessage?: number;
  /** Most open TCP connections (default 1024); more are refused and counted. */
  maxConnections?: number;
  /** Bytes of UDP datagrams held while parsing or the store lag behind, per collector (default 32 MiB); past it they are dropped and counted. */
  udpBacklogBytes?: number;
  /** UDP receive buffer asked of the kernel (default 4 MiB; capped by net.core.rmem_max). */
  udpReceiveBuffer?: number;
  /** Time zone of zoneless syslog stamps and firewall prefix words, as for files. */
  lineContext?: Partial<Pick<LineContext, 'tzOffsetSeconds' | 'denyWords' | 'allowWords'>>;
}

export interface Listeners {
  /** Current counters (UDP kernel drops read afresh). */
  stats(): ListenStats;
  /** Stops every collector, writes what is queued and waits for the store to commit it; the store stays open. */
  close(): Promise<ListenStats>;
}

/**
 * Opens the collectors that are asked for. Throws ListenBindError (after
 * closing whatever had opened) when an address cannot be used.
 *
 * @example
 * const l = await startListeners({ syslogTcp: { host: '0.0.0.0', port: 6514 }, store, problems: createProblemLog() });
 * process.once('SIGINT', async () => console.log(await l.close()));
 */
export async function startListeners(opts: ListenOptions): Promise<Listeners> {
  if (!opts.syslogUdp && !opts.syslogTcp && !opts.netflowUdp)
    throw new Error('startListeners: give at least one of syslogUdp, syslogTcp, netflowUdp');
  const started = Date.now();
  const queue = createEventQueue({
    store: opts.store,
    problems: opts.problems,
    max: opts.maxQueue ?? 10_000,
  });
  const maxMessage = opts.maxMessage ?? 64 * 1024;
  const receiveBuffer = opts.udpReceiveBuffer ?? 4 * 1024 * 1024;
  const backlogBytes = opts.udpBacklogBytes ?? 32 * 1024 * 1024;
  const common = {
    queue,
    problems: opts.problems,
    maxMessage,
    startedMs: started,
    line: opts.lineContext ?? {},
  };
  const collectors: Collector[] = [];
  try {
    if (opts.syslogUdp)
      collectors.push(await startSyslogUdp({ ...common, at: opts.syslogUdp, receiveBuffer, backlogBytes }));
    if (opts.syslogTcp)
      collectors.push(
        await startSyslogTcp({ ...common, at: opts.syslogTcp, maxConnections: opts.maxConnections ?? 1024 }),
      );
    if (opts.netflowUdp)
      collectors.push(
        await startNetflowUdp({
          at: opts.netflowUdp,
          queue,
          problems: opts.problems,
          receiveBuffer,
          backlogBytes,
          startedMs: started,
        }),
      );
  } catch (err) {
    await Promise.all(collectors.map((c) => c.close()));
    throw err;
  }

  const stats = (): ListenStats => {
    for (const c of collectors) c.refresh();
    return {
      uptimeSec: (Date.now() - started) / 1000,
      collectors: collectors.map((c) => structuredClone(c.stats)),
      queue: queue.queueStats(),
      store: { ...queue.written },
    };
  };
  const timer = opts.onStats
    ? setInterval(() => opts.onStats!(stats()), opts.statsIntervalMs ?? 1000)
    : undefined;
  let closing: Promise<ListenStats> | undefined;
  return {
    stats,
    close() {
      closing ??= (async () => {
        if (timer) clearInterval(timer);
        await Promise.all(collectors.map((c) => c.close()));
        await queue.drain();
        return stats();
      })();
      return closing;
    },
  };
}
