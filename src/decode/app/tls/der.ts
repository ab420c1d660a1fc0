/**
 * A minimal DER reader: one tag-length-value at a time, never recursing, with
 * every length checked against the enclosing element. Only what X.509 leaf
 * facts need: single-byte tags and definite lengths of up to 4 bytes (DER
 * forbids the indefinite form, and certificates are far below 4 GiB).
 */

/** Typed as plain numbers so checks on a reused Tlv are not narrowed away. */
export const Tag: Readonly<
  Record<
    'INTEGER' | 'OID' | 'UTF8_STRING' | 'SEQUENCE' | 'SET' | 'UTC_TIME' | 'GENERALIZED_TIME' | 'CONTEXT_0',
    number
  >
> = {
  INTEGER: 0x02,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  /** [0] EXPLICIT, constructed: the certificate version wrapper. */
  CONTEXT_0: 0xa0,
};

/** One element; reused by the caller to avoid allocation. */
export interface Tlv {
  tag: number;
  /** First content byte. */
  start: number;
  /** One past the last content byte (also where the next sibling starts). */
  end: number;
}

export function newTlv(): Tlv {
  return { tag: 0, start: 0, end: 0 };
}

/**
 * Reads the element at `pos`, which must end by `limit`, into `out`.
 * Returns false when it is malformed or does not fit.
 *
 * @example
 * const t = newTlv();
 * if (readTlv(der, 0, der.length, t) && t.tag === Tag.SEQUENCE) { ... der.subarray(t.start, t.end) ... }
 */
export function readTlv(b: Uint8Array, pos: number, limit: number, out: Tlv): boolean {
  if (pos + 2 > limit) return false;
  const tag = b[pos]!;
  // High tag numbers (low five bits all set) never occur in the parts we read.
  if ((tag & 0x1f) === 0x1f) return false;
  let p = pos + 1;
  let len = b[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  if (p + len > limit) return false;
  out.tag = tag;
  out.start = p;
  out.end = p + len;
  return true;
}
