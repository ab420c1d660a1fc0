/**
 * Decodes one data record with its compiled template into a NetflowRecord,
 * then derives absolute start/end times from whichever time elements it had.
 */
import { formatAddress, formatIPv4, formatIPv6 } from '../../util/ip.js';
import { IeType } from './elements.js';
import type { FieldValue, NetflowRecord } from './record.js';
import { Slot, type Template, VARIABLE } from './template.js';

/** What an exporter's options data taught us, per observation domain (bounded maps). */
export interface DomainState {
  systemInitMs: number | undefined;
  /** Sampling interval from options data that names no sampler. */
  defaultSampling: number | undefined;
  samplers: Map<number, number>;
  ifNames: Map<number, string>;
}

/** Most sampler ids / interface names remembered per domain. */
export const MAX_DOMAIN_ENTRIES = 65536;

/** Header facts a data record needs; one object reused by a session. */
export interface DecodeContext {
  version: 5 | 9 | 10;
  exporter: string;
  domain: number;
  sequence: number;
  exportTime: number;
  /** v9 header sysUptime in ms (undefined for IPFIX). */
  uptimeMs: number | undefined;
  recvTs: number;
  allFields: boolean;
  state: DomainState;
}

const NTP_TO_UNIX = 2208988800;
const TWO32 = 4294967296;
const utf8 = new TextDecoder('utf-8', { fatal: false });
const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Unsigned big-endian integer of 1..8 bytes (exact up to 2^53). */
export function readUint(b: Uint8Array, o: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + b[o + i]!;
  return v;
}

function hex(b: Uint8Array, o: number, len: number, sep: string): string {
  let s = '';
  for (let i = 0; i < len; i++) s += (i > 0 ? sep : '') + hexByte[b[o + i]!];
  return s;
}

function text(b: Uint8Array, o: number, len: number): string {
  let end = o + len;
  while (end > o && b[end - 1] === 0) end--;
  return utf8.decode(b.subarray(o, end));
}

/** A field's value for the `fields` map, by its abstract type. */
function fieldValue(
  b: Uint8Array,
  dv: DataView<ArrayBufferLike>,
  o: number,
  len: number,
  type: number,
): FieldValue {
  switch (type) {
    case IeType.unsigned:
    case IeType.boolean: {
      const v = readUint(b, o, len);
      return v <= Number.MAX_SAFE_INTEGER ? v : BigInt(`0x${hex(b, o, len, '')}`).toString();
    }
    case IeType.signed: {
      const v = readUint(b, o, len);
      return b[o]! & 0x80 ? v - 2 ** (8 * len) : v;
    }
    case IeType.float:
      return len === 4 ? dv.getFloat32(o) : dv.getFloat64(o);
    case IeType.ipv4:
      return formatIPv4(b, o);
    case IeType.ipv6:
      return formatIPv6(b, o);
    case IeType.mac:
      return hex(b, o, 6, ':');
    case IeType.string:
      return text(b, o, len);
    case IeType.secs:
      return readUint(b, o, len);
    case IeType.millis:
      return readUint(b, o, len) / 1000;
    case IeType.micros:
    case IeType.nanos:
      return len === 8 ? ntpSeconds(b, o, type === IeType.micros) : readUint(b, o, len);
    default:
      // Elements we cannot type (vendor ones): printable text reads as text, the rest as hex.
      return type === IeType.unknown && printable(b, o, len) ? text(b, o, len) : hex(b, o, len, '');
  }
}

/** Unknown octets that look like text: printable ASCII / UTF-8 lead bytes, NULs only as trailing padding. */
function printable(b: Uint8Array, o: number, len: number): boolean {
  let end = o + len;
  while (end > o && b[end - 1] === 0) end--;
  if (end - o < 2) return false;
  for (let i = o; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** RFC 7011 dateTimeMicro/Nanoseconds: NTP seconds since 1900 + binary fraction. */
function ntpSeconds(b: Uint8Array, o: number, micro: boolean): number {
  const secs = readUint(b, o, 4);
  let frac = readUint(b, o + 4, 4);
  if (micro) frac -= frac % 2048; // the low 11 bits carry no meaning for microseconds
  return secs - NTP_TO_UNIX + frac / TWO32;
}

// Time elements seen in the record being decoded (NaN = absent); module scope so no per-record allocation.
let tStart = Number.NaN;
let tEnd = Number.NaN;
let upStart = Number.NaN;
let upEnd = Number.NaN;
let dStart = Number.NaN;
let dEnd = Number.NaN;
let durMs = Number.NaN;
let samplerId = Number.NaN;

/**
 * Decodes the record at `o` (its data set ends at `end`). Returns the record
 * and sets `decodeEnd.at` to the next record's offset, or returns undefined
 * when the record runs past the end of the set.
 */
export function decodeDataRecord(
  b: Uint8Array,
  dv: DataView<ArrayBufferLike>,
  o: number,
  end: number,
  t: Template,
  ctx: DecodeContext,
  recordOffset: number,
): NetflowRecord | undefined {
  tStart = tEnd = upStart = upEnd = dStart = dEnd = durMs = samplerId = Number.NaN;
  const r: NetflowRecord = {
    kind: t.options ? 'options' : 'flow',
    version: ctx.version,
    exporter: ctx.exporter,
    domain: ctx.domain,
    templateId: t.id,
    sequence: ctx.sequence,
    exportTime: ctx.exportTime,
    recvTs: ctx.recvTs,
    offset: recordOffset,
    fields: {},
  };
  const all = ctx.allFields || t.options;
  for (let i = 0; i < t.count; i++) {
    let len = t.lengths[i]!;
    if (len === VARIABLE) {
      if (o >= end) return undefined;
      len = b[o++]!;
      if (len === 255) {
        if (o + 2 > end) return undefined;
        len = (b[o]! << 8) | b[o + 1]!;
        o += 2;
      }
    }
    if (o + len > end) return undefined;
    const slot = t.slots[i]!;
    if (slot !== 0 && len > 0) setSlot(r, slot, b, o, len);
    if (slot === 0 || all) {
      const type = t.types[i]!;
      if (len > 0) r.fields[t.names[i]!] = fieldValue(b, dv, o, len, type);
      else if (type === IeType.string || type === IeType.unknown) r.fields[t.names[i]!] = '';
    }
    o += len;
  }
  decodeEnd.at = o;
  finishRecord(r, ctx, t);
  return r;
}

/** Where the last decoded record ended. */
export const decodeEnd = { at: 0 };

function setSlot(r: NetflowRecord, slot: number, b: Uint8Array, o: number, len: number): void {
  switch (slot) {
    // Templates that carry both IPv4 and IPv6 address elements zero the unused family: an all-zero
    // address never replaces one already read.
    case Slot.srcAddr:
      if (r.srcAddr === undefined || !allZero(b, o, len)) r.srcAddr = formatAddress(b, len, o);
      return;
    case Slot.dstAddr:
      if (r.dstAddr === undefined || !allZero(b, o, len)) r.dstAddr = formatAddress(b, len, o);
      return;
    case Slot.nextHop:
      if (r.nextHop === undefined || !allZero(b, o, len)) r.nextHop = formatAddress(b, len, o);
      return;
  }
  const v = readUint(b, o, len);
  switch (slot) {
    case Slot.bytes:
      r.bytes = v;
      break;
    case Slot.bytesTotal:
      if (r.bytes === undefined) r.bytes = v;
      break;
    case Slot.packets:
      r.packets = v;
      break;
    case Slot.packetsTotal:
      if (r.packets === undefined) r.packets = v;
      break;
    case Slot.proto:
      r.proto = v;
      break;
    case Slot.tos:
      r.tos = v;
      break;
    case Slot.tcpFlags:
      r.tcpFlags = v;
      break;
    case Slot.srcPort:
      r.srcPort = v;
      break;
    case Slot.dstPort:
      r.dstPort = v;
      break;
    case Slot.srcMask:
      r.srcMask = v;
      break;
    case Slot.dstMask:
      r.dstMask = v;
      break;
    case Slot.inputIf:
      r.inputIf = v;
      break;
    case Slot.outputIf:
      r.outputIf = v;
      break;
    case Slot.srcAs:
      r.srcAs = v;
      break;
    case Slot.dstAs:
      r.dstAs = v;
      break;
    case Slot.direction:
      r.direction = v;
      break;
    case Slot.sampling:
      if (v > 0) r.samplingInterval = v;
      break;
    case Slot.samplerId:
      samplerId = v;
      break;
    case Slot.startUptime:
      upStart = v;
      break;
    case Slot.endUptime:
      upEnd = v;
      break;
    case Slot.startSecs:
      tStart = v;
      break;
    case Slot.endSecs:
      tEnd = v;
      break;
    case Slot.startMs:
      tStart = v / 1000;
      break;
    case Slot.endMs:
      tEnd = v / 1000;
      break;
    case Slot.startUs:
    case Slot.startNs:
      tStart = len === 8 ? ntpSeconds(b, o, slot === Slot.startUs) : Number.NaN;
      break;
    case Slot.endUs:
    case Slot.endNs:
      tEnd = len === 8 ? ntpSeconds(b, o, slot === Slot.endUs) : Number.NaN;
      break;
    case Slot.startDeltaUs:
      dStart = v;
      break;
    case Slot.endDeltaUs:
      dEnd = v;
      break;
    case Slot.durationMs:
      durMs = v;
      break;
    case Slot.durationUs:
      durMs = v / 1000;
      break;
    case Slot.systemInit:
      r.fields.systemInitTimeMilliseconds = v / 1000;
      break;
  }
}

/** Absolute times, sampling and interface names, once all fields are in. */
function finishRecord(r: NetflowRecord, ctx: DecodeContext, t: Template): void {
  const st = ctx.state;
  if (Number.isNaN(tStart) && !Number.isNaN(dStart)) tStart = ctx.exportTime - dStart / 1e6;
  if (Number.isNaN(tEnd) && !Number.isNaN(dEnd)) tEnd = ctx.exportTime - dEnd / 1e6;
  if (!Number.isNaN(upStart) || !Number.isNaN(upEnd)) {
    if (ctx.uptimeMs !== undefined) {
      // v9: times are sysUptime ms; the signed 32-bit difference survives uptime wrap.
      if (Number.isNaN(tStart) && !Number.isNaN(upStart))
        tStart = ctx.exportTime - ((ctx.uptimeMs - upStart) | 0) / 1000;
      if (Number.isNaN(tEnd) && !Number.isNaN(upEnd))
        tEnd = ctx.exportTime - ((ctx.uptimeMs - upEnd) | 0) / 1000;
    } else if (st.systemInitMs !== undefined) {
      // IPFIX: relative to the exporter's systemInitTimeMilliseconds (from options data).
      if (Number.isNaN(tStart) && !Number.isNaN(upStart)) tStart = (st.systemInitMs + upStart) / 1000;
      if (Number.isNaN(tEnd) && !Number.isNaN(upEnd)) tEnd = (st.systemInitMs + upEnd) / 1000;
    }
  }
  if (!Number.isNaN(durMs)) {
    if (Number.isNaN(tEnd) && !Number.isNaN(tStart)) tEnd = tStart + durMs / 1000;
    else if (Number.isNaN(tStart) && !Number.isNaN(tEnd)) tStart = tEnd - durMs / 1000;
  }
  if (!Number.isNaN(tStart)) r.start = tStart;
  if (!Number.isNaN(tEnd)) r.end = tEnd;
  if (!Number.isNaN(samplerId)) r.fields.samplerId = samplerId;
  if (t.options) {
    learnOptions(r, st);
    return;
  }
  if (!Number.isNaN(samplerId)) {
    const s = st.samplers.get(samplerId);
    if (s !== undefined && r.samplingInterval === undefined) r.samplingInterval = s;
  }
  if (r.samplingInterval === undefined && st.defaultSampling !== undefined)
    r.samplingInterval = st.defaultSampling;
  if (st.ifNames.size > 0) {
    if (r.inputIf !== undefined) {
      const n = st.ifNames.get(r.inputIf);
      if (n !== undefined) r.inputIfName = n;
    }
    if (r.outputIf !== undefined) {
      const n = st.ifNames.get(r.outputIf);
      if (n !== undefined) r.outputIfName = n;
    }
  }
}

/** Remembers sampling intervals, interface names and system init time from options data. */
function learnOptions(r: NetflowRecord, st: DomainState): void {
  const f = r.fields;
  const init = f.systemInitTimeMilliseconds;
  if (typeof init === 'number') st.systemInitMs = init * 1000;
  const interval =
    r.samplingInterval ??
    (typeof f.samplingPacketInterval === 'number' ? f.samplingPacketInterval : undefined);
  const sid = f.samplerId ?? f.selectorId;
  if (interval !== undefined && interval > 0) {
    if (typeof sid === 'number') {
      if (st.samplers.size < MAX_DOMAIN_ENTRIES || st.samplers.has(sid)) st.samplers.set(sid, interval);
    } else st.defaultSampling = interval;
  }
  const name = f.interfaceName ?? f.interfaceDescription;
  const ifIndex = r.inputIf ?? (typeof f.scopeInterface === 'number' ? f.scopeInterface : undefined);
  if (typeof name === 'string' && ifIndex !== undefined) {
    if (st.ifNames.size < MAX_DOMAIN_ENTRIES || st.ifNames.has(ifIndex)) st.ifNames.set(ifIndex, name);
  }
}

function allZero(b: Uint8Array, o: number, len: number): boolean {
  for (let i = o; i < o + len; i++) if (b[i] !== 0) return false;
  return true;
}
