/**
 * Matched bytes shown inert: an excerpt of the buffer around the span, with
 * every byte outside printable ASCII (and the backslash) written as `\xNN`,
 * so attacker data can neither run nor move a terminal's cursor, and the
 * span's position given in the excerpt's own characters.
 */

/** Bytes of context kept on each side of a span. */
export const EXCERPT_CONTEXT = 40;
/** Bytes of a long span shown before it is cut with "…". */
export const EXCERPT_MAX_SPAN = 120;

const HEX = '0123456789abcdef';

/** One byte as shown: printable ASCII as itself, everything else (and `\`) as `\xNN`. */
function shown(b: number): string {
  if (b >= 0x20 && b <= 0x7e && b !== 0x5c) return String.fromCharCode(b);
  return `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
}

function escapeRange(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += shown(bytes[i]!);
  return s;
}

/**
 * Escapes any bytes for display, bounded.
 *
 * @example escapeBytes(Buffer.from('a\n"b')) // 'a\\x0a"b'
 */
export function escapeBytes(bytes: Uint8Array, max = EXCERPT_MAX_SPAN): string {
  const cut = bytes.length > max;
  return escapeRange(bytes, 0, cut ? max : bytes.length) + (cut ? '…' : '');
}

/**
 * The excerpt of `bytes` around the span [start, end), and where the span
 * lies in it. "…" marks bytes left out (it cannot come from the data, which
 * shows only ASCII).
 *
 * @example
 * excerptAround(Buffer.from('Mozilla Nessus x'), 8, 14)
 * // { excerpt: 'Mozilla Nessus x', start: 8, end: 14 }
 */
export function excerptAround(
  bytes: Uint8Array,
  start: number,
  end: number,
  context = EXCERPT_CONTEXT,
): { excerpt: string; start: number; end: number } {
  const s = Math.max(0, Math.min(start, bytes.length));
  const e = Math.max(s, Math.min(end, bytes.length));
  const from = Math.max(0, s - context);
  const to = Math.min(bytes.length, e + context);
  let excerpt = from > 0 ? '…' : '';
  excerpt += escapeRange(bytes, from, s);
  const spanStart = excerpt.length;
  if (e - s > EXCERPT_MAX_SPAN) excerpt += `${escapeRange(bytes, s, s + EXCERPT_MAX_SPAN)}…`;
  else excerpt += escapeRange(bytes, s, e);
  const spanEnd = excerpt.length;
  excerpt += escapeRange(bytes, e, to);
  if (to < bytes.length) excerpt += '…';
  return { excerpt, start: spanStart, end: spanEnd };
}
