/**
 * The request target as Suricata's `http.uri` buffer shows it: libhtp's
 * partial normalized URI under Suricata's defaults (IDS personality with path
 * lower-casing switched back off, `+` left alone, spaces allowed in the URI).
 *
 * Path: %xx and %uXXXX decoded (%2f and %5c too), `\` turned into `/`, runs of
 * `/` squeezed, UTF-8 folded to one byte per character (best fit), then
 * `./` and `../` segments removed (RFC 3986 5.2.4 as libhtp does it, quirks
 * included). Query and fragment: %xx and %uXXXX decoded, nothing else.
 * The result is path + `?query` + `#fragment`; a target with none of those
 * (CONNECT's `host:port`, `http://host`) has no normalized URI.
 *
 * Best fit covers code points below 0x100 and the full-width ASCII forms
 * (U+FF01..U+FF5E); other characters become `?`, libhtp's replacement byte.
 */

import { allHex, hexByte, normalizePath, uEncodedByte } from './http1-path.js';

/** The parts of a request target libhtp keeps apart (raw bytes, not decoded). */
export interface RequestTarget {
  scheme?: Uint8Array;
  hostname?: Uint8Array;
  port?: Uint8Array;
  path?: Uint8Array;
  query?: Uint8Array;
  fragment?: Uint8Array;
}

const SLASH = 0x2f;
const PERCENT = 0x25;
const QUESTION = 0x3f;
const HASH = 0x23;
const COLON = 0x3a;
const SPACE = 0x20;
const DOT = 0x2e;

/**
 * Splits a request target the way libhtp's URI parser does: an optional
 * `scheme:` (only when the target does not start with `/`), `//user:pass@`,
 * host and port, then path, `?query` and `#fragment`.
 *
 * @example
 * splitRequestTarget(bytes('http://Example.com:8080/a?b#c')).path // bytes('/a')
 */
export function splitRequestTarget(t: Uint8Array): RequestTarget {
  const out: RequestTarget = {};
  let i = 0;
  const n = t.length;
  if (n > 0 && t[0] !== SLASH) {
    const colon = t.indexOf(COLON);
    if (colon >= 0) {
      out.scheme = t.subarray(0, colon);
      i = colon + 1;
      // Credentials: `//` not followed by `/`, up to the first `@` anywhere after.
      if (t[i] === SLASH && t[i + 1] === SLASH && i + 2 < n && t[i + 2] !== SLASH) {
        const at = t.indexOf(0x40, i + 2);
        if (at >= 0) i = at + 1;
      }
      i = splitHostPort(t, i, out);
    }
  }
  if (i < n && t[i] !== QUESTION && t[i] !== HASH) {
    const start = i;
    while (i < n && t[i] !== QUESTION && t[i] !== HASH) i++;
    out.path = t.subarray(start, i);
  }
  if (i < n && t[i] === QUESTION) {
    const start = ++i;
    while (i < n && t[i] !== HASH) i++;
    out.query = t.subarray(start, i);
  }
  if (i < n && t[i] === HASH) out.fragment = t.subarray(i + 1);
  return out;
}

/** Host and optional port from `i`; returns where the path may start. */
function splitHostPort(t: Uint8Array, from: number, out: RequestTarget): number {
  const n = t.length;
  let i = from;
  if (t[i] === SLASH && t[i + 1] === SLASH) i += 2;
  if (i >= n || t[i] === SLASH) return from; // no host: `//` stays part of the path
  while (i < n && t[i] === SPACE) i++;
  const hostStart = i;
  if (t[i] === 0x5b) {
    // IPv6 literal: up to `]` (kept) or a delimiter.
    i++;
    while (i < n && t[i] !== SLASH && t[i] !== QUESTION && t[i] !== HASH && t[i] !== 0x5d) i++;
    if (t[i] === 0x5d) i++;
  } else {
    while (i < n && t[i] !== SLASH && t[i] !== QUESTION && t[i] !== HASH && t[i] !== COLON) i++;
  }
  if (i === hostStart) return from;
  let hostEnd = i;
  while (hostEnd > hostStart && t[hostEnd - 1] === SPACE) hostEnd--;
  out.hostname = t.subarray(hostStart, hostEnd);
  if (t[i] === COLON) {
    let j = i + 1;
    while (j < n && t[j] === SPACE) j++;
    const portStart = j;
    while (j < n && t[j] !== SLASH && t[j] !== QUESTION && t[j] !== HASH) j++;
    if (j > portStart) {
      let portEnd = portStart;
      while (portEnd < j && t[portEnd] !== SPACE) portEnd++;
      out.port = t.subarray(portStart, portEnd);
      i = j;
    }
  }
  return i;
}

/** libhtp-style URL decoding for query and fragment: %xx and %uXXXX, `+` kept. */
export function decodeUrlComponent(s: Uint8Array): Uint8Array {
  const out = new Uint8Array(s.length);
  let w = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const b = s[i]!;
    if (b === PERCENT) {
      const next = s[i + 1];
      if ((next === 0x75 || next === 0x55) && allHex(s, i + 2, 4)) {
        out[w++] = uEncodedByte(s, i + 2);
        i += 6;
        continue;
      }
      if (next !== 0x75 && next !== 0x55 && allHex(s, i + 1, 2)) {
        out[w++] = hexByte(s[i + 1]!, s[i + 2]!);
        i += 3;
        continue;
      }
    }
    out[w++] = b;
    i++;
  }
  return out.subarray(0, w);
}

/**
 * The `http.uri` buffer for a request target, or undefined when libhtp would
 * have no normalized URI (no path, query or fragment; CONNECT targets).
 *
 * @example
 * normalizeUri(bytes('/../a/b/../c/./d.html?q=%41')) // bytes('/a/c/d.html?q=A')
 */
export function normalizeUri(target: Uint8Array, isConnect = false): Uint8Array | undefined {
  if (isConnect) return undefined;
  const parts = splitRequestTarget(target);
  const path = parts.path !== undefined ? normalizePath(parts.path) : undefined;
  const query = parts.query !== undefined ? decodeUrlComponent(parts.query) : undefined;
  const fragment = parts.fragment !== undefined ? decodeUrlComponent(parts.fragment) : undefined;
  if (path === undefined && query === undefined && fragment === undefined) return undefined;
  const len =
    (path?.length ?? 0) +
    (query !== undefined ? query.length + 1 : 0) +
    (fragment !== undefined ? fragment.length + 1 : 0);
  const out = new Uint8Array(len);
  let w = 0;
  if (path !== undefined) {
    out.set(path, 0);
    w = path.length;
  }
  if (query !== undefined) {
    out[w++] = QUESTION;
    out.set(query, w);
    w += query.length;
  }
  if (fragment !== undefined) {
    out[w++] = HASH;
    out.set(fragment, w);
  }
  return out;
}

/**
 * The hostname libhtp reports for a request (Suricata's `http.host`): the
 * URI's host when the target is absolute, else the Host header's host part;
 * lower-cased, port and trailing dots removed. Undefined when neither exists.
 *
 * @example
 * requestHostname(bytes('/x'), bytes('WWW.Example.com.:8080')) // bytes('www.example.com')
 */
export function requestHostname(
  target: Uint8Array | undefined,
  hostHeader: Uint8Array | undefined,
  isConnect = false,
): Uint8Array | undefined {
  let host: Uint8Array | undefined;
  if (target !== undefined) {
    if (isConnect) {
      const p: RequestTarget = {};
      splitHostPort(target, 0, p);
      host = p.hostname;
    } else {
      const p = splitRequestTarget(target);
      if (p.scheme !== undefined && p.hostname !== undefined) host = decodeUrlComponent(p.hostname);
    }
  }
  if (host === undefined && hostHeader !== undefined) {
    const p: RequestTarget = {};
    splitHostPort(hostHeader, 0, p);
    host = p.hostname;
  }
  if (host === undefined) return undefined;
  let end = host.length;
  while (end > 0 && host[end - 1] === DOT) end--;
  const out = new Uint8Array(end);
  for (let i = 0; i < end; i++) {
    const c = host[i]!;
    out[i] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
  }
  return out;
}

/** The URI's own host when the target is absolute (`http://host/...`), raw, for `http.host.raw`. */
export function targetHostname(target: Uint8Array, isConnect = false): Uint8Array | undefined {
  if (isConnect) return undefined;
  const p = splitRequestTarget(target);
  return p.scheme !== undefined ? p.hostname : undefined;
}
