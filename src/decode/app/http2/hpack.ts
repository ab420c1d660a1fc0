/**
 * HPACK header-block decoder (RFC 7541) for one direction of an HTTP/2
 * connection: static table, a bounded dynamic table with size updates, and
 * Huffman-coded literals.
 *
 * A passive observer must decode every block the peer sends, even for streams
 * it ignores, or its dynamic table drifts from the real decoder's. So limits
 * never skip a field: beyond the header-list budget fields are still decoded
 * (and indexed) but not returned.
 *
 * Decoded names and values are fresh copies or shared table entries: treat
 * them as read-only.
 */
import { huffmanDecode, huffmanDecodedBound } from './huffman.js';
import { STATIC_COUNT, STATIC_NAMES, STATIC_VALUES } from './static-table.js';

/** The protocol's initial dynamic table size (SETTINGS_HEADER_TABLE_SIZE default). */
export const DEFAULT_TABLE_SIZE = 4096;
/** Hard cap on the dynamic table whatever the peers announce (64 KiB, as Suricata's default). */
export const DEFAULT_MAX_TABLE_SIZE = 65536;
/** Default bound on the bytes (RFC 7541 size: name + value + 32 per field) returned per block. */
export const DEFAULT_MAX_HEADER_LIST = 65536;

/** Why decoding a block failed or was cut; stable strings used in problem codes. */
export type HpackError =
  | 'truncated'
  | 'integer-overflow'
  | 'bad-index'
  | 'bad-huffman'
  | 'size-update-too-large'
  | 'header-list-too-large';

export type HeaderField = [Uint8Array, Uint8Array];

export interface HpackDecoderOptions {
  /** Initial dynamic table size (default 4096, the protocol's; capped by maxTableSize). */
  tableSize?: number;
  /** Hard cap on the dynamic table size in bytes (default 64 KiB). */
  maxTableSize?: number;
  /** Bytes of fields (name + value + 32 each) returned per block (default 64 KiB). */
  maxHeaderListSize?: number;
}

export interface HpackDecoder {
  /**
   * Decodes one complete header block `block[start..end)`, appending fields
   * to `out` in order. Returns undefined when all went well; on an error the
   * fields before it are kept. A list over budget or a too-large size update
   * is reported but decoding goes on (the table stays in step).
   */
  decodeBlock(block: Uint8Array, start: number, end: number, out: HeaderField[]): HpackError | undefined;
  /** The decoding side announced SETTINGS_HEADER_TABLE_SIZE = n: the most the encoder may use (our cap still applies). */
  setAllowedTableSize(n: number): void;
  /** Current dynamic table size in bytes (RFC accounting) and its maximum. */
  readonly size: number;
  readonly maxSize: number;
  /** Number of dynamic entries. */
  readonly length: number;
  /** Dynamic entry `i` (0 = newest, HPACK index 62), for tests and diagnostics. */
  entry(i: number): HeaderField | undefined;
}

const ENTRY_OVERHEAD = 32;
/** Integers past this are attacker nonsense (no field or table is that large). */
const MAX_INTEGER = 1 << 28;
const EMPTY = new Uint8Array(0);
const NO_FIELDS: HeaderField[] = [];

/**
 * A decoder whose dynamic table starts at 4096 bytes, as the protocol says.
 *
 * @example
 * const d = createHpackDecoder();
 * const fields: HeaderField[] = [];
 * d.decodeBlock(Uint8Array.of(0x82), 0, 1, fields); // [[':method', 'GET']] as bytes
 */
export function createHpackDecoder(opts: HpackDecoderOptions = {}): HpackDecoder {
  const hardCap = Math.max(0, opts.maxTableSize ?? DEFAULT_MAX_TABLE_SIZE);
  const listBudget = Math.max(0, opts.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST);
  // Every entry costs at least 32 bytes, so this many slots always suffice.
  const slots = Math.floor(hardCap / ENTRY_OVERHEAD) + 1;
  const names: Uint8Array[] = new Array(slots);
  const values: Uint8Array[] = new Array(slots);
  let newest = -1;
  let count = 0;
  let size = 0;
  let maxSize = Math.min(opts.tableSize ?? DEFAULT_TABLE_SIZE, hardCap);
  let allowed = maxSize;
  let scratch = new Uint8Array(256);

  // Reading position within the current block, shared by the helpers below.
  let src: Uint8Array = EMPTY;
  let pos = 0;
  let end = 0;

  function evictTo(limit: number): void {
    while (size > limit && count > 0) {
      const oldest = (newest - count + 1 + slots) % slots;
      size -= names[oldest]!.length + values[oldest]!.length + ENTRY_OVERHEAD;
      names[oldest] = EMPTY;
      values[oldest] = EMPTY;
      count--;
    }
  }

  function add(name: Uint8Array, value: Uint8Array): void {
    const entrySize = name.length + value.length + ENTRY_OVERHEAD;
    if (entrySize > maxSize) {
      // RFC 7541 §4.4: an entry larger than the table empties it and is not added.
      evictTo(0);
      return;
    }
    evictTo(maxSize - entrySize);
    newest = (newest + 1) % slots;
    names[newest] = name;
    values[newest] = value;
    count++;
    size += entrySize;
  }

  /** Reads an integer with an N-bit prefix; -1 truncated, -2 overflow. */
  function readInt(prefixBits: number): number {
    if (pos >= end) return -1;
    const mask = (1 << prefixBits) - 1;
    let value = src[pos++]! & mask;
    if (value < mask) return value;
    let factor = 1;
    for (;;) {
      if (pos >= end) return -1;
      const b = src[pos++]!;
      value += (b & 0x7f) * factor;
      if (value > MAX_INTEGER) return -2;
      if ((b & 0x80) === 0) return value;
      factor *= 128;
    }
  }

  let stringError: HpackError | undefined;
  /** Reads a string literal; undefined on error (stringError says which). */
  function readString(): Uint8Array | undefined {
    if (pos >= end) {
      stringError = 'truncated';
      return undefined;
    }
    const huffman = (src[pos]! & 0x80) !== 0;
    const len = readInt(7);
    if (len < 0) {
      stringError = len === -1 ? 'truncated' : 'integer-overflow';
      return undefined;
    }
    if (len > end - pos) {
      stringError = 'truncated';
      return undefined;
    }
    const from = pos;
    pos += len;
    if (!huffman) return src.slice(from, from + len);
    const bound = huffmanDecodedBound(len);
    if (scratch.length < bound) scratch = new Uint8Array(Math.max(bound, scratch.length * 2));
    const n = huffmanDecode(src, from, from + len, scratch);
    if (typeof n !== 'number') {
      stringError = 'bad-huffman';
      return undefined;
    }
    return scratch.slice(0, n);
  }

  /** Name or whole field at HPACK index `i` (1-based); undefined when out of range. */
  function nameAt(i: number): Uint8Array | undefined {
    if (i >= 1 && i <= STATIC_COUNT) return STATIC_NAMES[i - 1];
    const d = i - STATIC_COUNT - 1;
    if (d < 0 || d >= count) return undefined;
    return names[(newest - d + slots) % slots];
  }
  function valueAt(i: number): Uint8Array {
    if (i <= STATIC_COUNT) return STATIC_VALUES[i - 1]!;
    return values[(newest - (i - STATIC_COUNT - 1) + slots) % slots]!;
  }

  // Per-block state of emit(), kept here so a block costs no closure.
  let used = 0;
  let soft: HpackError | undefined;
  let sink: HeaderField[] = NO_FIELDS;
  function emit(name: Uint8Array, value: Uint8Array): void {
    used += name.length + value.length + ENTRY_OVERHEAD;
    if (used > listBudget) soft = 'header-list-too-large';
    else sink.push([name, value]);
  }

  return {
    decodeBlock(block, start, stop, out) {
      src = block;
      pos = start;
      end = stop;
      used = 0;
      soft = undefined;
      sink = out;
      try {
        while (pos < end) {
          const b = src[pos]!;
          if (b & 0x80) {
            // Indexed field.
            const i = readInt(7);
            if (i < 0) return i === -1 ? 'truncated' : 'integer-overflow';
            const name = i === 0 ? undefined : nameAt(i);
            if (name === undefined) return 'bad-index';
            emit(name, valueAt(i));
          } else if ((b & 0xe0) === 0x20) {
            // Dynamic table size update.
            const n = readInt(5);
            if (n < 0) return n === -1 ? 'truncated' : 'integer-overflow';
            if (n > allowed) soft = 'size-update-too-large';
            maxSize = Math.min(n, hardCap);
            evictTo(maxSize);
          } else {
            // Literal: with incremental indexing (01), without (0000) or never indexed (0001).
            const indexing = (b & 0xc0) === 0x40;
            const i = readInt(indexing ? 6 : 4);
            if (i < 0) return i === -1 ? 'truncated' : 'integer-overflow';
            let name: Uint8Array | undefined;
            if (i === 0) {
              name = readString();
              if (name === undefined) return stringError;
            } else {
              name = nameAt(i);
              if (name === undefined) return 'bad-index';
            }
            const value = readString();
            if (value === undefined) return stringError;
            if (indexing) add(name, value);
            emit(name, value);
          }
        }
        return soft;
      } finally {
        src = EMPTY;
        sink = NO_FIELDS;
      }
    },
    setAllowedTableSize(n) {
      // Kept as announced: an update within it is legal even when our cap clamps it.
      allowed = Math.max(0, n);
    },
    get size() {
      return size;
    },
    get maxSize() {
      return maxSize;
    },
    get length() {
      return count;
    },
    entry(i) {
      if (i < 0 || i >= count) return undefined;
      const s = (newest - i + slots) % slots;
      return [names[s]!, values[s]!];
    },
  };
}
