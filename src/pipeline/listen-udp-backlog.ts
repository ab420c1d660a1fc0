/**
 * A byte-bounded backlog of received UDP datagrams, in arrival order. The
 * socket handler only appends, so reading keeps up with a burst far larger
 * than the kernel's socket buffer; datagrams are parsed a few per event-loop
 * turn (reads come first) and only while the store queue has room.
 */
import type { Socket } from 'node:dgram';
import { udpKernelDrops } from './listen-bind.js';
import type { EventQueue } from './listen-queue.js';
import type { CollectorStats } from './listen-stats.js';

export interface UdpBacklog {
  /**
   * Appends a datagram; false when it does not fit (the caller counts the drop).
   * One datagram always fits while the store queue has room, whatever the bound.
   */
  push(msg: Buffer, sender: string, port: number): boolean;
  /** Datagrams waiting. */
  readonly length: number;
  /** Parses everything waiting, whatever the queue says (closing). */
  flush(): void;
}

/** Datagrams parsed per event-loop turn: fewer than libuv reads per turn (32), so reading outpaces parsing in a burst. */
const perTurn = 16;

/**
 * @example
 * const b = createUdpBacklog(32 << 20, queue, (msg, ip, port) => parse(msg, ip, port));
 * sock.on('message', (m, r) => b.push(m, r.address, r.port) || stats.dropped++);
 */
export function createUdpBacklog(
  maxBytes: number,
  queue: EventQueue,
  handle: (msg: Buffer, sender: string, port: number) => void,
): UdpBacklog {
  // A ring of parallel arrays: no object per datagram.
  let cap = 1024;
  let msgs: (Buffer | undefined)[] = new Array(cap);
  let senders: string[] = new Array(cap);
  let ports = new Uint16Array(cap);
  let head = 0;
  let count = 0;
  let bytes = 0;
  let scheduled = false;
  let waitingForRoom = false;

  const grow = () => {
    const m: (Buffer | undefined)[] = new Array(cap * 2);
    const s: string[] = new Array(cap * 2);
    const p = new Uint16Array(cap * 2);
    for (let i = 0; i < count; i++) {
      const j = (head + i) % cap;
      m[i] = msgs[j];
      s[i] = senders[j]!;
      p[i] = ports[j]!;
    }
    msgs = m;
    senders = s;
    ports = p;
    head = 0;
    cap *= 2;
  };

  const takeOne = () => {
    const msg = msgs[head]!;
    const sender = senders[head]!;
    const port = ports[head]!;
    msgs[head] = undefined;
    head = (head + 1) % cap;
    count--;
    bytes -= msg.length;
    handle(msg, sender, port);
  };

  const turn = () => {
    scheduled = false;
    for (let n = 0; n < perTurn && count > 0; n++) {
      if (queue.full) {
        waitingForRoom = true;
        return;
      }
      takeOne();
    }
    if (count > 0) schedule();
  };

  function schedule(): void {
    if (scheduled || waitingForRoom) return;
    scheduled = true;
    setImmediate(turn);
  }

  queue.onRoom(() => {
    if (!waitingForRoom) return;
    waitingForRoom = false;
    schedule();
  });

  return {
    push(msg, sender, port) {
      if (bytes + msg.length > maxBytes && (count > 0 || queue.full)) return false;
      if (count === cap) grow();
      const i = (head + count) % cap;
      msgs[i] = msg;
      senders[i] = sender;
      ports[i] = port;
      count++;
      bytes += msg.length;
      schedule();
      return true;
    },
    get length() {
      return count;
    },
    flush() {
      while (count > 0) takeOne();
    },
  };
}

/**
 * The part every UDP collector shares once its socket is bound: the waiting
 * and kernel-drop counters, and closing (socket, then what still waits).
 * Call it before the socket receives; `afterClose` runs once the backlog is parsed.
 */
export function udpCollectorLifecycle(o: {
  sock: Socket;
  port: number;
  backlog: UdpBacklog;
  stats: CollectorStats;
  afterClose?: () => void;
}): { refresh(): void; close(): Promise<void> } {
  const { sock, backlog, stats } = o;
  const kernelBefore = udpKernelDrops(o.port) ?? 0;
  // Errors on a bound UDP socket are transient (e.g. ICMP feedback); keep receiving.
  sock.on('error', () => {});
  let closed = false;
  const refresh = () => {
    stats.waiting = backlog.length;
    if (closed) return; // the socket's line is gone from /proc: keep the last count
    const k = udpKernelDrops(o.port);
    if (k !== undefined) stats.kernelDropped = Math.max(0, k - kernelBefore);
  };
  refresh();
  return {
    refresh,
    close: async () => {
      refresh();
      closed = true;
      await new Promise<void>((r) => sock.close(() => r()));
      backlog.flush();
      stats.waiting = 0;
      o.afterClose?.();
    },
  };
}
