/**
 * Helpers for the listener tests and bench: loopback senders, a bounded wait,
 * and the events the file readers make of the same lines (the reference the
 * live path must agree with).
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { normalizeLogRecord } from '../normalize/index.js';
import { readLogFile } from '../read/logs.js';
import type { Event } from '../schema/event.js';
import { createProblemLog } from '../util/problems.js';

/** Polls `ok` every 20 ms until it holds; fails with `what` after `maxMs` (a bound against hanging, not a timing check). */
export async function waitFor(
  ok: () => boolean | Promise<boolean>,
  what: string,
  maxMs = 20_000,
): Promise<void> {
  const until = Date.now() + maxMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${maxMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Parses `host:port` / `[v6]:port` as a collector reports its address. */
export function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

/**
 * A UDP sender with one socket (one source port: NetFlow templates belong to
 * the exporter's address and port). `send` resolves with how many datagrams the
 * kernel accepted (a send can fail with ENOBUFS under load: never sent).
 */
export function udpSender(address: string) {
  const { host, port } = splitHostPort(address);
  const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return {
    async send(messages: readonly (string | Uint8Array)[]): Promise<number> {
      let ok = 0;
      for (const m of messages) {
        await new Promise<void>((r) =>
          sock.send(m, port, host, (err) => {
            if (!err) ok++;
            r();
          }),
        );
      }
      return ok;
    },
    close: () => sock.close(),
  };
}

/** Sends each message as one datagram from a fresh socket; see udpSender. */
export async function sendUdp(address: string, messages: readonly (string | Uint8Array)[]): Promise<number> {
  const s = udpSender(address);
  try {
    return await s.send(messages);
  } finally {
    s.close();
  }
}

/**
 * Bytes waiting in the receive queues of UDP sockets on `port` (Linux
 * /proc/net/udp{,6}); 0 means the collector has read everything the kernel
 * delivered. -1 when unknown (not Linux).
 */
export function udpReceiveQueue(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let found = false;
  let queued = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    found = true;
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 13 || !cols[1]!.endsWith(hexPort)) continue;
      queued += Number.parseInt(cols[4]!.split(':')[1]!, 16);
    }
  }
  return found ? queued : -1;
}

/** Opens a TCP connection to a collector. */
export async function connectTcp(address: string): Promise<Socket> {
  const { host, port } = splitHostPort(address);
  const s = connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  return s;
}

/** Writes with back-pressure (waits for 'drain'), so a large send costs bounded memory. */
export async function writeAll(s: Socket, data: string | Buffer): Promise<void> {
  if (!s.write(data)) await new Promise<void>((r) => s.once('drain', r));
}

/** Ends a connection and waits until it is closed. */
export async function endTcp(s: Socket): Promise<void> {
  await new Promise<void>((r) => {
    s.once('close', () => r());
    s.end();
  });
}

/** An RFC 6587 octet-counted frame. */
export function octetFrame(msg: string): string {
  return `${Buffer.byteLength(msg)} ${msg}`;
}

/** The events the file path makes of a log (the reference the live path must match). */
export async function fileEvents(path: string): Promise<Event[]> {
  const out: Event[] = [];
  await readLogFile(path, createProblemLog(), (r, _reader, ctx) => {
    const e = normalizeLogRecord(r, { file: path, line: ctx.line });
    if (e) out.push(e);
  });
  return out;
}

/** What a live event and its file twin must share (not uid, source or the year-dependent ts). */
export function eventKey(e: Event): string {
  return [
    e.type,
    e.src,
    e.srcPort,
    e.dst,
    e.dstPort,
    e.proto,
    e.user,
    e.action,
    e.http?.uri,
    e.http?.status,
  ].join('|');
}

/** Counts of `eventKey`, for comparing multisets. */
export function keyCounts(events: readonly Event[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) m.set(eventKey(e), (m.get(eventKey(e)) ?? 0) + 1);
  return m;
}
