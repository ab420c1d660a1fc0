/**
 * Suricata's TLS sticky buffers over a TlsTx. Text facts become their bytes
 * (latin1, one byte per character: all of them are ASCII or already bytes).
 * `undefined` means the buffer is absent (no such handshake part seen, or the
 * field was not in it), which matters for `absent` and negated content.
 */
import type { TlsTx } from '../../schema/app-tx.js';

/** Buffer names this module answers, each with the side of the connection it comes from. */
export const TLS_BUFFERS = {
  'tls.sni': 'to_server',
  'ja3.hash': 'to_server',
  'ja3.string': 'to_server',
  'tls.cert_subject': 'to_client',
  'tls.cert_issuer': 'to_client',
  'tls.cert_serial': 'to_client',
  'tls.cert_fingerprint': 'to_client',
  'tls.certs': 'to_client',
  'ja3s.hash': 'to_client',
  'ja3s.string': 'to_client',
} as const;

export type TlsBufferName = keyof typeof TLS_BUFFERS;

/** Older spellings Suricata still accepts for the same buffers. */
const ALIASES: Record<string, TlsBufferName> = {
  tls_sni: 'tls.sni',
  tls_cert_subject: 'tls.cert_subject',
  tls_cert_issuer: 'tls.cert_issuer',
  tls_cert_serial: 'tls.cert_serial',
  tls_cert_fingerprint: 'tls.cert_fingerprint',
  ja3_hash: 'ja3.hash',
  ja3_string: 'ja3.string',
  ja3s_hash: 'ja3s.hash',
  ja3s_string: 'ja3s.string',
};

function canonical(name: string): TlsBufferName | undefined {
  if (Object.hasOwn(TLS_BUFFERS, name)) return name as TlsBufferName;
  return ALIASES[name];
}

const text = (s: string | undefined) =>
  s === undefined ? undefined : new Uint8Array(Buffer.from(s, 'latin1'));

/**
 * The content of TLS buffer `name` for `tx`: one buffer, or for the
 * multi-buffer `tls.certs` one per certificate DER. Unknown names and
 * absent fields give undefined.
 *
 * @example
 * tlsBuffer(tx, 'tls.sni') // bytes of 'go.microsoft.com'
 * tlsBuffer(tx, 'tls.certs') // [leafDer, intermediateDer]
 */
export function tlsBuffer(tx: TlsTx, name: string): Uint8Array | Uint8Array[] | undefined {
  switch (canonical(name)) {
    case 'tls.sni':
      return tx.sni;
    case 'tls.cert_subject':
      return tx.certSubject;
    case 'tls.cert_issuer':
      return tx.certIssuer;
    case 'tls.cert_serial':
      return tx.certSerial;
    case 'tls.cert_fingerprint':
      return tx.certFingerprint;
    case 'tls.certs':
      return tx.certs.length > 0 ? tx.certs : undefined;
    case 'ja3.hash':
      return text(tx.ja3?.hash);
    case 'ja3.string':
      return text(tx.ja3?.string);
    case 'ja3s.hash':
      return text(tx.ja3s?.hash);
    case 'ja3s.string':
      return text(tx.ja3s?.string);
    default:
      return undefined;
  }
}

/** Which side a TLS buffer belongs to; undefined for names this module does not know. */
export function tlsBufferDirection(name: string): 'to_server' | 'to_client' | undefined {
  const c = canonical(name);
  return c === undefined ? undefined : TLS_BUFFERS[c];
}
