/**
 * Suricata sticky buffers: `http.uri;` makes every following content, pcre,
 * bsize ... inspect that buffer until the next buffer keyword. Legacy
 * underscore spellings are aliases of the dotted names.
 */
import type { KeywordDescriptor } from './types.js';

interface StickySpec {
  name: string;
  aliases?: string[];
  what: string;
  /** Set when the later engine will not produce the buffer. */
  partial?: string;
}

const STICKY: StickySpec[] = [
  { name: 'http.uri', aliases: ['http_uri_sticky'], what: 'the normalised request URI' },
  { name: 'http.uri.raw', what: 'the request URI as sent' },
  { name: 'http.method', what: 'the request method' },
  { name: 'http.user_agent', what: 'the User-Agent header value' },
  { name: 'http.host', what: 'the normalised (lower-case) Host header value' },
  { name: 'http.host.raw', what: 'the Host header value as sent' },
  { name: 'http.header', what: 'the normalised request or response headers' },
  { name: 'http.header.raw', what: 'the headers as sent' },
  { name: 'http.header_names', aliases: ['http_header_names'], what: 'the header names, one per line' },
  { name: 'http.cookie', what: 'the Cookie / Set-Cookie header value' },
  { name: 'http.request_body', aliases: ['http_client_body_sticky'], what: 'the request body' },
  { name: 'http.response_body', what: 'the response body' },
  { name: 'file.data', aliases: ['file_data'], what: 'file data (HTTP bodies, SMTP attachments)' },
  { name: 'http.stat_code', what: 'the response status code' },
  { name: 'http.stat_msg', what: 'the response status message' },
  { name: 'http.content_type', aliases: ['http_content_type'], what: 'the Content-Type header value' },
  { name: 'http.content_len', aliases: ['http_content_len'], what: 'the Content-Length header value' },
  { name: 'http.request_line', aliases: ['http_request_line'], what: 'the whole request line' },
  { name: 'http.response_line', aliases: ['http_response_line'], what: 'the whole response line' },
  { name: 'http.start', aliases: ['http_start'], what: 'the start line plus headers' },
  { name: 'http.referer', what: 'the Referer header value' },
  { name: 'http.server', aliases: ['http_server'], what: 'the Server header value' },
  { name: 'http.location', aliases: ['http_location'], what: 'the Location header value' },
  { name: 'http.accept', aliases: ['http_accept'], what: 'the Accept header value' },
  { name: 'http.accept_enc', aliases: ['http_accept_enc'], what: 'the Accept-Encoding header value' },
  { name: 'http.accept_lang', aliases: ['http_accept_lang'], what: 'the Accept-Language header value' },
  { name: 'http.connection', aliases: ['http_connection'], what: 'the Connection header value' },
  { name: 'http.protocol', aliases: ['http_protocol'], what: 'the HTTP version string' },
  { name: 'dns.query', aliases: ['dns_query'], what: 'the DNS query name' },
  { name: 'tls.sni', aliases: ['tls_sni'], what: 'the TLS Server Name Indication' },
  { name: 'tls.cert_subject', aliases: ['tls_cert_subject'], what: 'the server certificate subject' },
  { name: 'tls.cert_issuer', aliases: ['tls_cert_issuer'], what: 'the server certificate issuer' },
  { name: 'tls.cert_serial', aliases: ['tls_cert_serial'], what: 'the server certificate serial' },
  {
    name: 'tls.cert_fingerprint',
    aliases: ['tls_cert_fingerprint'],
    what: 'the server certificate SHA-1 fingerprint',
  },
  { name: 'tls.certs', what: 'each certificate in the chain (DER)' },
  { name: 'ja3.hash', aliases: ['ja3_hash'], what: 'the JA3 client fingerprint hash' },
  { name: 'ja3.string', aliases: ['ja3_string'], what: 'the JA3 client fingerprint string' },
  { name: 'ja3s.hash', what: 'the JA3S server fingerprint hash' },
  { name: 'ja3s.string', what: 'the JA3S server fingerprint string' },
  { name: 'ssh.proto', aliases: ['ssh_proto'], what: 'the SSH protocol version from the banner' },
  { name: 'ssh.software', aliases: ['ssh_software'], what: 'the SSH software version from the banner' },
  { name: 'base64_data', what: 'the output of the preceding base64_decode' },
  { name: 'ipv4.hdr', what: 'the raw IPv4 header' },
  { name: 'ipv6.hdr', what: 'the raw IPv6 header' },
  { name: 'tcp.hdr', what: 'the raw TCP header' },
  { name: 'udp.hdr', what: 'the raw UDP header' },
  { name: 'icmpv4.hdr', what: 'the raw ICMPv4 header' },
  { name: 'icmpv6.hdr', what: 'the raw ICMPv6 header' },
  { name: 'smb.named_pipe', what: 'the SMB named pipe', partial: 'no SMB parser yet' },
  { name: 'smb.share', what: 'the SMB share name', partial: 'no SMB parser yet' },
  { name: 'krb5_cname', what: 'the Kerberos client name', partial: 'no Kerberos parser yet' },
  { name: 'sip.method', what: 'the SIP method', partial: 'no SIP parser yet' },
  { name: 'smtp.helo', what: 'the SMTP HELO name', partial: 'no SMTP parser yet' },
];

function sticky(s: StickySpec): KeywordDescriptor<true> {
  const buffer = s.name === 'file.data' ? 'file.data' : s.name;
  return {
    name: s.name,
    ...(s.aliases ? { aliases: s.aliases } : {}),
    description: `Sticky buffer: following matches inspect ${s.what}.`,
    support: s.partial ? 'partial' : 'full',
    ...(s.partial ? { supportNote: s.partial } : {}),
    affectsMatch: true,
    value: s.name === 'file.data' ? 'optional' : 'none',
    parse: () => true,
    attach: (_o, rule, used) => rule.selectBuffer(buffer, used),
  };
}

/** `pkt_data`: back to the packet/stream payload (no following match required). */
export const pktData: KeywordDescriptor<true> = {
  name: 'pkt_data',
  description: 'Returns following matches to the packet or stream payload after a sticky buffer.',
  support: 'full',
  affectsMatch: true,
  value: 'none',
  parse: () => true,
  attach: (_o, rule, used) => rule.selectBuffer('pkt', used),
};

/** Suricata's test on the presence of a sticky buffer. */
export interface AbsentOption {
  buffer: string;
  /** `absent: or_else`: the buffer is absent, or else the following matches hold. */
  orElse: boolean;
}

/** `absent` / `absent: or_else` after a sticky buffer. */
export const absent: KeywordDescriptor<boolean> = {
  name: 'absent',
  description:
    'Matches when the current sticky buffer does not exist (with or_else: or when the following matches hold).',
  support: 'full',
  affectsMatch: true,
  value: 'optional',
  parse: (v) => {
    const t = (v ?? '').trim();
    if (t === '') return false;
    if (t === 'or_else') return true;
    return { error: `absent: expected nothing or "or_else", got "${t}"` };
  },
  attach: (orElse, rule) => {
    if (rule.buffer === 'pkt') return 'absent: needs a sticky buffer before it';
    rule.useStickyBuffer();
    rule.conditions.push({
      keyword: 'absent',
      value: { buffer: rule.buffer, orElse } satisfies AbsentOption,
    });
    return undefined;
  },
};

// biome-ignore lint/suspicious/noExplicitAny: descriptors differ in their option type
export const stickyBuffers: KeywordDescriptor<any>[] = [...STICKY.map(sticky), absent];
