/**
 * Application transactions as the rule engine inspects them. Protocol parsers
 * in decode/app/ fill these while a connection runs; rules/ maps them onto
 * Suricata's buffer names (http.uri, dns.query, tls.sni, file.data ...).
 *
 * Every byte here came from the network: attacker data. Never evaluate it,
 * escape it when shown. Buffers are bounded by the parser that fills them.
 */

/** One HTTP request/response exchange (HTTP/1.x or one HTTP/2 stream). */
export interface HttpTx {
  /** 1 for HTTP/1.x, 2 for HTTP/2. */
  version: 1 | 2;
  /** 0-based transaction index in the connection (HTTP/1) or the stream id (HTTP/2). */
  id: number;

  /** HTTP/1: the request line without CRLF; undefined for HTTP/2. */
  requestLine?: Uint8Array;
  method?: Uint8Array;
  /** The request target exactly as sent. */
  rawUri?: Uint8Array;
  /** The request target normalized as libhtp does (see decode/app for the rules). */
  uri?: Uint8Array;
  /** e.g. `HTTP/1.1`; undefined when the request line had none (HTTP/0.9 style). */
  protocol?: Uint8Array;
  /** Request headers in order, names and values as sent (HTTP/2: after HPACK, pseudo-headers included). */
  requestHeaders: Array<[Uint8Array, Uint8Array]>;
  /** HTTP/1: the header block bytes as sent, from the first header line to the empty line inclusive. */
  requestHeadersRaw?: Uint8Array;
  /** Body after transfer decoding (chunked), bounded; see requestBodyTruncated. */
  requestBody: Uint8Array;
  requestBodyTruncated: boolean;
  requestHeadersDone: boolean;
  requestDone: boolean;

  /** HTTP/1: the status line without CRLF. */
  responseLine?: Uint8Array;
  /** The status code digits as sent (HTTP/2: the :status value). */
  statusCode?: Uint8Array;
  statusMsg?: Uint8Array;
  responseProtocol?: Uint8Array;
  responseHeaders: Array<[Uint8Array, Uint8Array]>;
  responseHeadersRaw?: Uint8Array;
  /** Body after transfer and content decoding (chunked, gzip, deflate), bounded. */
  responseBody: Uint8Array;
  responseBodyTruncated: boolean;
  /** Response body bytes received so far, before content decoding (the body itself is filled when complete). */
  responseBodySeen?: number;
  responseHeadersDone: boolean;
  responseDone: boolean;

  /** Parser anomalies seen in this transaction, Suricata-style names without the `http.` prefix (e.g. `request_body_unexpected`). */
  events: string[];
}

/** One DNS message's questions (requests and responses each make one). */
export interface DnsTx {
  /** DNS transaction id from the header. */
  txId: number;
  /** True when this message is a response (QR bit). */
  response: boolean;
  rcode: number;
  /** Query names as dotted text without the trailing dot, as raw bytes. */
  queries: Array<{ name: Uint8Array; type: number; class: number }>;
  /** Answer records' owner names and rdata rendered as text (A/AAAA/CNAME/PTR/MX/TXT...). */
  answers: Array<{ name: Uint8Array; type: number; ttl: number; data: string }>;
}

/** TLS handshake facts for one connection, filled as the handshake is seen. */
export interface TlsTx {
  /** ClientHello legacy/offered version, e.g. 0x0303. -1 until seen. */
  clientVersion: number;
  serverVersion: number;
  sni?: Uint8Array;
  /** Leaf certificate subject/issuer rendered `C=US, ST=WA, O=..., CN=...` (Suricata's order and separators). */
  certSubject?: Uint8Array;
  certIssuer?: Uint8Array;
  /** Serial as colon-separated upper-case hex pairs. */
  certSerial?: Uint8Array;
  /** SHA-1 of the leaf certificate DER, colon-separated lower-case hex pairs. */
  certFingerprint?: Uint8Array;
  certNotBefore?: number;
  certNotAfter?: number;
  /** Every certificate in the chain, DER. */
  certs: Uint8Array[];
  ja3?: { string: string; hash: string };
  ja3s?: { string: string; hash: string };
  clientHelloDone: boolean;
  serverHelloDone: boolean;
  certificateDone: boolean;
}

/** SSH banners of one connection. */
export interface SshTx {
  /** `2.0` from `SSH-2.0-OpenSSH_9.2p1`; undefined until that side's banner is seen. */
  clientProto?: Uint8Array;
  clientSoftware?: Uint8Array;
  serverProto?: Uint8Array;
  serverSoftware?: Uint8Array;
}

/** A file carried by an application protocol (HTTP body, SMB read/write, SMTP attachment). */
export interface FileTx {
  /** The carrying protocol: 'smb', 'smtp', 'http', 'ftp'. */
  proto: string;
  /** 0-based order among the connection's files. */
  id: number;
  /** The file name as the protocol gives it (SMB path, MIME filename), raw bytes. */
  name: Uint8Array;
  /** True when the file travels client → server (upload, SMB write, SMTP). */
  toServer: boolean;
  /** File bytes in order, bounded (see truncated); gaps are not filled. */
  data: Uint8Array;
  truncated: boolean;
  /** True once the file is complete (closed, or its declared size reached). */
  done: boolean;
}
