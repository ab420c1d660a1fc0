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
 * `file:<folder>`); templates in any of them serve data in all of them (a
 * first pass learns the templates quietly), so a data file sorted before its
 * template file still decodes, and its events and problems name its own file.
 */
import { readFileSync, statSync } from 'node:fs';
import { netflowToEvent } from '../normalize/netflow.js';
import { openCapture } from '../read/index.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import { createNetflowSession, type DatagramOrigin, type NetflowSession } from '../read/netflow/session.js';
import { extractUdp, type UdpDatagram } from '../read/netflow/udp-payload.js';
import type { Problem, ProblemLog } from '../schema/problem.js';
import type { EventSink } from './event-sink.js';
import type { ResolvedInput } from './inputs.js';
import { exportVersion, isExportDatagram } from './netflow-sniff.js';

/** Largest payload file read (a datagram is at most 64 KiB; an IPFIX message stream may be longer). */
export const MAX_PAYLOAD_FILE = 64 * 1024 * 1024;

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
  /** false during the quiet template-learning pass. */
  live: boolean;
  recvTs: number;
  /** The file being fed, for events' source.file. */
  file: string;
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
    input.kind === 'netflow-payload' ? readPayloadFile(input, ctx) : readExportCapture(input.path, ctx);
  await ctx.sink.flush();
  r.events = ctx.sink.count - before;
  return r;
}

function formatOf(versions: Set<number>): string {
  const names = [...versions].sort().map((v) => (v === 5 ? 'netflow-v5' : v === 9 ? 'netflow-v9' : 'ipfix'));
  return `netflow:${names.join('+') || 'none'}`;
}

function readExportCapture(path: string, ctx: NetflowInputContext): NetflowInputResult {
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
  const versions = new Set<number>();
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
  try {
    for (let f = reader.next(); f; f = reader.next()) {
      out.packets++;
      const b = f.data;
      if (
        extractUdp(b, f.linkType, dg) !== 'ok' ||
        !isExportDatagram(b, dg.offset, dg.length, dg.srcPort, dg.dstPort)
      ) {
        out.otherFrames++;
        continue;
      }
      out.datagrams++;
      versions.add(exportVersion(b, dg.offset, dg.length));
      // A fresh origin per datagram: data held for a template keeps it. Offsets are bytes within the frame.
      const origin: DatagramOrigin = { file: path, frame: f.index, offset: dg.offset };
      session.datagram(
        b.subarray(dg.offset, dg.offset + dg.length),
        `${dg.srcAddr}:${dg.srcPort}`,
        f.tsSec + f.tsNsec / 1e9,
        origin,
      );
    }
    session.flush();
  } finally {
    reader.close();
  }
  out.format = `${formatOf(versions)} in ${reader.format}`;
  return out;
}

function readPayloadFile(input: ResolvedInput, ctx: NetflowInputContext): NetflowInputResult {
  const group = input.netflowGroup ?? { exporter: `file:${input.path}`, files: [input.path] };
  let groups = runGroups.get(ctx.sink);
  if (!groups) {
    groups = new Map();
    runGroups.set(ctx.sink, groups);
  }
  let g = groups.get(group.exporter);
  if (!g) {
    g = startGroup(group.exporter, group.files, ctx);
    groups.set(group.exporter, g);
  }
  g.versions.clear();
  g.records = 0;
  const datagrams = feedFile(g, group.exporter, input.path, ctx.problems);
  const last = group.files[group.files.length - 1] === input.path;
  if (last) {
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

function startGroup(exporter: string, files: readonly string[], ctx: NetflowInputContext): PayloadGroup {
  let recvTs = 0;
  try {
    recvTs = statSync(files[0]!).mtimeMs / 1000;
  } catch {
    // unreadable: reported when the file itself is read
  }
  const g: PayloadGroup = {
    session: undefined as unknown as NetflowSession,
    live: false,
    recvTs,
    file: '',
    versions: new Set(),
    records: 0,
  };
  const gated: ProblemLog = {
    counts: ctx.problems.counts,
    samples: ctx.problems.samples,
    add: (p: Problem) => {
      if (g.live) ctx.problems.add(p);
    },
    total: () => ctx.problems.total(),
  };
  g.session = createNetflowSession({
    problems: gated,
    onRecord: (r: NetflowRecord) => {
      if (!g.live || r.kind !== 'flow') return;
      g.records++;
      const e = netflowToEvent(r, { file: g.file });
      if (e) ctx.sink.add(e);
    },
  });
  // Quiet pass: learn every template of the folder; the data it decodes is discarded.
  if (files.length > 1) {
    const quiet = { counts: new Map(), samples: [], add() {}, total: () => 0 } as ProblemLog;
    for (const f of files) feedFile(g, exporter, f, quiet);
    g.session.flush();
  }
  g.live = true;
  return g;
}

/**
 * Feeds one payload file: consecutive v5 datagrams and IPFIX messages are split
 * by their own lengths; anything else (v9, which has no length, or a bad
 * header) goes to the decoder as one datagram, which reports what is wrong.
 */
function feedFile(g: PayloadGroup, exporter: string, path: string, problems: ProblemLog): number {
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
    if (v !== 0 && g.live) g.versions.add(v);
    g.session.datagram(bytes.subarray(o, end), exporter, g.recvTs, origin);
    n++;
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
