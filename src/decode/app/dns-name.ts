/**
 * DNS name decoding (RFC 1035 section 4.1.4) the way Suricata renders names
 * for `dns.query`: labels copied as raw bytes (non-printable bytes stay bytes)
 * and joined with `.`, no trailing dot, the root name as an empty buffer.
 *
 * Hostile input is bounded like Suricata bounds it: at most 255 labels and
 * pointers per name (a pointer loop ends there), rendered names cut at 1025
 * bytes. A cut name after a pointer is still usable (we know where the record
 * continues); without a pointer, too many labels is an error.
 */

/** Longest rendered name kept; longer names are cut and flagged. */
export const MAX_NAME_BYTES = 1025;
/** Labels plus pointers followed per name before giving up. */
export const MAX_NAME_STEPS = 255;

export const NAME_TRUNCATED = 1;
export const NAME_LOOP = 2;
export const NAME_LABEL_LIMIT = 4;

/** Result of one readName call; one object reused, copy what you keep. */
export interface NameRead {
  /** Rendered bytes are scratch[0..length). */
  length: number;
  /** Offset just after the name in the record being read (after the first pointer if one was followed). */
  next: number;
  /** NAME_* bits. */
  flags: number;
  /** Non-empty when the name is malformed; `errorOffset` says where. */
  error: string;
  errorOffset: number;
}

/** Room for the longest name plus one more label, so we never grow it. */
const scratch = new Uint8Array(MAX_NAME_BYTES + 1 + 64);
const result: NameRead = { length: 0, next: 0, flags: 0, error: '', errorOffset: 0 };

function fail(msg: string, at: number): NameRead {
  result.error = msg;
  result.errorOffset = at;
  return result;
}

/**
 * Reads the name starting at `pos` of the whole message `msg`. The rendered
 * bytes are in `nameScratch()` up to `length`; they are overwritten by the
 * next call.
 *
 * @example
 * const r = readName(msg, 12); // msg holds 03 'www' 07 'example' 03 'com' 00 at 12
 * r.error === '' && latin1(nameScratch().subarray(0, r.length)) === 'www.example.com'
 */
export function readName(msg: Uint8Array, pos: number): NameRead {
  result.length = 0;
  result.flags = 0;
  result.error = '';
  result.errorOffset = 0;
  let p = pos;
  let pivot = -1;
  let steps = 0;
  let n = 0;
  let truncated = false;
  const end = msg.length;
  for (;;) {
    if (p >= end) break;
    const len = msg[p]!;
    if (len === 0) {
      p++;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0) {
      if (p + 1 + len > end) return fail('label runs past the end of the message', p);
      if (!truncated) {
        if (n > 0) scratch[n++] = 0x2e;
        scratch.set(msg.subarray(p + 1, p + 1 + len), n);
        n += len;
      }
      p += 1 + len;
    } else if (kind === 0xc0) {
      if (p + 2 > end) return fail('compression pointer cut by the end of the message', p);
      const target = ((len & 0x3f) << 8) | msg[p + 1]!;
      if (target > end) return fail('compression pointer beyond the message', p);
      if (target === p) {
        result.flags |= NAME_LOOP;
        if (pivot >= 0) break;
        return fail('compression pointer points at itself', p);
      }
      if (pivot < 0) pivot = p + 2;
      p = target;
    } else {
      return fail(`reserved label type 0x${kind.toString(16)}`, p);
    }
    if (++steps > MAX_NAME_STEPS) {
      result.flags |= NAME_LABEL_LIMIT;
      if (pivot >= 0) {
        result.flags |= NAME_TRUNCATED;
        break;
      }
      return fail(`more than ${MAX_NAME_STEPS} labels in one name`, p);
    }
    if (n > MAX_NAME_BYTES) {
      n = MAX_NAME_BYTES;
      truncated = true;
      result.flags |= NAME_TRUNCATED;
      if (pivot >= 0) break;
    }
  }
  result.length = n;
  result.next = pivot >= 0 ? pivot : p;
  return result;
}

/** The buffer readName renders into (valid until the next readName). */
export function nameScratch(): Uint8Array {
  return scratch;
}

/** A copy of the last name read, for keeping. */
export function copyName(r: NameRead): Uint8Array {
  return scratch.slice(0, r.length);
}
