/** Small, bounded conversions of Nmap XML attribute text into asset fields. */
import { createHash } from 'node:crypto';
import { truncatedMark } from '../../schema/asset.js';
import { formatAddress, parseAddress } from '../../util/ip.js';

/** `s` cut to `max` characters, marked when cut; undefined stays undefined. */
export function bounded(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length > max ? s.slice(0, max) + truncatedMark : s;
}

/** A whole number in [min, max] written in decimal digits only, else undefined. */
export function wholeNumber(s: string | undefined, min: number, max: number): number | undefined {
  if (s === undefined || !/^\d{1,15}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

/** A non-negative decimal such as Nmap's `elapsed="11.74"`, else undefined. */
export function decimal(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d{1,15}(?:\.\d{1,9})?$/.test(s)) return undefined;
  return Number(s);
}

/** An IP address in Picket's canonical text form (the form flows and events use), else undefined. */
export function canonicalAddress(
  text: string,
  type: string | undefined,
): { address: string; type: 'ipv4' | 'ipv6' } | undefined {
  if (text.length > 64) return undefined;
  const bytes = parseAddress(text);
  if (!bytes) return undefined;
  const kind = bytes.length === 4 ? 'ipv4' : 'ipv6';
  if (type !== undefined && type !== kind) return undefined;
  return { address: formatAddress(bytes, bytes.length), type: kind };
}

/** Script ids are short names; anything else (or a key that would touch a prototype) is refused. */
export function isScriptId(id: string | undefined): id is string {
  return id !== undefined && /^[\w.-]{1,128}$/.test(id) && id !== '__proto__';
}

/**
 * The observation's uid: the same scan of the same host gives the same uid
 * wherever the file is, so importing it twice stores it once.
 *
 * @example assetUid(['nmap', '1795442527', 'nmap -sV ...', '127.0.0.1', '1795442538']) // 'N…'
 */
export function assetUid(parts: readonly (string | number | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p ?? ''}\u0000`);
  return `N${h.digest('base64url').slice(0, 22)}`;
}
