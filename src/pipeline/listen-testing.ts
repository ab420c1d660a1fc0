/**
 * Helpers for the listener tests and bench: loopback senders, a bounded wait,
 * and the events the file readers make of the same lines (the reference the
 * live path must agree with).
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { normalizeLogRecord } from '../normalize/index.js';
import { readLogFile } from '../read/logs.js';
import { Bytes, concat, set, templateRecord, v9 } from '../read/netflow/testing/build.js';
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

/** The sender child: plain JS so it runs without tsx; prints `{"sent":N,"failed":N,"seconds":S}`. */
const senderScript = String.raw`
const [kind, host, port, count, rate] = process.argv.slice(1);
const n = Number(count), perSec = Number(rate);
const line = (i) => '<38>Nov 23 11:12:20 lab-ssh sshd[' + (1000 + (i % 50000)) + ']: Failed password for root from 10.' +
  ((i >> 16) & 255) + '.' + ((i >> 8) & 255) + '.' + (i & 255) + ' port ' + (1024 + (i % 60000)) + ' ssh2';
const t0 = Date.now();
const done = (sent, failed) => { process.stdout.write(JSON.stringify({ sent, failed, seconds: (Date.now() - t0) / 1000 }) + '\n'); };
// Paces to perSec messages a second (0: as fast as possible) in 10 ms steps.
const due = (i) => perSec > 0 ? t0 + (i * 1000) / perSec : 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  if (kind === 'datagrams') {
    // count names a file of datagrams, each led by its 16-bit big-endian length
    const b = require('node:fs').readFileSync(count);
    const s = require('node:dgram').createSocket(host.includes(':') ? 'udp6' : 'udp4');
    let sent = 0, failed = 0, inFlight = 0;
    for (let o = 0; o + 2 <= b.length; ) {
      const len = b.readUInt16BE(o);
      const d = b.subarray(o + 2, o + 2 + len);
      o += 2 + len;
      while (inFlight > 256) await new Promise((r) => setImmediate(r));
      inFlight++;
      s.send(d, Number(port), host, (err) => { inFlight--; if (err) failed++; else sent++; });
    }
    while (inFlight > 0) await new Promise((r) => setImmediate(r));
    s.close();
    done(sent, failed);
  } else if (kind === 'tcp') {
    const s = require('node:net').connect({ host, port: Number(port) });
    await new Promise((r, j) => { s.once('connect', r); s.once('error', j); });
    let i = 0;
    while (i < n) {
      const wait = due(i) - Date.now();
      if (wait > 0) await sleep(Math.min(wait, 10));
      let chunk = '';
      while (i < n && chunk.length < 65536 && (perSec === 0 || due(i) <= Date.now())) chunk += line(i++) + '\n';
      if (chunk && !s.write(chunk)) await new Promise((r) => s.once('drain', r));
    }
    await new Promise((r) => s.end(r));
    done(n, 0);
  } else {
    const s = require('node:dgram').createSocket(host.includes(':') ? 'udp6' : 'udp4');
    let sent = 0, failed = 0, inFlight = 0, i = 0;
    while (i < n) {
      const wait = due(i) - Date.now();
      if (wait > 0) await sleep(Math.min(wait, 10));
      while (inFlight > 256) await new Promise((r) => setImmediate(r));
      inFlight++;
      s.send(line(i++), Number(port), host, (err) => { inFlight--; if (err) failed++; else sent++; });
    }
    while (inFlight > 0) await new Promise((r) => setImmediate(r));
    s.close();
    done(sent, failed);
  }
})().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
`;

/**
 * Sends `count` distinct sshd syslog lines from a child process (so the sender
 * does not share the collector's event loop), over TCP (newline framing, with
 * back-pressure) or UDP, at `perSecond` (0: as fast as possible). Kind
 * 'datagrams' instead sends the datagrams of the file named by `count`
 * (each led by a 16-bit big-endian length) as fast as possible.
 *
 * @example const { sent } = await sendFromChild('tcp', '127.0.0.1:5514', 200_000);
 */
export async function sendFromChild(
  kind: 'tcp' | 'udp' | 'datagrams',
  address: string,
  count: number | string,
  perSecond = 0,
): Promise<{ sent: number; failed: number; seconds: number }> {
  const { host, port } = splitHostPort(address);
  const child = spawn(
    process.execPath,
    ['-e', senderScript, kind, host, String(port), String(count), String(perSecond)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  if (code !== 0) throw new Error(`sender exited with ${code}: ${err}`);
  return JSON.parse(out);
}

/**
 * Writes a NetFlow v9 burst for `sendFromChild('datagrams', ...)`: one
 * template datagram, then data datagrams of 40 distinct TCP flow records
 * each, every datagram led by its 16-bit length. Returns how many datagrams.
 *
 * @example netflowBurstFile('/tmp/burst.bin', 100_000) // 2501
 */
export function netflowBurstFile(path: string, records: number): number {
  const tpl = templateRecord(256, [
    [8, 4],
    [12, 4],
    [7, 2],
    [11, 2],
    [4, 1],
    [2, 4],
    [1, 4],
    [22, 4],
    [21, 4],
  ]);
  const flow = (i: number) =>
    new Bytes()
      .u32(0x0a000000 + (i & 0xffffff))
      .u32(0xc0a80001)
      .u16(1024 + (i % 60000))
      .u16(22)
      .u8(6)
      .u32(1)
      .u32(60)
      .u32(1000)
      .u32(1500)
      .bytes();
  const perDatagram = 40;
  const datagrams: Uint8Array[] = [v9([set(0, tpl)], { seq: 0 })];
  for (let i = 0, seq = 1; i < records; i += perDatagram, seq++) {
    const n = Math.min(perDatagram, records - i);
    datagrams.push(v9([set(256, concat(...Array.from({ length: n }, (_, k) => flow(i + k))))], { seq }));
  }
  writeFileSync(
    path,
    Buffer.concat(datagrams.flatMap((d) => [Buffer.from([d.length >> 8, d.length & 255]), Buffer.from(d)])),
  );
  return datagrams.length;
}
