/**
 * Byte builders for decoder tests: hand-made frames, layer by layer.
 * Test-only; nothing in the production path imports this file.
 */
import type { Frame } from '../../schema/packet.js';
import { LinkType } from '../../schema/packet.js';
import { parseAddress } from '../../util/ip.js';

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const addr = (text: string) => {
  const a = parseAddress(text);
  if (!a) throw new Error(`bad address ${text}`);
  return a;
};

let frameIndex = 0;
/** Wraps bytes as a Frame; `origLen` defaults to the captured length. */
export function frame(
  data: Uint8Array,
  linkType: number = LinkType.ETHERNET,
  tsSec = 1000,
  origLen?: number,
): Frame {
  return {
    index: frameIndex++,
    offset: 24,
    tsSec,
    tsNsec: 0,
    linkType,
    interfaceId: 0,
    capLen: data.length,
    origLen: origLen ?? data.length,
    data,
  };
}

/** Ethernet II; `tags` are [tpid, vlanId] pairs, outermost first. */
export function eth(type: number, payload: Uint8Array, tags: [number, number][] = []): Uint8Array {
  const hdr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const tagBytes: number[] = [];
  for (const [tpid, id] of tags) tagBytes.push(...be16(tpid), ...be16(id));
  return concat(hdr, tagBytes, be16(type), payload);
}

export interface V4 {
  src?: string;
  dst?: string;
  proto?: number;
  id?: number;
  ttl?: number;
  more?: boolean;
  dontFragment?: boolean;
  fragOffset?: number;
  options?: number[];
  totalLen?: number;
  ihlWords?: number;
}
export function ipv4(o: V4, payload: Uint8Array): Uint8Array {
  const opts = o.options ?? [];
  const ihl = o.ihlWords ?? 5 + Math.ceil(opts.length / 4);
  const padded = [...opts];
  while (padded.length % 4) padded.push(0);
  const flags = (o.more ? 0x2000 : 0) | (o.dontFragment ? 0x4000 : 0) | ((o.fragOffset ?? 0) >> 3);
  const total = o.totalLen ?? 20 + padded.length + payload.length;
  return concat(
    [0x40 | ihl, 0, ...be16(total), ...be16(o.id ?? 0x1234), ...be16(flags), o.ttl ?? 64, o.proto ?? 6, 0, 0],
    addr(o.src ?? '10.0.0.1'),
    addr(o.dst ?? '10.0.0.2'),
    padded,
    payload,
  );
}

export function ipv6(
  o: { src?: string; dst?: string; nh: number; hop?: number; payloadLen?: number },
  payload: Uint8Array,
) {
  return concat(
    [0x60, 0, 0, 0, ...be16(o.payloadLen ?? payload.length), o.nh, o.hop ?? 64],
    addr(o.src ?? '2001:db8::1'),
    addr(o.dst ?? '2001:db8::2'),
    payload,
  );
}

/** A generic IPv6 extension header (hop-by-hop, routing, dest options) of 8*(units+1) bytes. */
export function ext6(nh: number, units = 0): Uint8Array {
  const b = new Uint8Array(8 * (units + 1));
  b[0] = nh;
  b[1] = units;
  return b;
}
export function frag6(nh: number, offset: number, more: boolean, id: number): Uint8Array {
  return concat([nh, 0, ...be16(offset | (more ? 1 : 0)), ...be32(id)]);
}

export interface Tcp {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: number[];
  dataOffsetWords?: number;
}
export function tcp(o: Tcp, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const opts = [...(o.options ?? [])];
  while (opts.length % 4) opts.push(0);
  const doff = o.dataOffsetWords ?? 5 + opts.length / 4;
  const flags = o.flags ?? 0x02;
  return concat(
    [...be16(o.sport ?? 40000), ...be16(o.dport ?? 80), ...be32(o.seq ?? 1), ...be32(o.ack ?? 0)],
    [(doff << 4) | ((flags >> 8) & 1), flags & 0xff, ...be16(o.window ?? 65535), 0, 0, 0, 0],
    opts,
    payload,
  );
}

export function udp(sport: number, dport: number, payload: Uint8Array, len?: number): Uint8Array {
  return concat([...be16(sport), ...be16(dport), ...be16(len ?? 8 + payload.length), 0, 0], payload);
}

export function icmp(type: number, code: number, rest: Uint8Array = new Uint8Array(4)): Uint8Array {
  return concat([type, code, 0, 0], rest);
}

export function arp(op: number, sender: string, target: string): Uint8Array {
  return concat(
    [0, 1, 8, 0, 6, 4, ...be16(op)],
    [1, 2, 3, 4, 5, 6],
    addr(sender),
    [0, 0, 0, 0, 0, 0],
    addr(target),
  );
}

export function sll(protocol: number, payload: Uint8Array, arphrd = 1): Uint8Array {
  return concat([0, 0, ...be16(arphrd), 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, ...be16(protocol)], payload);
}
export function sll2(protocol: number, payload: Uint8Array, arphrd = 1): Uint8Array {
  return concat(
    [...be16(protocol), 0, 0, ...be32(2), ...be16(arphrd), 0, 6, 1, 2, 3, 4, 5, 6, 0, 0],
    payload,
  );
}
export function loopback(family: number, payload: Uint8Array, littleEndian: boolean): Uint8Array {
  const f = be32(family);
  return concat(littleEndian ? f.reverse() : f, payload);
}

export const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
