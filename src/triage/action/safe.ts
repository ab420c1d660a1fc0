/**
 * What may go into a snippet. Snippets are pasted into firewalls, sshd and
 * WAF configs, so nothing from the traffic goes in as text: addresses are
 * parsed and printed again, ports and sids are integers, messages keep only
 * plain words, and byte patterns are written as `\xNN` (see waf.ts).
 */
import { formatAddress, parseAddress } from '../../util/ip.js';
import { clip } from '../clip.js';

/** An address as the snippet writes it, or undefined when the text is not a literal IPv4/IPv6 address. */
export function snippetAddress(text: string): { text: string; v6: boolean } | undefined {
  if (text.length > 45) return undefined;
  const bytes = parseAddress(text);
  if (bytes === undefined) return undefined;
  return { text: formatAddress(bytes, bytes.length), v6: bytes.length === 16 };
}

/** A port number, or undefined. */
export function snippetPort(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n > 0 && n <= 65535 ? n : undefined;
}

/** A signature id, or undefined. */
export function snippetSid(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n > 0 && n < 2 ** 32 ? n : undefined;
}

/** Marks a cut in plain words (ASCII only: the result goes into snippets). */
const PLAIN_MARK = '...';

/**
 * A rule message for a comment or a log tag: letters, digits, spaces and `.,()-_/` only, bounded
 * to `max` characters; a longer text is cut where a word ends and marked `...`.
 *
 * @example plainWords('ET SCAN "x"\nrm') // 'ET SCAN x rm'
 */
export function plainWords(text: string, max = 80): string {
  const s = text
    .replace(/[^A-Za-z0-9 .,()_/-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? clip(s, Math.max(0, max - PLAIN_MARK.length), PLAIN_MARK) : s;
}

/** How long a block lasts, in words nftables understands (`24h`) and in seconds (ipset, pf). */
export function blockDuration(hours: number): { nft: string; seconds: number } {
  const h = Number.isFinite(hours) && hours > 0 ? Math.min(Math.round(hours), 24 * 365) : 24;
  return { nft: `${h}h`, seconds: h * 3600 };
}
