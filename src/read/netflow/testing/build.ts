/** Test support: builds NetFlow v9 / IPFIX datagrams from sets, big-endian. */

export class Bytes {
  private a: number[] = [];
  u8(v: number) {
    this.a.push(v & 0xff);
    return this;
  }
  u16(v: number) {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number) {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(b: ArrayLike<number>) {
    for (let i = 0; i < b.length; i++) this.a.push(b[i]!);
    return this;
  }
  get length() {
    return this.a.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.a);
  }
}

/** One set: id, then body padded to 4 bytes. */
export function set(id: number, body: Uint8Array): Uint8Array {
  const pad = (4 - (body.length % 4)) % 4;
  return new Bytes()
    .u16(id)
    .u16(4 + body.length + pad)
    .raw(body)
    .raw(new Uint8Array(pad))
    .bytes();
}

/** An IPFIX message around sets. */
export function ipfix(
  sets: Uint8Array[],
  o: { exportTime?: number; seq?: number; domain?: number } = {},
): Uint8Array {
  const len = 16 + sets.reduce((n, s) => n + s.length, 0);
  const b = new Bytes()
    .u16(10)
    .u16(len)
    .u32(o.exportTime ?? 1_700_000_000)
    .u32(o.seq ?? 0)
    .u32(o.domain ?? 1);
  for (const s of sets) b.raw(s);
  return b.bytes();
}

/** A NetFlow v9 packet around flowsets. */
export function v9(
  sets: Uint8Array[],
  o: { uptime?: number; unix?: number; seq?: number; source?: number; count?: number } = {},
): Uint8Array {
  const b = new Bytes()
    .u16(9)
    .u16(o.count ?? sets.length)
    .u32(o.uptime ?? 100_000)
    .u32(o.unix ?? 1_700_000_000)
    .u32(o.seq ?? 0)
    .u32(o.source ?? 0);
  for (const s of sets) b.raw(s);
  return b.bytes();
}

/** A template record body: id + [ie, len] pairs (enterprise via [ie, len, pen]). */
export function templateRecord(id: number, fields: [number, number, number?][]): Uint8Array {
  const b = new Bytes().u16(id).u16(fields.length);
  for (const [ie, len, pen] of fields) {
    if (pen !== undefined)
      b.u16(ie | 0x8000)
        .u16(len)
        .u32(pen);
    else b.u16(ie).u16(len);
  }
  return b.bytes();
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
