/**
 * One Snort fast alert line (Snort 2 `alert_fast` / fast.log and Snort 3's):
 * `MM/DD-HH:MM:SS.uuuuuu [action]? [**] [gid:sid:rev] msg [**] [Classification: C] [Priority: N] [AppID: A] {PROTO} src:port -> dst:port`.
 */
import type { Problem } from '../../schema/problem.js';
import { type LineContext, lineProblem } from '../syslog/types.js';
import type { SnortAlertRecord } from './record.js';
import { snortProto } from './snort-proto.js';
import {
  type AlertNotes,
  parseArrow,
  parseNotes,
  parseSignatureText,
  type SignatureText,
} from './snort-text.js';
import { snortTimeToEpoch } from './snort-time.js';

/**
 * @example parseFastLine('11/23-11:12:20.000001  [**] [1:1000001:1] Probe [**] [Priority: 2] {TCP} 10.0.0.1:4 -> 10.0.0.2:22', ctx)
 */
export function parseFastLine(line: string, ctx: LineContext): SnortAlertRecord | Problem {
  const sp = line.indexOf(' ');
  if (sp < 0) return unparsed(ctx);
  const stamp = line.slice(0, sp);
  let rest = line.slice(sp + 1).trimStart();
  let action: string | undefined;
  // Snort 3 (and Snort 2 inline) put the verdict before the first [**]: "[drop]", "[Drop]".
  if (rest.startsWith('[') && !rest.startsWith('[**]')) {
    const close = rest.indexOf(']');
    if (close < 0 || close > 33) return unparsed(ctx);
    action = rest.slice(1, close);
    rest = rest.slice(close + 1).trimStart();
  }
  if (!rest.startsWith('[**]')) return unparsed(ctx);
  const sig = parseSignatureText(rest.slice(4).trimStart());
  if (sig === undefined) return unparsed(ctx);
  const notes = parseNotes(sig.rest);
  const generation = sig.part.quoted || notes.appId !== undefined ? 3 : 2;
  const ts = snortTimeToEpoch(stamp, generation, ctx.tzOffsetSeconds, ctx.referenceTime);
  if (!Number.isFinite(ts))
    return lineProblem(ctx, 'snort.bad-timestamp', `malformed timestamp "${stamp.slice(0, 40)}"; skipped`);
  const r = snortRecord('snort-fast', ts, line, sig.part, notes);
  if (action !== undefined) r.alert.action = action;
  const arrow = parseArrow(notes.rest, hasPorts(r.proto));
  if (arrow === undefined)
    return lineProblem(ctx, 'snort.bad-address', 'alert endpoints are not "address -> address"; skipped');
  setEndpoints(r, arrow);
  return r;
}

/** A Snort record from the parts both text formats share. */
export function snortRecord(
  format: 'snort-fast' | 'snort-full',
  ts: number,
  raw: string,
  sig: SignatureText,
  notes: AlertNotes,
): SnortAlertRecord {
  const r: SnortAlertRecord = { reader: 'ids', format, ts, raw, alert: { ...sig.sig }, extra: {} };
  applyNotes(r, notes);
  if (sig.iface !== undefined) r.extra.iface = sig.iface;
  return r;
}

/** Classification, priority, AppID and the protocol word onto a record. */
export function applyNotes(r: SnortAlertRecord, notes: AlertNotes): void {
  if (notes.classification !== undefined) r.alert.category = notes.classification;
  if (notes.priority !== undefined) r.alert.priority = notes.priority;
  if (notes.appId !== undefined) r.service = notes.appId;
  if (notes.protoWord !== undefined) setProto(r, notes.protoWord);
}

/** Sets `proto` for transports, `pktType` for other packet types. */
export function setProto(r: SnortAlertRecord, word: string): void {
  const proto = snortProto(word);
  if (proto !== undefined) r.proto = proto;
  else if (word !== '') r.pktType = word.slice(0, 16);
}

export function hasPorts(proto: string | undefined): boolean {
  return proto === 'tcp' || proto === 'udp' || proto === 'sctp';
}

export function setEndpoints(
  r: SnortAlertRecord,
  [src, dst]: [{ addr: string; port?: number }, { addr: string; port?: number }],
): void {
  r.src = src.addr;
  r.dst = dst.addr;
  if (src.port !== undefined) r.srcPort = src.port;
  if (dst.port !== undefined) r.dstPort = dst.port;
}

function unparsed(ctx: LineContext): Problem {
  return lineProblem(
    ctx,
    'snort.unparsed',
    'line is not a Snort fast alert or part of a full alert; skipped',
  );
}
