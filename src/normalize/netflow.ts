/** NetFlow v5 / v9 / IPFIX (and nfdump CSV) flow records → `connection` Events. */

import type { NetflowRecord } from '../read/netflow/record.js';
import { type Event, NetworkActivity, OcsfClass } from '../schema/event.js';
import { eventUid, shortText } from './common.js';

const protoNames: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp' };
const formats = { 0: 'nfdump-csv', 5: 'netflow-v5', 9: 'netflow-v9', 10: 'ipfix' } as const;

/**
 * A flow record as a `connection` Event (OCSF 4001 Traffic); null for options
 * records and records without a source address. Packets and bytes are as
 * exported; `attrs.samplingInterval` says when they stand for N times more.
 *
 * @example netflowToEvent(rec, { file: 'export.pcap' })?.type // 'connection'
 */
export function netflowToEvent(r: NetflowRecord, pos: { file?: string } = {}): Event | null {
  if (r.kind !== 'flow' || r.srcAddr === undefined) return null;
  const format = formats[r.version];
  const ts = r.start ?? r.exportTime;
  const key = `${r.exporter}|${r.domain}|${r.sequence}|${r.templateId}|${r.offset}|${r.srcAddr}|${r.srcPort}|${r.dstAddr}|${r.dstPort}|${ts}`;
  const source: Event['source'] = { kind: 'netflow', format };
  if (pos.file !== undefined) source.file = pos.file;
  if (r.exporter !== '') source.host = r.exporter;
  const attrs: Record<string, string | number> = { exporter: r.exporter, domain: r.domain };
  if (r.end !== undefined) {
    attrs.end = r.end;
    if (r.start !== undefined) attrs.duration = Math.max(0, r.end - r.start);
  }
  if (r.tcpFlags !== undefined) attrs.tcpFlags = r.tcpFlags;
  if (r.inputIf !== undefined) attrs.inputIf = r.inputIf;
  if (r.outputIf !== undefined) attrs.outputIf = r.outputIf;
  if (r.inputIfName !== undefined) attrs.inputIfName = r.inputIfName;
  if (r.outputIfName !== undefined) attrs.outputIfName = r.outputIfName;
  if (r.samplingInterval !== undefined) attrs.samplingInterval = r.samplingInterval;
  if (r.srcAs) attrs.srcAs = r.srcAs;
  if (r.dstAs) attrs.dstAs = r.dstAs;
  if (r.tos) attrs.tos = r.tos;
  if (r.direction !== undefined) attrs.direction = r.direction;
  if (r.nextHop !== undefined && r.nextHop !== '0.0.0.0' && r.nextHop !== '::') attrs.nextHop = r.nextHop;
  const proto = r.proto === undefined ? undefined : (protoNames[r.proto] ?? String(r.proto));
  const e: Event = {
    ts,
    uid: eventUid(pos.file ?? r.exporter, r.offset, key),
    type: 'connection',
    classUid: OcsfClass.networkActivity,
    activityId: NetworkActivity.traffic,
    src: r.srcAddr,
    message: shortText(
      `${format} flow ${proto ?? '?'} ${end(r.srcAddr, r.srcPort)} -> ${end(r.dstAddr, r.dstPort)}` +
        ` ${r.packets ?? '?'} pkts ${r.bytes ?? '?'} bytes`,
    ),
    source,
    attrs,
  };
  if (r.dstAddr !== undefined) e.dst = r.dstAddr;
  const icmp = r.proto === 1 || r.proto === 58;
  if (icmp) {
    // ICMP has no ports: type and code go into attrs, as for Zeek and capture flows. v5 and nfdump
    // carry them as type*256+code in the destination port, v9/IPFIX in icmpTypeCode* elements.
    const tc = icmpTypeCode(r);
    if (tc !== undefined) {
      attrs.icmpType = tc >> 8;
      attrs.icmpCode = tc & 0xff;
    }
  } else {
    if (r.srcPort !== undefined && r.srcPort <= 65535) e.srcPort = r.srcPort;
    if (r.dstPort !== undefined && r.dstPort <= 65535) e.dstPort = r.dstPort;
  }
  if (proto !== undefined) e.proto = proto;
  if (r.packets !== undefined) e.packets = r.packets;
  if (r.bytes !== undefined) e.bytes = r.bytes;
  return e;
}

function end(a: string | undefined, p: number | undefined): string {
  if (a === undefined) return '?';
  if (p === undefined) return a;
  return a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}

function icmpTypeCode(r: NetflowRecord): number | undefined {
  const f = r.fields.icmpTypeCodeIPv4 ?? r.fields.icmpTypeCodeIPv6;
  if (typeof f === 'number') return f;
  if (typeof f === 'bigint') return Number(f);
  if (r.dstPort !== undefined && r.dstPort > 0) return r.dstPort;
  return undefined;
}
