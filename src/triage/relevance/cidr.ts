/** Address blocks for the inventory: `10.99.0.0/27`, `2001:db8::/32`, or one address. */
import { formatAddress, parseAddress } from '../../util/ip.js';

export interface AddressBlock {
  /** Canonical text, e.g. 10.99.0.0/27. */
  text: string;
  bytes: Uint8Array;
  prefix: number;
}

/**
 * @example
 * parseBlock('10.99.0.10')  // { text: '10.99.0.10/32', prefix: 32, ... }
 * parseBlock('10.99.0.0/33') // undefined
 */
export function parseBlock(text: string): AddressBlock | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined || !addr) return undefined;
  const bytes = parseAddress(addr);
  if (!bytes) return undefined;
  const bits = bytes.length * 8;
  let prefix = bits;
  if (len !== undefined) {
    if (!/^\d{1,3}$/.test(len)) return undefined;
    prefix = Number(len);
    if (prefix > bits) return undefined;
  }
  const masked = bytes.slice();
  for (let i = 0; i < masked.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    masked[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return { text: `${formatAddress(masked, masked.length)}/${prefix}`, bytes: masked, prefix };
}

/** The address (text form) lies in the block. */
export function blockContains(block: AddressBlock, address: string): boolean {
  const a = parseAddress(address.trim());
  if (!a || a.length !== block.bytes.length) return false;
  for (let i = 0; i < a.length; i++) {
    const keep = Math.max(0, Math.min(8, block.prefix - i * 8));
    if (keep === 0) return true;
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((a[i]! & mask) !== block.bytes[i]) return false;
  }
  return true;
}
