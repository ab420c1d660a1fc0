/**
 * Templates compiled once for the decode loop: per field its id, enterprise,
 * length (0xffff = variable), type, name and the record property it fills.
 */
import { elementName, IeType, type IeTypeCode, informationElements, v9ScopeNames } from './elements.js';

/** Which NetflowRecord property a field fills; 0 = the `fields` map. */
export const Slot = {
  none: 0,
  bytes: 1,
  packets: 2,
  proto: 3,
  tos: 4,
  tcpFlags: 5,
  srcPort: 6,
  srcAddr: 7,
  srcMask: 8,
  inputIf: 9,
  dstPort: 10,
  dstAddr: 11,
  dstMask: 12,
  outputIf: 13,
  nextHop: 14,
  srcAs: 15,
  dstAs: 16,
  endUptime: 17,
  startUptime: 18,
  direction: 19,
  sampling: 20,
  startSecs: 21,
  endSecs: 22,
  startMs: 23,
  endMs: 24,
  startUs: 25,
  endUs: 26,
  startNs: 27,
  endNs: 28,
  startDeltaUs: 29,
  endDeltaUs: 30,
  durationMs: 31,
  durationUs: 32,
  systemInit: 33,
  samplerId: 34,
  bytesTotal: 35,
  packetsTotal: 36,
} as const;

const slotOfIe: Record<number, number> = {
  1: Slot.bytes,
  2: Slot.packets,
  4: Slot.proto,
  5: Slot.tos,
  6: Slot.tcpFlags,
  7: Slot.srcPort,
  8: Slot.srcAddr,
  9: Slot.srcMask,
  10: Slot.inputIf,
  11: Slot.dstPort,
  12: Slot.dstAddr,
  13: Slot.dstMask,
  14: Slot.outputIf,
  15: Slot.nextHop,
  16: Slot.srcAs,
  17: Slot.dstAs,
  21: Slot.endUptime,
  22: Slot.startUptime,
  27: Slot.srcAddr,
  28: Slot.dstAddr,
  29: Slot.srcMask,
  30: Slot.dstMask,
  34: Slot.sampling,
  48: Slot.samplerId,
  50: Slot.sampling,
  61: Slot.direction,
  62: Slot.nextHop,
  85: Slot.bytesTotal,
  86: Slot.packetsTotal,
  150: Slot.startSecs,
  151: Slot.endSecs,
  152: Slot.startMs,
  153: Slot.endMs,
  154: Slot.startUs,
  155: Slot.endUs,
  156: Slot.startNs,
  157: Slot.endNs,
  158: Slot.startDeltaUs,
  159: Slot.endDeltaUs,
  160: Slot.systemInit,
  161: Slot.durationMs,
  162: Slot.durationUs,
  302: Slot.samplerId,
  305: Slot.sampling,
};

export const VARIABLE = 0xffff;

export interface Template {
  id: number;
  domain: number;
  options: boolean;
  /** Leading scope fields (options templates). */
  scopeCount: number;
  count: number;
  ids: Uint16Array;
  enterprises: Uint32Array;
  lengths: Uint16Array;
  types: Uint8Array;
  slots: Uint8Array;
  names: string[];
  /** Smallest record length (variable fields count their 1-byte length prefix). */
  minLength: number;
  /** Layout fingerprint, to notice an id reused with another layout. */
  layout: string;
  lastSeen: number;
  /** The template record's bytes, so a re-sent identical template is only refreshed. */
  raw: Uint8Array;
}

/** Most fields accepted in one template; more is a corrupt template. */
export const MAX_TEMPLATE_FIELDS = 512;

/** Builds a Template from parsed field specs (ids/enterprises/lengths already bounds-checked). */
export function compileTemplate(
  id: number,
  domain: number,
  options: boolean,
  scopeCount: number,
  ids: number[],
  enterprises: number[],
  lengths: number[],
  v9Scope: boolean,
  now: number,
  raw: Uint8Array,
): Template {
  const n = ids.length;
  const t: Template = {
    id,
    domain,
    options,
    scopeCount,
    count: n,
    ids: new Uint16Array(ids),
    enterprises: new Uint32Array(enterprises),
    lengths: new Uint16Array(lengths),
    types: new Uint8Array(n),
    slots: new Uint8Array(n),
    names: new Array<string>(n),
    minLength: 0,
    layout: '',
    lastSeen: now,
    raw,
  };
  let layout = `${options ? 'o' : 'd'}${scopeCount}`;
  for (let i = 0; i < n; i++) {
    const fid = ids[i]!;
    const ent = enterprises[i]!;
    const len = lengths[i]!;
    layout += `,${ent}:${fid}/${len}`;
    t.minLength += len === VARIABLE ? 1 : len;
    if (v9Scope && i < scopeCount) {
      t.names[i] = v9ScopeNames[fid] ?? `scope${fid}`;
      t.types[i] = len <= 8 ? IeType.unsigned : IeType.octets;
      continue;
    }
    t.names[i] = elementName(fid, ent);
    const ie = ent === 0 ? informationElements[fid] : undefined;
    t.types[i] = typeFor(ie?.type, len);
    const slot = ent === 0 ? (slotOfIe[fid] ?? 0) : 0;
    // A modelled field only when its length fits the model (e.g. a 4-byte address).
    t.slots[i] = slotFits(slot, len) ? slot : 0;
  }
  t.layout = layout;
  return t;
}

function typeFor(type: IeTypeCode | undefined, len: number): IeTypeCode {
  if (type === undefined) return len >= 1 && len <= 8 ? IeType.unsigned : IeType.unknown;
  if (type === IeType.ipv4 && len !== 4) return IeType.octets;
  if (type === IeType.ipv6 && len !== 16) return IeType.octets;
  if (type === IeType.mac && len !== 6) return IeType.octets;
  if ((type === IeType.unsigned || type === IeType.signed) && (len === 0 || len > 8)) return IeType.octets;
  if (type === IeType.float && len !== 4 && len !== 8) return IeType.octets;
  return type;
}

function slotFits(slot: number, len: number): boolean {
  if (slot === 0) return false;
  if (slot === Slot.srcAddr || slot === Slot.dstAddr || slot === Slot.nextHop) return len === 4 || len === 16;
  return len >= 1 && len <= 8;
}
