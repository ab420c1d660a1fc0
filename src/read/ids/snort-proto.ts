/** Snort's packet-type words (`{TCP}`, `"proto" : "UDP"`, full alerts' `ICMP TTL:...`) as Picket's protocol names. */

const transports: Readonly<Record<string, string>> = {
  TCP: 'tcp',
  UDP: 'udp',
  ICMP: 'icmp',
  ICMP4: 'icmp',
  ICMP6: 'ipv6-icmp',
  ICMPV6: 'ipv6-icmp',
  'IPV6-ICMP': 'ipv6-icmp',
  SCTP: 'sctp',
};

/**
 * The transport name of a Snort packet type; undefined for words that are no
 * transport (IP, ARP, PDU, FILE...), which records keep as `pktType`.
 * @example snortProto('ICMP6') // 'ipv6-icmp'; snortProto('PROTO:047') // '47'
 */
export function snortProto(word: string | undefined): string | undefined {
  if (word === undefined || word.length > 16) return undefined;
  const upper = word.toUpperCase();
  const named = transports[upper];
  if (named !== undefined) return named;
  // Snort 2 names other IP protocols by number: {PROTO:047}.
  const m = /^PROTO:?(\d{1,3})$/.exec(upper);
  return m && Number(m[1]) <= 255 ? String(Number(m[1])) : undefined;
}
