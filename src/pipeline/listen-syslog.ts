/**
 * The live syslog collectors: UDP (one message per datagram, RFC 5426) and
 * TCP (RFC 6587 framing per connection). Messages go through the same
 * readers as log files; events into the bounded queue. When the queue is
 * full, UDP datagrams wait in a byte-bounded backlog (past it they are
 * dropped and counted) and TCP connections are paused.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import type { Server, Socket as TcpSocket } from 'node:net';
import { defaultLineContext, isProblem, type LineContext } from '../read/syslog/types.js';
import type { ProblemLog } from '../schema/problem.js';
import { bindUdp, type ListenAddress, listenTcp } from './listen-bind.js';
import { createSyslogFramer } from './listen-framing.js';
import type { EventQueue } from './listen-queue.js';
import { type CollectorStats, formatHostPort, newCollectorStats, plainAddress } from './listen-stats.js';
import { type SyslogMessageContext, syslogMessageToEvent } from './listen-syslog-message.js';
import { createUdpBacklog, udpCollectorLifecycle } from './listen-udp-backlog.js';
import { liveUidPrefix } from './listen-uid.js';

/** A running collector. */
export interface Collector {
  readonly stats: CollectorStats;
  /** Updates counters kept elsewhere (the kernel's drop count). */
  refresh(): void;
  /** Stops receiving; an unfinished TCP frame is reported as a problem. */
  close(): Promise<void>;
}

export interface SyslogCollectorOptions {
  at: ListenAddress;
  queue: EventQueue;
  problems: ProblemLog;
  /** Longest message; longer TCP frames are skipped and counted (default 64 KiB). */
  maxMessage: number;
  /** Start of this run, for uids. */
  startedMs: number;
  /** Time zone and firewall words for the readers. */
  line?: Partial<LineContext>;
}

/** Shared by both transports: one message's bytes → event, problem or nothing, counted. */
function messageHandler(stats: CollectorStats, o: SyslogCollectorOptions) {
  const ctx: SyslogMessageContext = {
    collector: `${stats.kind}:${stats.address}`,
    uidPrefix: liveUidPrefix(`${stats.kind}:${stats.address}`, o.startedMs),
    line: defaultLineContext(o.line),
  };
  let seq = 0; // the message's number in this collector: its line in uids and problems
  return (bytes: Buffer, start: number, end: number, sender: string) => {
    seq++;
    const text = bytes.toString('utf8', start, end);
    const r = syslogMessageToEvent(text, sender, seq, ctx);
    if (r === null) {
      stats.parsed++;
      stats.withoutEvent++;
    } else if (isProblem(r)) reject(stats, o.problems, r);
    else {
      stats.parsed++;
      stats.events++;
      o.queue.push(r);
    }
  };
}

function reject(stats: CollectorStats, problems: ProblemLog, p: Parameters<ProblemLog['add']>[0]): void {
  stats.rejected++;
  stats.rejectedBy[p.code] = (stats.rejectedBy[p.code] ?? 0) + 1;
  problems.add(p);
}

/**
 * Syslog over UDP.
 *
 * @example const c = await startSyslogUdp({ at: { host: '127.0.0.1', port: 0 }, queue, problems, maxMessage: 65536, startedMs: Date.now() });
 */
export async function startSyslogUdp(
  o: SyslogCollectorOptions & { receiveBuffer: number; backlogBytes: number },
): Promise<Collector> {
  const sock: UdpSocket = await bindUdp('syslog-udp', o.at, o.receiveBuffer);
  const bound = sock.address();
  const stats = newCollectorStats('syslog-udp', formatHostPort(bound.address, bound.port));
  const handle = messageHandler(stats, o);
  const parse = (msg: Buffer, sender: string) => {
    if (msg.length === 0) {
      reject(stats, o.problems, {
        stage: 'read',
        code: 'syslog-udp.empty',
        message: 'empty datagram; skipped',
        file: `syslog-udp:${stats.address} from ${sender}`,
      });
      return;
    }
    handle(msg, 0, msg.length, sender);
  };
  const backlog = createUdpBacklog(o.backlogBytes, o.queue, parse);
  sock.on('message', (msg, rinfo) => {
    stats.received++;
    stats.bytes += msg.length;
    if (!backlog.push(msg, plainAddress(rinfo.address), rinfo.port)) stats.dropped++;
  });
  return { stats, ...udpCollectorLifecycle({ sock, port: bound.port, backlog, stats }) };
}

/**
 * Syslog over TCP: octet-counted or newline framing, detected per connection.
 *
 * @example const c = await startSyslogTcp({ at: { host: '127.0.0.1', port: 0 }, queue, problems, maxMessage: 65536, startedMs: Date.now(), maxConnections: 1024 });
 */
export async function startSyslogTcp(
  o: SyslogCollectorOptions & { maxConnections: number },
): Promise<Collector> {
  const sockets = new Set<TcpSocket>();
  let paused = false;
  let stats: CollectorStats | undefined;
  let handle: ReturnType<typeof messageHandler> | undefined;

  const pauseAll = () => {
    if (paused) return;
    paused = true;
    stats!.connections!.pauses++;
    for (const s of sockets) s.pause();
  };
  o.queue.onRoom(() => {
    if (!paused) return;
    paused = false;
    for (const s of sockets) s.resume();
  });

  const onConnection = (sock: TcpSocket) => {
    const st = stats!;
    const conns = st.connections!;
    conns.open++;
    conns.total++;
    sockets.add(sock);
    const sender = plainAddress(sock.remoteAddress);
    const peer = formatHostPort(sender, sock.remotePort ?? 0);
    const file = `syslog-tcp:${st.address} from ${peer}`;
    const framer = createSyslogFramer(o.maxMessage, {
      message(b, s, e) {
        st.received++;
        handle!(b, s, e, sender);
      },
      problem(code, reason, offset) {
        st.received++;
        reject(st, o.problems, { stage: 'read', code, message: reason, file, offset });
      },
      fatal(code, reason, offset) {
        st.received++; // the frame that broke the framing counts as one rejected message
        conns.closedForBadFraming++;
        reject(st, o.problems, { stage: 'read', code, message: reason, file, offset });
        sock.destroy();
      },
    });
    sock.on('data', (chunk: Buffer) => {
      st.bytes += chunk.length;
      framer.push(chunk);
      if (o.queue.full) pauseAll();
    });
    sock.on('error', () => {}); // resets are normal; 'close' follows
    sock.on('close', () => {
      framer.end();
      sockets.delete(sock);
      conns.open--;
    });
    if (paused) sock.pause();
  };

  const server: Server = await listenTcp('syslog-tcp', o.at, onConnection);
  server.maxConnections = o.maxConnections;
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('syslog-tcp: server has no address');
  stats = newCollectorStats('syslog-tcp', formatHostPort(bound.address, bound.port));
  handle = messageHandler(stats, o);
  server.on('drop', () => stats!.connections!.refused++);
  return {
    stats,
    refresh() {},
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
