/**
 * Payload inspection of one buffer with Suricata's semantics: the matches of
 * one buffer run in rule order, each relative match is placed after the end
 * of the previous one, and when a later relative match fails the earlier
 * content or pcre is retried at its next occurrence (bounded by a budget, as
 * Suricata bounds its inspection recursion).
 *
 * Windows: an absolute content searches [offset, offset + depth); a relative
 * one searches [prev + distance, prev + distance + within). `startswith` pins
 * the match to the window start, `endswith` to the buffer end.
 */
import type {
  ByteExtractMatch,
  ByteJumpMatch,
  ByteMathMatch,
  ByteTestMatch,
  ContentMatch,
  Endian,
  IsDataAtMatch,
  NumberString,
  NumOrVar,
  PayloadMatch,
  PcreMatch,
} from '../ast.js';
import type { MatchSpan } from './alert.js';
import { testNumber } from './numbers.js';

/** Runs one compiled regex from `from`; 'bounded' when it ran out of its time budget. */
export type RegexExec = (
  m: PcreMatch,
  subject: string,
  from: number,
) => { start: number; end: number } | null | 'bounded';

/** Per-rule evaluation state shared by every buffer of the rule. */
export interface InspectContext {
  /** byte_extract / byte_math results by name. */
  vars: Map<string, number>;
  /** Spans of positive matches, collected when the rule matches. */
  spans: MatchSpan[];
  /** Retries left before the inspection gives up (Suricata's recursion limit). */
  budget: number;
  regex: RegexExec;
  /** Regex runs that hit their bound. */
  bounded: number;
  /** Output of the last base64_decode, for base64_data. */
  base64?: Uint8Array;
}

/** Suricata's default inspection recursion limit. */
export const INSPECT_BUDGET = 3000;

/** One buffer's matches, precompiled. */
export interface BufferList {
  /** The buffer name as the rule gives it ('pkt', 'http.uri' ...). */
  buffer: string;
  /** Transforms to apply, as the AST lists them. */
  transforms: PayloadMatch['transforms'];
  matches: PayloadMatch[];
  /** relNext[i]: match i+1 is relative to match i (so i may be retried). */
  relNext: boolean[];
  /** Lower-cased pattern per nocase content (same index as matches). */
  folded: Array<Uint8Array | undefined>;
  /** True when the list needs a Latin-1 string of the buffer (it has a pcre). */
  needsString: boolean;
}

export function compileList(buffer: string, matches: PayloadMatch[]): BufferList {
  const relNext: boolean[] = [];
  const folded: Array<Uint8Array | undefined> = [];
  let needsString = false;
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const next = matches[i + 1];
    relNext.push(next !== undefined && isRelative(next));
    folded.push(m.kind === 'content' && m.nocase ? lower(m.bytes) : undefined);
    if (m.kind === 'pcre') needsString = true;
  }
  return { buffer, transforms: matches[0]?.transforms ?? [], matches, relNext, folded, needsString };
}

function isRelative(m: PayloadMatch): boolean {
  switch (m.kind) {
    case 'content':
      return m.distance !== undefined || m.within !== undefined;
    case 'pcre':
    case 'byte_test':
    case 'byte_jump':
    case 'byte_extract':
    case 'byte_math':
    case 'isdataat':
    case 'base64_decode':
      return m.relative;
    default:
      return false;
  }
}

/** Inspects `buf` with the list; true when every match holds. */
export function inspectBuffer(list: BufferList, buf: Uint8Array, ctx: InspectContext): boolean {
  const run = new Run(list, buf, ctx);
  return run.step(0, 0);
}

const LOWER = new Uint8Array(256);
for (let i = 0; i < 256; i++) LOWER[i] = i >= 65 && i <= 90 ? i + 32 : i;

function lower(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = LOWER[b[i]!]!;
  return out;
}

class Run {
  private lowered: Uint8Array | undefined;
  private str: string | undefined;
  private readonly nb: Buffer;

  constructor(
    private readonly list: BufferList,
    private readonly buf: Uint8Array,
    private readonly ctx: InspectContext,
  ) {
    this.nb = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Evaluates matches[i..] with the previous match ending at `prev`. */
  step(i: number, prev: number): boolean {
    const list = this.list;
    if (i >= list.matches.length) return true;
    if (this.ctx.budget-- <= 0) return false;
    const m = list.matches[i]!;
    switch (m.kind) {
      case 'content':
        return this.content(i, m, prev);
      case 'pcre':
        return this.pcre(i, m, prev);
      case 'bsize':
        return testNumber(m.test, this.buf.length) && this.step(i + 1, prev);
      case 'isdataat':
        return this.isdataat(m, prev) && this.step(i + 1, prev);
      case 'byte_test':
        return this.byteTest(m, prev) && this.step(i + 1, prev);
      case 'byte_jump': {
        const at = this.byteJump(m, prev);
        return at >= 0 && this.step(i + 1, at);
      }
      case 'byte_extract': {
        const at = this.byteExtract(m, prev);
        return at >= 0 && this.step(i + 1, at);
      }
      case 'byte_math': {
        const at = this.byteMath(m, prev);
        return at >= 0 && this.step(i + 1, at);
      }
      case 'base64_decode':
        this.ctx.base64 = decodeBase64Part(this.buf, (m.relative ? prev : 0) + m.offset, m.bytes);
        return this.step(i + 1, prev);
      default:
        return false;
    }
  }

  private num(v: NumOrVar | undefined): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    return this.ctx.vars.get(v.var);
  }

  private content(i: number, m: ContentMatch, prev: number): boolean {
    const len = this.buf.length;
    const plen = m.bytes.length;
    let start: number;
    let end: number;
    const distance = this.num(m.distance);
    const within = this.num(m.within);
    if (
      (m.distance !== undefined && distance === undefined) ||
      (m.within !== undefined && within === undefined)
    )
      return false;
    if (m.distance !== undefined || m.within !== undefined) {
      start = prev + (distance ?? 0);
      if (start < 0) start = 0;
      end = within !== undefined ? prev + (distance ?? 0) + within : len;
      const depth = this.num(m.depth);
      if (depth !== undefined && prev + depth < end) end = prev + depth;
      const offset = this.num(m.offset);
      if (offset !== undefined && prev + offset > start) start = prev + offset;
    } else {
      const offset = this.num(m.offset);
      const depth = this.num(m.depth);
      if ((m.offset !== undefined && offset === undefined) || (m.depth !== undefined && depth === undefined))
        return false;
      start = offset ?? 0;
      end = depth !== undefined ? start + depth : len;
    }
    if (m.startswith) end = Math.min(end, start + plen);
    if (end > len) end = len;
    if (m.endswith) start = Math.max(start, len - plen);
    if (m.negated) {
      const found = end - start >= plen && this.find(i, m, start, end) >= 0;
      return !found && this.step(i + 1, prev);
    }
    let from = start;
    while (end - from >= plen) {
      const at = this.find(i, m, from, end);
      if (at < 0) return false;
      if (m.endswith && at + plen !== len) return false;
      const spans = this.ctx.spans.length;
      if (this.step(i + 1, at + plen)) {
        this.ctx.spans.push({ buffer: this.list.buffer, start: at, end: at + plen });
        return true;
      }
      this.ctx.spans.length = spans;
      if (!this.list.relNext[i] || this.ctx.budget <= 0) return false;
      from = at + 1;
    }
    return false;
  }

  /** First occurrence of the pattern starting in [from, end - plen]. */
  private find(i: number, m: ContentMatch, from: number, end: number): number {
    const plen = m.bytes.length;
    if (plen === 0) return from <= end ? from : -1;
    let hay: Buffer;
    let pat: Uint8Array;
    const folded = this.list.folded[i];
    if (folded !== undefined) {
      if (this.lowered === undefined) this.lowered = lower(this.buf);
      hay = Buffer.from(this.lowered.buffer, this.lowered.byteOffset, this.lowered.byteLength);
      pat = folded;
    } else {
      hay = this.nb;
      pat = m.bytes;
    }
    const at = hay.indexOf(pat, from);
    return at >= 0 && at + plen <= end ? at : -1;
  }

  private subject(): string {
    if (this.str === undefined) this.str = this.nb.toString('latin1');
    return this.str;
  }

  private pcre(i: number, m: PcreMatch, prev: number): boolean {
    const s = this.subject();
    let from = m.relative ? prev : 0;
    if (from > s.length) return m.negated && this.step(i + 1, prev);
    for (;;) {
      const r = this.ctx.regex(m, s, from);
      if (r === 'bounded') {
        this.ctx.bounded++;
        return false;
      }
      if (m.negated) return r === null && this.step(i + 1, prev);
      if (r === null) return false;
      const spans = this.ctx.spans.length;
      if (this.step(i + 1, r.end)) {
        this.ctx.spans.push({ buffer: this.list.buffer, start: r.start, end: r.end });
        return true;
      }
      this.ctx.spans.length = spans;
      if (!this.list.relNext[i] || this.ctx.budget-- <= 0 || r.start + 1 > s.length) return false;
      from = r.start + 1;
    }
  }

  private isdataat(m: IsDataAtMatch, prev: number): boolean {
    const n = this.num(m.offset);
    if (n === undefined) return false;
    // Relative: at least n more bytes after the previous match; absolute: a byte at offset n.
    const has = m.relative ? prev + n <= this.buf.length : n < this.buf.length;
    return m.negated ? !has : has;
  }

  private read(at: number, bytes: number, endian: Endian, str: NumberString | undefined): number | undefined {
    const buf = this.buf;
    // 0 bytes with a string conversion reads the digits up to the end of the buffer.
    if (bytes === 0 && str !== undefined) bytes = buf.length - at;
    if (at < 0 || bytes <= 0 || at + bytes > buf.length) return undefined;
    if (str !== undefined) {
      const base = str === 'hex' ? 16 : str === 'oct' ? 8 : 10;
      let v = 0;
      let digits = 0;
      for (let k = at; k < at + bytes; k++) {
        const d = digitValue(buf[k]!, base);
        if (d < 0) break;
        v = v * base + d;
        digits++;
      }
      return digits === 0 ? undefined : v;
    }
    let v = 0;
    if (endian === 'big') for (let k = 0; k < bytes; k++) v = v * 256 + buf[at + k]!;
    else for (let k = bytes - 1; k >= 0; k--) v = v * 256 + buf[at + k]!;
    return v;
  }

  private byteTest(m: ByteTestMatch, prev: number): boolean {
    const off = this.num(m.offset);
    const want = this.num(m.value);
    if (off === undefined || want === undefined) return false;
    let v = this.read((m.relative ? prev : 0) + off, m.bytes, m.endian, m.string);
    if (v === undefined) return false;
    if (m.bitmask !== undefined) v = applyMask(v, m.bitmask);
    let ok: boolean;
    switch (m.operator) {
      case '<':
        ok = v < want;
        break;
      case '>':
        ok = v > want;
        break;
      case '=':
        ok = v === want;
        break;
      case '!':
        ok = v !== want;
        break;
      case '&':
        ok = Number(BigInt(v) & BigInt(want)) !== 0;
        break;
      case '^':
        ok = Number(BigInt(v) ^ BigInt(want)) !== 0;
        break;
      case '<=':
        ok = v <= want;
        break;
      case '>=':
        ok = v >= want;
        break;
    }
    return m.negated ? !ok : ok;
  }

  /** New position after the jump, -1 when it fails. */
  private byteJump(m: ByteJumpMatch, prev: number): number {
    const off = this.num(m.offset);
    if (off === undefined) return -1;
    const at = (m.relative ? prev : 0) + off;
    const nbytes = m.bytesVar !== undefined ? this.ctx.vars.get(m.bytesVar) : m.bytes;
    if (nbytes === undefined) return -1;
    // A byte count of 0 taken from a variable reads nothing: the jump is by 0.
    let v = nbytes === 0 && m.bytesVar !== undefined ? 0 : this.read(at, nbytes, m.endian, m.string);
    if (v === undefined) return -1;
    if (m.bitmask !== undefined) v = applyMask(v, m.bitmask);
    v *= m.multiplier;
    if (m.align && v % 4 !== 0) v += 4 - (v % 4);
    let pos: number;
    if (m.fromBeginning) pos = v;
    else if (m.fromEnd) pos = this.buf.length + v;
    else pos = at + nbytes + v;
    pos += m.postOffset;
    return pos < 0 || pos > this.buf.length ? -1 : pos;
  }

  private byteExtract(m: ByteExtractMatch, prev: number): number {
    const at = (m.relative ? prev : 0) + m.offset;
    let v = this.read(at, m.bytes, m.endian, m.string);
    if (v === undefined) return -1;
    v *= m.multiplier;
    if (m.align > 1 && v % m.align !== 0) v += m.align - (v % m.align);
    this.ctx.vars.set(m.name, v);
    return at + m.bytes;
  }

  private byteMath(m: ByteMathMatch, prev: number): number {
    const off = this.num(m.offset);
    const rv = this.num(m.rvalue);
    if (off === undefined || rv === undefined) return -1;
    const at = (m.relative ? prev : 0) + off;
    const nbytes = m.bytesVar !== undefined ? this.ctx.vars.get(m.bytesVar) : m.bytes;
    if (nbytes === undefined) return -1;
    let v = this.read(at, nbytes, m.endian, m.string);
    if (v === undefined) return -1;
    if (m.bitmask !== undefined) v = applyMask(v, m.bitmask);
    let r: number;
    switch (m.operator) {
      case '+':
        r = v + rv;
        break;
      case '-':
        r = v - rv;
        break;
      case '*':
        r = v * rv;
        break;
      case '/':
        if (rv === 0) return -1;
        r = Math.floor(v / rv);
        break;
      case '<<':
        r = Number((BigInt(v) << BigInt(rv)) & 0xffffffffn);
        break;
      case '>>':
        r = Number(BigInt(v) >> BigInt(rv));
        break;
    }
    this.ctx.vars.set(m.result, r >>> 0 === r ? r : r >>> 0);
    return prev;
  }
}

function digitValue(c: number, base: number): number {
  let d: number;
  if (c >= 48 && c <= 57) d = c - 48;
  else if (c >= 97 && c <= 102) d = c - 87;
  else if (c >= 65 && c <= 70) d = c - 55;
  else return -1;
  return d < base ? d : -1;
}

/** Applies a byte_* bitmask and shifts right by the mask's trailing zero bits. */
function applyMask(v: number, mask: number): number {
  let r = BigInt(v) & BigInt(mask);
  let mk = BigInt(mask);
  if (mk === 0n) return 0;
  while ((mk & 1n) === 0n) {
    mk >>= 1n;
    r >>= 1n;
  }
  return Number(r);
}

/** Decodes base64 from `at` (up to `bytes` input bytes), skipping invalid characters, bounded. */
function decodeBase64Part(buf: Uint8Array, at: number, bytes: number | undefined): Uint8Array {
  if (at < 0 || at >= buf.length) return new Uint8Array(0);
  const end = bytes === undefined ? buf.length : Math.min(buf.length, at + bytes);
  const text = Buffer.from(buf.buffer, buf.byteOffset + at, end - at).toString('latin1');
  const clean = text.replace(/[^A-Za-z0-9+/=]/g, '');
  return new Uint8Array(Buffer.from(clean, 'base64'));
}
