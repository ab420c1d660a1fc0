/**
 * The live NetFlow v5 / v9 / IPFIX collector: one decoder session for the
 * socket (it keeps templates per exporter and observation domain), flow
 * records → `connection` events through the same mapper as files.
 */
import { netflowToEvent } from '../normalize/netflow.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import { createNetflowSession, type NetflowSessionOptions } from '../read/netflow/session.js';
import type { ProblemLog } from '../schema/problem.js';
import { bindUdp, type ListenAddress, udpKernelDrops } from './listen-bind.js';
import type { EventQueue } from './listen-queue.js';
import { countingProblemLog, formatHostPort, newCollectorStats, plainAddress } from './listen-stats.js';
import type { Collector } from './listen-syslog.js';

export interface NetflowCollectorOptions {
  at: ListenAddress;
  queue: EventQueue;
  problems: ProblemLog;
  receiveBuffer: number;
  /** Template expiry and hold limits, passed to the decoder session. */
  session?: Omit<NetflowSessionOptions, 'onRecord' | 'problems'>;
}

/**
 * Starts the collector. Every datagram is decoded, also while the store queue
 * is full, so templates are never missed; only the flow records are dropped then (and counted).
 *
 * @example const c = await startNetflowUdp({ at: { host: '0.0.0.0', port: 2055 }, queue, problems, receiveBuffer: 4 << 20 });
 */
export async function startNetflowUdp(o: NetflowCollectorOptions): Promise<Collector> {
  const sock = await bindUdp('netflow-udp', o.at, o.receiveBuffer);
  const bound = sock.address();
  const stats = newCollectorStats('netflow-udp', formatHostPort(bound.address, bound.port));
  const file = `netflow-udp:${stats.address}`;
  let sender = '';
  const onRecord = (r: NetflowRecord) => {
    if (r.kind !== 'flow') return;
    stats.parsed++;
    if (o.queue.full) {
      stats.dropped++;
      return;
    }
    const e = netflowToEvent(r, { file });
    if (e === null) {
      stats.withoutEvent++;
      return;
    }
    e.source.sender = sender;
    stats.events++;
    o.queue.push(e);
  };
  const session = createNetflowSession({
    ...o.session,
    problems: countingProblemLog(stats, o.problems),
    onRecord,
  });
  const kernelBefore = udpKernelDrops(bound.port) ?? 0;
  sock.on('message', (msg, rinfo) => {
    stats.received++;
    stats.bytes += msg.length;
    sender = plainAddress(rinfo.address);
    session.datagram(msg, formatHostPort(sender, rinfo.port), Date.now() / 1000);
  });
  sock.on('error', () => {});
  let closed = false;
  const refresh = () => {
    if (closed) return; // the socket's line is gone from /proc: keep the last count
    const k = udpKernelDrops(bound.port);
    if (k !== undefined) stats.kernelDropped = Math.max(0, k - kernelBefore);
  };
  refresh();
  return {
    stats,
    refresh,
    close: async () => {
      refresh();
      closed = true;
      await new Promise<void>((r) => sock.close(() => r()));
      // What still waits for a template is reported (counted as problems).
      session.flush();
    },
  };
}
