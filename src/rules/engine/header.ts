/** Rule header tests: address and port sets against a packet's bytes and numbers. */
import { ipv4Word } from '../../util/ip.js';
import type { AddressSet, PortSet, RuleHeader } from '../ast.js';

function inRanges(ranges: ReadonlyArray<readonly [number, number]>, v: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (v < r[0]) hi = mid - 1;
    else if (v > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

export function addressIn(set: AddressSet, b: Uint8Array, len: number): boolean {
  if (set.any) return true;
  if (len === 4) {
    const v = ipv4Word(b);
    return inRanges(set.v4, v);
  }
  if (len === 16) {
    if (set.v6.length === 0) return false;
    let v = 0n;
    for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt(b[i]!);
    for (const [lo, hi] of set.v6) if (v >= lo && v <= hi) return true;
    return false;
  }
  return false;
}

export function portIn(set: PortSet, port: number): boolean {
  if (set.any) return true;
  if (port < 0) return false;
  return inRanges(set.ranges, port);
}

/**
 * True when the packet (src → dst) fits the header; `<>` also tries the reverse.
 * Portless protocols (ICMP, ARP) pass any port spec, as Suricata ignores ports there.
 */
export function headerMatches(
  h: RuleHeader,
  src: Uint8Array,
  sp: number,
  dst: Uint8Array,
  dp: number,
  len: number,
): boolean {
  const ports = sp >= 0;
  const fwd =
    addressIn(h.src, src, len) &&
    addressIn(h.dst, dst, len) &&
    (!ports || (portIn(h.srcPorts, sp) && portIn(h.dstPorts, dp)));
  if (fwd || h.direction === '->') return fwd;
  return (
    addressIn(h.src, dst, len) &&
    addressIn(h.dst, src, len) &&
    (!ports || (portIn(h.srcPorts, dp) && portIn(h.dstPorts, sp)))
  );
}
