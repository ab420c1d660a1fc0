/**
 * Header tables as libhtp keeps them, which is what Suricata's HTTP/1
 * buffers are built from: a repeated header is one entry (name as first
 * seen, values joined with `, `), except Content-Length, where the first
 * value stays. Also multipart file parts, for `file.data` on uploads.
 */

export type HeaderList = ReadonlyArray<readonly [Uint8Array, Uint8Array]>;

function lowerAscii(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  }
  return s;
}

/**
 * True when header name `name` is `lowerName` (lower-case ASCII) in any case.
 * @example nameIs(b('Content-Length'), 'content-length') // true
 */
export function nameIs(name: Uint8Array, lowerName: string): boolean {
  if (name.length !== lowerName.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

/** True when two header names are equal ignoring ASCII case. */
function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x >= 0x41 && x <= 0x5a ? x | 0x20 : x) !== (y >= 0x41 && y <= 0x5a ? y | 0x20 : y))
      return false;
  }
  return true;
}

const CONTENT_LENGTH = 'content-length';
/** Up to this many headers, repeats are found by comparing names; past it, through a map. */
const SMALL_LIST = 32;

/**
 * Merges repeated headers the way libhtp does.
 *
 * @example
 * mergeHeaders([[b('A'), b('1')], [b('a'), b('2')]]) // [[b('A'), b('1, 2')]]
 */
export function mergeHeaders(list: HeaderList): Array<[Uint8Array, Uint8Array]> {
  const out: Array<[Uint8Array, Uint8Array]> = [];
  const index = list.length > SMALL_LIST ? new Map<string, number>() : undefined;
  for (const [name, value] of list) {
    let at: number | undefined;
    if (index !== undefined) {
      const key = lowerAscii(name);
      at = index.get(key);
      if (at === undefined) index.set(key, out.length);
    } else {
      for (let k = 0; k < out.length; k++)
        if (sameName(out[k]![0], name)) {
          at = k;
          break;
        }
    }
    if (at === undefined) {
      out.push([name, value]);
      continue;
    }
    if (nameIs(name, CONTENT_LENGTH)) continue;
    const prev = out[at]![1];
    const joined = new Uint8Array(prev.length + 2 + value.length);
    joined.set(prev);
    joined[prev.length] = 0x2c;
    joined[prev.length + 1] = 0x20;
    joined.set(value, prev.length + 2);
    out[at] = [out[at]![0], joined];
  }
  return out;
}

/** The merged value of header `lowerName`, or undefined when absent. */
export function headerValue(list: HeaderList, lowerName: string): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  let parts = 0;
  for (const [name, value] of list) {
    if (!nameIs(name, lowerName)) continue;
    if (parts === 0) found = value;
    else if (lowerName !== CONTENT_LENGTH) {
      const joined = new Uint8Array(found!.length + 2 + value.length);
      joined.set(found!);
      joined[found!.length] = 0x2c;
      joined[found!.length + 1] = 0x20;
      joined.set(value, found!.length + 2);
      found = joined;
    }
    parts++;
  }
  return found;
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let w = 0;
  for (const p of parts) {
    out.set(p, w);
    w += p.length;
  }
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (
    let i = hay.indexOf(first, from);
    i >= 0 && i + needle.length <= hay.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/** The `boundary` parameter of a multipart/form-data Content-Type, or undefined. */
export function multipartBoundary(contentType: Uint8Array | undefined): Uint8Array | undefined {
  if (contentType === undefined) return undefined;
  const text = new TextDecoder('latin1').decode(contentType);
  if (!/^\s*multipart\/form-data/i.test(text)) return undefined;
  const m = /boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(text);
  const b = m?.[1] ?? m?.[2];
  return b === undefined ? undefined : Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/**
 * Bodies of the multipart parts that carry a file (`filename=` in their
 * Content-Disposition), in order. Parts cut short by the end of the body are
 * returned as far as they go.
 *
 * @example
 * multipartFiles(body, b('xyz')) // [contents of each uploaded file]
 */
export function multipartFiles(body: Uint8Array, boundary: Uint8Array): Uint8Array[] {
  const delim = concat([Uint8Array.of(0x2d, 0x2d), boundary]);
  const files: Uint8Array[] = [];
  let at = indexOfBytes(body, delim, 0);
  while (at >= 0 && files.length < 64) {
    const headStart = body.indexOf(0x0a, at + delim.length);
    if (headStart < 0) break;
    const crlf2 = indexOfBytes(body, Uint8Array.of(0x0d, 0x0a, 0x0d, 0x0a), headStart + 1);
    const lf2 = indexOfBytes(body, Uint8Array.of(0x0a, 0x0a), headStart + 1);
    let dataStart: number;
    let headEnd: number;
    if (crlf2 >= 0 && (lf2 < 0 || crlf2 <= lf2)) {
      headEnd = crlf2;
      dataStart = crlf2 + 4;
    } else if (lf2 >= 0) {
      headEnd = lf2;
      dataStart = lf2 + 2;
    } else break;
    const head = new TextDecoder('latin1').decode(body.subarray(headStart + 1, headEnd));
    const next = indexOfBytes(body, delim, dataStart);
    let dataEnd = next < 0 ? body.length : next;
    if (next >= 0) {
      // The line break before the next delimiter belongs to the delimiter.
      if (dataEnd > dataStart && body[dataEnd - 1] === 0x0a) dataEnd--;
      if (dataEnd > dataStart && body[dataEnd - 1] === 0x0d) dataEnd--;
    }
    if (/content-disposition:[^\n]*filename\*?=/i.test(head)) files.push(body.subarray(dataStart, dataEnd));
    at = next;
  }
  return files;
}
