/**
 * Suricata's DNS sticky buffers over one DnsTx (one DNS message). All are
 * multi-buffers: one buffer per name. `dns.query` holds the question names of
 * requests only (Suricata inspects it to_server and never matches a
 * response); `dns.queries.rrname` and `dns.answers.rrname` (Suricata 8) look
 * at requests and responses alike. Names are as the parser renders them:
 * labels joined by `.`, raw bytes, no trailing dot, the root as empty.
 */
import type { DnsTx } from '../../schema/app-tx.js';

export const DNS_BUFFERS = {
  'dns.query': 'to_server',
  'dns.queries.rrname': 'both',
  'dns.answers.rrname': 'both',
} as const;

const ALIASES: Record<string, keyof typeof DNS_BUFFERS> = { dns_query: 'dns.query' };

function canonical(name: string): keyof typeof DNS_BUFFERS | undefined {
  if (Object.hasOwn(DNS_BUFFERS, name)) return name as keyof typeof DNS_BUFFERS;
  return ALIASES[name];
}

/**
 * The buffers of `name` for `tx`, one per name; undefined when absent (no
 * such names in this message, a response for `dns.query`, or an unknown name).
 *
 * @example
 * dnsBuffers(queryTx, 'dns.query') // [bytes of 'www.example.com']
 */
export function dnsBuffers(tx: DnsTx, name: string): Uint8Array[] | undefined {
  let out: Uint8Array[];
  switch (canonical(name)) {
    case 'dns.query':
      if (tx.response) return undefined;
      out = tx.queries.map((q) => q.name);
      break;
    case 'dns.queries.rrname':
      out = tx.queries.map((q) => q.name);
      break;
    case 'dns.answers.rrname':
      out = tx.answers.map((a) => a.name);
      break;
    default:
      return undefined;
  }
  return out.length > 0 ? out : undefined;
}

/** Which side a DNS buffer belongs to; undefined for names this module does not know. */
export function dnsBufferDirection(name: string): 'to_server' | 'to_client' | 'both' | undefined {
  const c = canonical(name);
  return c === undefined ? undefined : DNS_BUFFERS[c];
}
