/**
 * The live NetFlow v5 / v9 / IPFIX collector: one decoder session for the
 * socket (it keeps templates per exporter and observation domain), flow
 * records → `connection` events through the same mapper as files.
 */
import { netflowToEvent } from '../normalize/netflow.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import { createNetflowSession, type NetflowSessionOptions } from '../read/netflow/session.js';
import type { ProblemLog } from '../schema/problem.js';
import { bindUdp, type ListenAddress } from './listen-bind.js';
import type { EventQueue } from './listen-queue.js';
import { countingProblemLog, formatHostPort, newCollectorStats, plainAddress } from './listen-stats.js';
import type { Collector } from './listen-syslog.js';
import { createUdpBacklog, udpCollectorLifecycle } from './listen-udp-backlog.js';
import { liveUid, liveUidPrefix } from './listen-uid.js';

export interface NetflowCollectorOptions {
  at: ListenAddress;
  queue: EventQueue;
  problems: ProblemLog;
  receiveBuffer: number;
  /** Bytes of datagrams held while parsing or the store lag behind. */
  backlogBytes: number;
  /** Start of this run, for uids (default now). */
  startedMs?: number;
  /** Template expiry and hold limits, passed to the decoder session. */
  session?: Omit<NetflowSessionOptions, 'onRecord' | 'problems'>;
}

/**
 * Starts the collector. Datagrams wait in a byte-bounded backlog while the
 * store lags; one that does not fit is still decoded, so templates are never
 * missed, and only its flow records are dropped (and counted).
 *
 * @example const c = await startNetflowUdp({ at: { host: '0.0.0.0', port: 2055 }, queue, problems, receiveBuffer: 4 << 20 });
 */
export async function startNetflowUdp(o: NetflowCollectorOptions): Promise<Collector> {
  const sock = await bindUdp('netflow-udp', o.at, o.receiveBuffer);
  const bound = sock.address();
  const stats = newCollectorStats('netflow-udp', formatHostPort(bound.address, bound.port));
  const file = `netflow-udp:${stats.address}`;
  const uidPrefix = liveUidPrefix(file, o.startedMs ?? Date.now());
  let seq = 0; // the record's number in this run: its uid
  let sender = '';
  /** The datagram did not fit the backlog: decoded for its templates, its records dropped. */
  let dropping = false;
  const onRecord = (r: NetflowRecord) => {
    if (r.kind !== 'flow') return;
    stats.parsed++;
    if (dropping) {
      stats.dropped++;
      return;
    }
    const e = netflowToEvent(r, { file });
    if (e === null) {
      stats.withoutEvent++;
      return;
    }
    e.source.sender = sender;
    e.uid = liveUid(uidPrefix, ++seq);
    stats.events++;
    o.queue.push(e);
  };
  const session = createNetflowSession({
    ...o.session,
    problems: countingProblemLog(stats, o.problems),
    onRecord,
  });
  const decode = (msg: Buffer, ip: string, port: number) => {
    sender = ip;
    session.datagram(msg, formatHostPort(ip, port), Date.now() / 1000);
  };
  const backlog = createUdpBacklog(o.backlogBytes, o.queue, decode);
  sock.on('message', (msg, rinfo) => {
    stats.received++;
    stats.bytes += msg.length;
    const ip = plainAddress(rinfo.address);
    if (backlog.push(msg, ip, rinfo.port)) return;
    dropping = true;
    decode(msg, ip, rinfo.port);
    dropping = false;
  });
  // What still waits for a template at close is reported (counted as problems).
  const life = udpCollectorLifecycle({
    sock,
    port: bound.port,
    backlog,
    stats,
    afterClose: () => session.flush(),
  });
  return { stats, ...life };
}
