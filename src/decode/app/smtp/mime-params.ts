/**
 * MIME header values: the media type and the parameters of Content-Type and
 * Content-Disposition (RFC 2045 §5.1, RFC 2183), including RFC 2231 extended
 * and continued parameters (`filename*=utf-8''na%20me`, `name*0=...`).
 * Header values are attacker data: bounded by the caller, parsed here as
 * latin1 text so every byte survives the round trip.
 */

/** The `type/subtype` of a Content-Type value, lower-cased; '' when absent. */
export function mediaType(value: string): string {
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** First token of a value (e.g. `base64`, `attachment`), lower-cased. */
export function firstToken(value: string): string {
  return mediaType(value);
}

interface Piece {
  index: number;
  extended: boolean;
  text: string;
}

/**
 * The value of parameter `name` (case-insensitive) as raw bytes, or null.
 * Quoted strings are unquoted; RFC 2231 pieces are joined in order and their
 * %XX escapes decoded (the charset is not converted: bytes stay as sent).
 *
 * @example
 * param('attachment; filename="a b.txt"', 'filename'); // bytes of `a b.txt`
 * param("attachment; filename*=utf-8''%E2%82%AC.txt", 'filename'); // bytes of `€.txt` in UTF-8
 */
export function param(value: string, name: string): Uint8Array | null {
  const want = name.toLowerCase();
  let plain: string | null = null;
  const pieces: Piece[] = [];
  const semi = value.indexOf(';');
  if (semi < 0) return null;
  let i = semi + 1;
  const n = value.length;
  while (i < n) {
    while (
      i < n &&
      (value[i] === ' ' || value[i] === '\t' || value[i] === ';' || value[i] === '\r' || value[i] === '\n')
    )
      i++;
    const eq = value.indexOf('=', i);
    if (eq < 0) break;
    const key = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
    let text = '';
    if (value[i] === '"') {
      i++;
      while (i < n && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < n) i++;
        text += value[i];
        i++;
      }
      i++;
      const next = value.indexOf(';', i);
      i = next < 0 ? n : next;
    } else {
      const next = value.indexOf(';', i);
      const end = next < 0 ? n : next;
      text = value.slice(i, end).trim();
      i = end;
    }
    if (key === want) {
      if (plain === null) plain = text;
    } else if (key.startsWith(`${want}*`)) {
      // name* (extended), name*N (continued), name*N* (both)
      const rest = key.slice(want.length + 1);
      const extended = rest === '' || rest.endsWith('*');
      const digits = rest.endsWith('*') ? rest.slice(0, -1) : rest;
      const index = digits === '' ? 0 : Number(digits);
      if (Number.isInteger(index) && index >= 0 && index < 100 && pieces.length < 100)
        pieces.push({ index, extended, text });
    }
  }
  if (pieces.length > 0) return joinPieces(pieces);
  return plain === null ? null : latin1(plain);
}

function joinPieces(pieces: Piece[]): Uint8Array {
  pieces.sort((a, b) => a.index - b.index);
  const out: number[] = [];
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    let t = p.text;
    if (p.extended && k === 0) {
      // charset'language'value
      const q1 = t.indexOf("'");
      const q2 = q1 < 0 ? -1 : t.indexOf("'", q1 + 1);
      if (q2 >= 0) t = t.slice(q2 + 1);
    }
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i) & 0xff;
      if (
        p.extended &&
        c === 0x25 &&
        i + 2 < t.length + 0 &&
        /^[0-9a-fA-F]{2}$/.test(t.slice(i + 1, i + 3))
      ) {
        out.push(Number.parseInt(t.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(c);
    }
  }
  return Uint8Array.from(out);
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
