/**
 * Test support: SMB1 and SMB2 messages built byte by byte from the field
 * layouts of MS-CIFS/MS-SMB and MS-SMB2, so the parser's tests do not depend
 * on captures. Test-only.
 */

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Little-endian writer with absolute offsets. */
export class Le {
  readonly b: Uint8Array;
  constructor(n: number) {
    this.b = new Uint8Array(n);
  }
  u8(at: number, v: number): this {
    this.b[at] = v & 0xff;
    return this;
  }
  u16(at: number, v: number): this {
    return this.u8(at, v).u8(at + 1, v >>> 8);
  }
  u32(at: number, v: number): this {
    return this.u16(at, v & 0xffff).u16(at + 2, v >>> 16);
  }
  u64(at: number, v: number): this {
    return this.u32(at, v % 2 ** 32).u32(at + 4, Math.floor(v / 2 ** 32));
  }
  set(at: number, bytes: Uint8Array): this {
    this.b.set(bytes, at);
    return this;
  }
}

export const ascii = (s: string) => new TextEncoder().encode(s);
export const utf16 = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
export const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** NBSS session message around `payload` (24-bit length as on port 445). */
export function nbss(payload: Uint8Array, type = 0): Uint8Array {
  const n = payload.length;
  return concat(Uint8Array.of(type, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff), payload);
}

// ---------------------------------------------------------------- SMB1

export interface Smb1Header {
  cmd: number;
  reply?: boolean;
  status?: number;
  unicode?: boolean;
  tid?: number;
  pid?: number;
  uid?: number;
  mid?: number;
}

/** One block of an AndX chain: parameter words and data bytes. */
export interface Smb1Block {
  words: Uint8Array;
  bytes: Uint8Array;
}

export function smb1Header(h: Smb1Header): Uint8Array {
  const w = new Le(32)
    .set(0, Uint8Array.of(0xff, 0x53, 0x4d, 0x42))
    .u8(4, h.cmd)
    .u32(5, h.status ?? 0);
  w.u8(9, h.reply ? 0x98 : 0x18).u16(10, h.unicode === false ? 0x4001 : 0xc843);
  return w
    .u16(24, h.tid ?? 1)
    .u16(26, h.pid ?? 100)
    .u16(28, h.uid ?? 7)
    .u16(30, h.mid ?? 1).b;
}

/**
 * A whole SMB1 message: header then blocks laid out in order, each block's
 * AndX command/offset words (if `andx`) patched to point at the next.
 * `tail` is appended after the last block (for data placed past the chain).
 */
export function smb1(
  h: Smb1Header,
  blocks: Smb1Block[],
  cmds: number[] = [],
  tail: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const parts: Uint8Array[] = [smb1Header(h)];
  let at = 32;
  const starts: number[] = [];
  for (const blk of blocks) {
    starts.push(at);
    const b = new Le(1 + blk.words.length + 2 + blk.bytes.length);
    b.u8(0, blk.words.length / 2)
      .set(1, blk.words)
      .u16(1 + blk.words.length, blk.bytes.length);
    b.set(3 + blk.words.length, blk.bytes);
    parts.push(b.b);
    at += b.b.length;
  }
  const msg = concat(...parts, tail);
  for (let i = 0; i < blocks.length; i++) {
    if (i >= cmds.length) break;
    const w = starts[i]! + 1;
    msg[w] = i + 1 < blocks.length ? cmds[i]! : 0xff;
    const next = i + 1 < blocks.length ? starts[i + 1]! : 0;
    msg[w + 2] = next & 0xff;
    msg[w + 3] = next >> 8;
  }
  return msg;
}

export const SMB1 = {
  CLOSE: 0x04,
  READ: 0x0a,
  WRITE: 0x0b,
  LOCKING_ANDX: 0x24,
  READ_ANDX: 0x2e,
  WRITE_ANDX: 0x2f,
  TREE_CONNECT_ANDX: 0x75,
  NT_CREATE_ANDX: 0xa2,
};

/** NT_CREATE_ANDX request words (24) and bytes: pad byte, then the UTF-16 name with its NUL. */
export function ntCreateRequest(name: string): Smb1Block {
  const n = utf16(`${name}\0`);
  const words = new Le(48).u8(0, 0xff).u16(5, n.length).u32(15, 0x0012019f).u32(31, 3).u32(35, 1).b;
  // Bytes start at 32 + 1 + 48 + 2 = 83 (odd): one pad byte aligns the name.
  return { words, bytes: concat(Uint8Array.of(0), n) };
}

/** NT_CREATE_ANDX response words (34): FID and resource type (0 disk, 2 message pipe). */
export function ntCreateResponse(fid: number, resourceType = 0, endOfFile = 0): Smb1Block {
  return {
    words: new Le(68).u8(0, 0xff).u16(5, fid).u32(7, 1).u64(55, endOfFile).u16(63, resourceType).b,
    bytes: new Uint8Array(0),
  };
}

/**
 * WRITE_ANDX request (14 words). Data is placed `pad` bytes after the block's
 * ByteCount, or at `dataOffset` when given (the caller then puts it there).
 */
export function writeAndX(
  fid: number,
  offset: number,
  data: Uint8Array,
  o: { pad?: number; dataOffset?: number; at?: number } = {},
): Smb1Block {
  const pad = o.pad ?? 1;
  const blockAt = o.at ?? 32;
  const dataAt = o.dataOffset ?? blockAt + 1 + 28 + 2 + pad;
  const words = new Le(28)
    .u8(0, 0xff)
    .u16(4, fid)
    .u32(6, offset % 2 ** 32)
    .u16(18, data.length >>> 16) // DataLengthHigh
    .u16(20, data.length & 0xffff)
    .u16(22, dataAt);
  words.u32(24, Math.floor(offset / 2 ** 32));
  const bytes = o.dataOffset === undefined ? concat(new Uint8Array(pad), data) : new Uint8Array(0);
  return { words: words.b, bytes };
}

export function readAndXRequest(fid: number, offset: number, count: number): Smb1Block {
  return {
    words: new Le(24).u8(0, 0xff).u16(4, fid).u32(6, offset).u16(10, count).u16(12, count).b,
    bytes: new Uint8Array(0),
  };
}

/** READ_ANDX response (12 words) with its data right after one pad byte. */
export function readAndXResponse(data: Uint8Array): Smb1Block {
  const dataAt = 32 + 1 + 24 + 2 + 1;
  return {
    words: new Le(24).u8(0, 0xff).u16(4, 0xffff).u16(10, data.length).u16(12, dataAt).b,
    bytes: concat(Uint8Array.of(0), data),
  };
}

export function closeRequest(fid: number): Smb1Block {
  return { words: new Le(6).u16(0, fid).u32(2, 0xffffffff).b, bytes: new Uint8Array(0) };
}

export const emptyBlock: Smb1Block = { words: new Uint8Array(0), bytes: new Uint8Array(0) };

/** TREE_CONNECT_ANDX request: one password byte, then (2-aligned) the UTF-16 path, then the service. */
export function treeConnectRequest(path: string): Smb1Block {
  // Bytes start at 32 + 1 + 8 + 2 = 43; password 1 byte → 44, already even.
  const bytes = concat(Uint8Array.of(0), utf16(`${path}\0`), ascii('?????\0'));
  return { words: new Le(8).u8(0, 0xff).u16(6, 1).b, bytes };
}

export function treeConnectResponse(service: string): Smb1Block {
  return { words: new Le(6).u8(0, 0xff).u16(4, 1).b, bytes: ascii(`${service}\0NTFS\0`) };
}

// ---------------------------------------------------------------- SMB2

export interface Smb2Header {
  cmd: number;
  response?: boolean;
  status?: number;
  msgId: number;
  treeId?: number;
  async?: boolean;
  related?: boolean;
}

export const SMB2 = { TREE_CONNECT: 3, CREATE: 5, CLOSE: 6, READ: 8, WRITE: 9 };

export function smb2Header(h: Smb2Header): Le {
  const w = new Le(64)
    .set(0, Uint8Array.of(0xfe, 0x53, 0x4d, 0x42))
    .u16(4, 64)
    .u16(6, 1);
  w.u32(8, h.status ?? 0)
    .u16(12, h.cmd)
    .u16(14, 1);
  w.u32(16, (h.response ? 1 : 0) | (h.async ? 2 : 0) | (h.related ? 4 : 0));
  w.u64(24, h.msgId);
  if (h.async) w.u64(32, 0x99);
  else w.u32(36, h.treeId ?? 5);
  return w.u64(40, 0x1234);
}

/** One command: header + body; `body(at)` gets the header-relative offset where the body starts (64). */
export function smb2(h: Smb2Header, body: Uint8Array): Uint8Array {
  return concat(smb2Header(h).b, body);
}

/** Compounds commands: each NextCommand points at the following one (8-aligned). */
export function compound(...cmds: Uint8Array[]): Uint8Array {
  const padded = cmds.map((c, i) => {
    if (i === cmds.length - 1) return c;
    const len = (c.length + 7) & ~7;
    const out = new Uint8Array(len);
    out.set(c);
    out[20] = len & 0xff;
    out[21] = (len >> 8) & 0xff;
    out[22] = (len >> 16) & 0xff;
    return out;
  });
  return concat(...padded);
}

export function fileId(n: number): Uint8Array {
  return new Le(16).u64(0, n).u64(8, n * 7 + 3).b;
}
export const FILE_ID_CHAIN = new Uint8Array(16).fill(0xff);

export function treeConnect2Request(path: string): Uint8Array {
  const p = utf16(path);
  return concat(
    new Le(8)
      .u16(0, 9)
      .u16(4, 64 + 8)
      .u16(6, p.length).b,
    p,
  );
}

export function treeConnect2Response(shareType: number): Uint8Array {
  return new Le(16).u16(0, 16).u8(2, shareType).u32(12, 0x1f01ff).b;
}

export function create2Request(name: string): Uint8Array {
  const n = utf16(name);
  return concat(
    new Le(56)
      .u16(0, 57)
      .u32(24, 0x0012019f)
      .u32(36, 1)
      .u16(44, 64 + 56)
      .u16(46, n.length).b,
    n,
  );
}

export function create2Response(id: Uint8Array, endOfFile = 0): Uint8Array {
  return new Le(88).u16(0, 89).u32(4, 1).u64(40, endOfFile).u64(48, endOfFile).set(64, id).b;
}

export function write2Request(id: Uint8Array, offset: number, data: Uint8Array, pad = 0): Uint8Array {
  const w = new Le(48)
    .u16(0, 49)
    .u16(2, 64 + 48 + pad)
    .u32(4, data.length)
    .u64(8, offset)
    .set(16, id);
  return concat(w.b, new Uint8Array(pad), data);
}

export function read2Request(id: Uint8Array, offset: number, length: number): Uint8Array {
  return concat(new Le(48).u16(0, 49).u32(4, length).u64(8, offset).set(16, id).b, Uint8Array.of(0));
}

export function read2Response(data: Uint8Array): Uint8Array {
  return concat(
    new Le(16)
      .u16(0, 17)
      .u8(2, 64 + 16)
      .u32(4, data.length).b,
    data,
  );
}

export function close2Request(id: Uint8Array): Uint8Array {
  return new Le(24).u16(0, 24).set(8, id).b;
}

export function close2Response(): Uint8Array {
  return new Le(60).u16(0, 60).b;
}

/** SMB2 ERROR response body (StructureSize 9). */
export function error2(): Uint8Array {
  return new Le(9).u16(0, 9).b;
}

export const EICAR = ascii('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
