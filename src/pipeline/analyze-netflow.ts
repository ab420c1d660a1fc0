/**
 * NetFlow v5 / v9 / IPFIX export data as `picket analyze` inputs: captures of
 * export traffic and raw export payload files, decoded by read/netflow's
 * session into `connection` events (source netflow).
 *
 * Captures: every UDP datagram that is export data (netflow-sniff.ts) goes to
 * the decoder, exporter = the sender's ip:port, time = the frame's. Any other
 * frame is counted as `otherFrames`; analyze() then also reads the capture as
 * ordinary traffic, where the export packets are just UDP flows from exporter
 * to collector, as on the wire. Problems name the frame and the byte offset
 * within it.
 *
 * Payload files: the payload files of one folder are one exporter (named
 * `file:<folder>`), read in name order, so templates in one file serve data
 * in the others; data that comes before its template is held (as for a live
 * exporter) and decoded when a later file brings it, its events still naming
 * the file they came from. v5 datagrams and IPFIX messages carry their length,
 * so a file of several in a row (`nc -u -l > file`) is read as all of them.
 */
import { readFileSync, statSync } from 'node:fs';
import { netflowToEvent } from '../normalize/netflow.js';
import { openCapture } from '../read/index.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import { createNetflowSession, type DatagramOrigin, type NetflowSession } from '../read/netflow/session.js';
import { extractUdp, type UdpDatagram } from '../read/netflow/udp-payload.js';
import type { ProblemLog } from '../schema/problem.js';
import type { EventSink } from './event-sink.js';
import type { ResolvedInput } from './inputs.js';
import { exportVersion, isExportDatagram } from './netflow-sniff.js';

/** Largest payload file read (a datagram is at most 64 KiB; an IPFIX message stream may be longer). */
export const MAX_PAYLOAD_FILE = 64 * 1024 * 1024;
/** Datagram headers remembered per folder to name the file of held data; past it, the current file is named. */
const MAX_HEADERS = 100_000;
/** Exporter→port pairs remembered in one capture (see readExportCapture). */
const MAX_CHANNELS = 4096;
/** Datagrams between chances for the event sink to write to the store (a power of two). */
const FLUSH_EVERY = 1024;

export interface NetflowInputResult {
  /** `netflow:<versions>` plus ` in pcap` / ` in pcapng` for captures, e.g. `netflow:ipfix in pcap`. */
  format: string;
  /** Frames read (captures) or 0. */
  packets: number;
  /** Export datagrams (or IPFIX messages / v5 datagrams of a payload file) decoded. */
  datagrams: number;
  /** Flow records decoded; options records are not counted. */
  records: number;
  events: number;
  /** Frames that are not export datagrams: analyze() reads the capture as traffic too when > 0. */
  otherFrames: number;
}

export interface NetflowInputContext {
  problems: ProblemLog;
  sink: EventSink;
}

/** Payload groups of one analyze run, by the run's event sink. */
const runGroups = new WeakMap<EventSink, Map<string, PayloadGroup>>();

interface PayloadGroup {
  session: NetflowSession;
  /** One receive time for the whole folder, so nothing held for a template expires between files. */
  recvTs: number;
  /** The file being fed, for events' source.file. */
  file: string;
  /** v9/IPFIX header (domain, sequence, export time) → the file that holds the datagram (one per file). */
  headers: Map<string, string>;
  versions: Set<number>;
  records: number;
}

/**
 * Reads one NetFlow input (kind 'netflow-capture' or 'netflow-payload') into events.
 * @example
 * const r = await analyzeNetflow(input, { problems, sink });
 * if (r.otherFrames > 0) readAsTrafficToo(input.path);
 */
export async function analyzeNetflow(
  input: ResolvedInput,
  ctx: NetflowInputContext,
): Promise<NetflowInputResult> {
  const before = ctx.sink.count;
  const r =
    input.kind === 'netflow-payload'
      ? await readPayloadFile(input, ctx)
      : await readExportCapture(input.path, ctx);
  await ctx.sink.flush();
  r.events = ctx.sink.count - before;
  return r;
}

function formatOf(versions: Set<number>): string {
  const names = [...versions]
    .sort((a, b) => a - b)
    .map((v) => (v === 5 ? 'netflow-v5' : v === 9 ? 'netflow-v9' : 'ipfix'));
  return `netflow:${names.join('+') || 'none'}`;
}

async function readExportCapture(path: string, ctx: NetflowInputContext): Promise<NetflowInputResult> {
  const out: NetflowInputResult = {
    format: 'netflow:none',
    packets: 0,
    datagrams: 0,
    records: 0,
    events: 0,
    otherFrames: 0,
  };
  const reader = openCapture(path, ctx.problems);
  if (!reader) return out;
  const session = createNetflowSession({
    problems: ctx.problems,
    onRecord: (r) => {
      if (r.kind !== 'flow') return;
      out.records++;
      const e = netflowToEvent(r, { file: path });
      if (e) ctx.sink.add(e);
    },
  });
  const dg: UdpDatagram = { srcAddr: '', srcPort: 0, dstPort: 0, offset: 0, length: 0 };
  const channels = new Set<string>();
  const last = { addr: '', srcPort: -1, dstPort: -1, exporter: '', channel: '', known: false };
  let versions = 0; // bit per export version seen
  try {
    for (let f = reader.next(); f; f = reader.next()) {
      out.packets++;
      const b = f.data;
      if (extractUdp(b, f.linkType, dg) !== 'ok') {
        out.otherFrames++;
        continue;
      }
      // Once a sender has sent clear export data to a port, its later datagrams there need only the
      // version, so a cut or damaged one is decoded (and reported) rather than taken for other traffic.
      // Strings are made only for datagrams that carry an export version.
      const clear = isExportDatagram(b, dg.offset, dg.length, dg.srcPort, dg.dstPort);
      if (!clear && (channels.size === 0 || exportVersion(b, dg.offset, dg.length) === 0)) {
        out.otherFrames++;
        continue;
      }
      // Exports come in runs from one sender: reuse the strings of the previous datagram when it is the same.
      if (dg.srcAddr !== last.addr || dg.srcPort !== last.srcPort || dg.dstPort !== last.dstPort) {
        last.addr = dg.srcAddr;
        last.srcPort = dg.srcPort;
        last.dstPort = dg.dstPort;
        last.exporter = `${dg.srcAddr}:${dg.srcPort}`;
        last.channel = `${last.exporter}>${dg.dstPort}`;
        last.known = channels.has(last.channel);
      }
      if (clear && !last.known && channels.size < MAX_CHANNELS) {
        channels.add(last.channel);
        last.known = true;
      } else if (!clear && !last.known) {
        out.otherFrames++;
        continue;
      }
      const exporter = last.exporter;
      // The sink holds events for the store until asked: let it write them as they pile up.
      if ((++out.datagrams & (FLUSH_EVERY - 1)) === 0) await ctx.sink.maybeFlush();
      versions |= 1 << exportVersion(b, dg.offset, dg.length);
      // A fresh origin per datagram: data held for a template keeps it. Offsets are bytes within the frame.
      const origin: DatagramOrigin = { file: path, frame: f.index, offset: dg.offset };
      session.datagram(
        b.subarray(dg.offset, dg.offset + dg.length),
        exporter,
        f.tsSec + f.tsNsec / 1e9,
        origin,
      );
    }
    session.flush();
  } finally {
    reader.close();
  }
  out.format = `${formatOf(new Set([5, 9, 10].filter((v) => versions & (1 << v))))} in ${reader.format}`;
  return out;
}

async function readPayloadFile(input: ResolvedInput, ctx: NetflowInputContext): Promise<NetflowInputResult> {
  const group = input.netflowGroup ?? { exporter: `file:${input.path}`, files: [input.path] };
  let groups = runGroups.get(ctx.sink);
  if (!groups) {
    groups = new Map();
    runGroups.set(ctx.sink, groups);
  }
  let g = groups.get(group.exporter);
  if (!g) {
    g = startGroup(group.files, ctx);
    groups.set(group.exporter, g);
  }
  g.versions.clear();
  g.records = 0;
  const datagrams = await feedFile(g, group.exporter, input.path, ctx);
  if (group.files[group.files.length - 1] === input.path) {
    g.session.flush(); // data whose template is in no file of the folder: reported now
    groups.delete(group.exporter);
  }
  return {
    format: formatOf(g.versions),
    packets: 0,
    datagrams,
    records: g.records,
    events: 0,
    otherFrames: 0,
  };
}

function startGroup(files: readonly string[], ctx: NetflowInputContext): PayloadGroup {
  let recvTs = 0;
  try {
    recvTs = statSync(files[0]!).mtimeMs / 1000;
  } catch {
    // unreadable: reported when the file itself is read
  }
  const g: PayloadGroup = {
    session: undefined as unknown as NetflowSession,
    recvTs,
    file: '',
    headers: new Map(),
    versions: new Set(),
    records: 0,
  };
  g.session = createNetflowSession({
    problems: ctx.problems,
    onRecord: (r: NetflowRecord) => {
      if (r.kind !== 'flow') return;
      g.records++;
      // Data held for its template is decoded when a later file brings it: name the file it came from.
      const file = g.headers.get(headerKey(r.domain, r.sequence, r.exportTime)) ?? g.file;
      const e = netflowToEvent(r, { file });
      if (e) ctx.sink.add(e);
    },
  });
  return g;
}

function headerKey(domain: number, sequence: number, exportTime: number): string {
  return `${domain}|${sequence}|${Math.floor(exportTime)}`;
}

/**
 * Feeds one payload file: consecutive v5 datagrams and IPFIX messages are split
 * by their own lengths; anything else (v9, which has no length, or a bad
 * header) goes to the decoder as one datagram, which reports what is wrong.
 */
async function feedFile(
  g: PayloadGroup,
  exporter: string,
  path: string,
  ctx: NetflowInputContext,
): Promise<number> {
  const { problems } = ctx;
  let bytes: Uint8Array;
  try {
    const size = statSync(path).size;
    if (size > MAX_PAYLOAD_FILE) {
      problems.add({
        stage: 'read',
        code: 'netflow.payload-too-large',
        message: `${size}-byte payload file is over the ${MAX_PAYLOAD_FILE}-byte limit; skipped (exporter ${exporter})`,
        file: path,
        offset: 0,
      });
      return 0;
    }
    bytes = readFileSync(path);
  } catch (err) {
    problems.add({
      stage: 'read',
      code: 'netflow.unreadable',
      message: `cannot read the payload file: ${(err as Error).message}`,
      file: path,
    });
    return 0;
  }
  g.file = path;
  let n = 0;
  let o = 0;
  while (o < bytes.length) {
    const end = datagramEnd(bytes, o);
    if (end === o) break; // zero padding after the last datagram
    const origin: DatagramOrigin = { file: path, offset: o };
    const v = exportVersion(bytes, o, end - o);
    if (v !== 0) g.versions.add(v);
    if ((v === 9 || v === 10) && end - o >= 20) {
      const w = (at: number) =>
        ((bytes[o + at]! << 24) |
          (bytes[o + at + 1]! << 16) |
          (bytes[o + at + 2]! << 8) |
          bytes[o + at + 3]!) >>>
        0;
      const k = v === 9 ? headerKey(w(16), w(12), w(8)) : headerKey(w(12), w(8), w(4));
      if (g.headers.size < MAX_HEADERS && !g.headers.has(k)) g.headers.set(k, path);
    }
    g.session.datagram(bytes.subarray(o, end), exporter, g.recvTs, origin);
    if ((++n & (FLUSH_EVERY - 1)) === 0) await ctx.sink.maybeFlush();
    o = end;
  }
  return n;
}

/** End of the datagram starting at `o`: its own length when the header gives one, else the file's end. */
function datagramEnd(b: Uint8Array, o: number): number {
  const rest = b.length - o;
  let zero = true;
  for (let i = o; i < b.length && zero; i++) zero = b[i] === 0;
  if (zero && o > 0) return o;
  const v = exportVersion(b, o, rest);
  if (v === 5 && rest >= 24) {
    const count = (b[o + 2]! << 8) | b[o + 3]!;
    const len = 24 + 48 * count;
    if (count >= 1 && count <= 30 && len < rest) return o + len;
  }
  if (v === 10 && rest >= 16) {
    const len = (b[o + 2]! << 8) | b[o + 3]!;
    if (len >= 16 && len < rest) return o + len;
  }
  return b.length;
}
