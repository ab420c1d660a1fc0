/**
 * Small capture writers for tests: build pcap and pcapng files byte by byte in
 * either byte order, so every reader feature and garbage case has a fixture
 * made in code rather than a binary checked into the repo.
 */

/** Growable byte builder with a fixed byte order. */
export class Bytes {
  private out: number[] = [];
  constructor(readonly le: boolean) {}
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  /** 64-bit unsigned as two 32-bit halves in this byte order. */
  u64(hi: number, lo: number): this {
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]! & 0xff);
    return this;
  }
  pad4(): this {
    while (this.out.length % 4) this.out.push(0);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Deterministic payload of `n` bytes (value depends on seed and position). */
export function payload(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

export interface PcapRecord {
  sec: number;
  /** Microseconds, or nanoseconds in a nanosecond file. */
  frac: number;
  data: Uint8Array;
  origLen?: number;
  /** Overrides the captured length field (for garbage cases). */
  capLenField?: number;
}

export interface PcapOptions {
  le?: boolean;
  ns?: boolean;
  snapLen?: number;
  /** The whole 32-bit link-type field, FCS bits included. */
  linkType?: number;
  versionMajor?: number;
}

export function pcapHeader(o: PcapOptions = {}): Uint8Array {
  const b = new Bytes(o.le ?? true);
  b.u32(o.ns ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(o.versionMajor ?? 2)
    .u16(4)
    .u32(0)
    .u32(0);
  return b
    .u32(o.snapLen ?? 65535)
    .u32(o.linkType ?? 1)
    .bytes();
}

export function pcapRecord(r: PcapRecord, le = true): Uint8Array {
  return new Bytes(le)
    .u32(r.sec)
    .u32(r.frac)
    .u32(r.capLenField ?? r.data.length)
    .u32(r.origLen ?? r.data.length)
    .raw(r.data)
    .bytes();
}

export function pcapFile(o: PcapOptions, records: PcapRecord[]): Uint8Array {
  return concat(pcapHeader(o), ...records.map((r) => pcapRecord(r, o.le ?? true)));
}

/** A pcapng block of `type` with `body` (padded to 4) and matching lengths. */
export function block(le: boolean, type: number, body: Uint8Array, trailerOverride?: number): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  const b = new Bytes(le).u32(type).u32(len).raw(body);
  while (b.length < 8 + padded) b.u8(0);
  return b.u32(trailerOverride ?? len).bytes();
}

export function shb(le: boolean, versionMajor = 1): Uint8Array {
  const body = new Bytes(le).u32(0x1a2b3c4d).u16(versionMajor).u16(0).u64(0xffffffff, 0xffffffff).bytes();
  return block(le, 0x0a0d0d0a, body);
}

export interface IdbOptions {
  linkType?: number;
  snapLen?: number;
  /** if_tsresol byte. */
  tsresol?: number;
  /** if_tsoffset seconds (non-negative, below 2^32 here). */
  tsoffset?: number;
}

export function idb(le: boolean, o: IdbOptions = {}): Uint8Array {
  const b = new Bytes(le)
    .u16(o.linkType ?? 1)
    .u16(0)
    .u32(o.snapLen ?? 0);
  if (o.tsresol !== undefined) b.u16(9).u16(1).u8(o.tsresol).pad4();
  if (o.tsoffset !== undefined) b.u16(14).u16(8).u64(0, o.tsoffset);
  b.u16(0).u16(0);
  return block(le, 1, b.bytes());
}

export interface EpbOptions {
  iface?: number;
  /** 64-bit timestamp in interface units as high and low halves. */
  tsHigh: number;
  tsLow: number;
  data: Uint8Array;
  origLen?: number;
  capLenField?: number;
}

export function epb(le: boolean, o: EpbOptions): Uint8Array {
  const b = new Bytes(le)
    .u32(o.iface ?? 0)
    .u32(o.tsHigh)
    .u32(o.tsLow)
    .u32(o.capLenField ?? o.data.length)
    .u32(o.origLen ?? o.data.length)
    .raw(o.data);
  return block(le, 6, b.pad4().bytes());
}

/** Obsolete Packet Block (type 2): 16-bit interface id and a drops count. */
export function pb(le: boolean, o: EpbOptions): Uint8Array {
  const b = new Bytes(le)
    .u16(o.iface ?? 0)
    .u16(0)
    .u32(o.tsHigh)
    .u32(o.tsLow)
    .u32(o.data.length)
    .u32(o.origLen ?? o.data.length)
    .raw(o.data);
  return block(le, 2, b.pad4().bytes());
}

export function spb(le: boolean, origLen: number, data: Uint8Array): Uint8Array {
  return block(le, 3, new Bytes(le).u32(origLen).raw(data).pad4().bytes());
}

/** Name Resolution Block with IPv4 (4-byte) or IPv6 (16-byte) entries. */
export function nrb(le: boolean, entries: { addr: number[]; names: string[] }[]): Uint8Array {
  const b = new Bytes(le);
  for (const e of entries) {
    const text = new TextEncoder().encode(e.names.map((n) => `${n}\0`).join(''));
    b.u16(e.addr.length === 4 ? 1 : 2)
      .u16(e.addr.length + text.length)
      .raw(e.addr)
      .raw(text)
      .pad4();
  }
  b.u16(0).u16(0);
  return block(le, 4, b.bytes());
}
