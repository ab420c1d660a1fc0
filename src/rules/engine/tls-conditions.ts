/** TLS keywords that are not sticky buffers: tls.version, ssl_version, ssl_state and the legacy tls.subject/issuerdn/fingerprint. */
import type { TlsTx } from '../../schema/app-tx.js';
import type { RuleCondition } from '../ast.js';

export const TLS_CONDITIONS = new Set([
  'tls.version',
  'ssl_version',
  'ssl_state',
  'tls.subject',
  'tls.issuerdn',
  'tls.fingerprint',
]);

const SSL_VERSION: Record<string, number> = {
  sslv2: 0x0200,
  sslv3: 0x0300,
  'tls1.0': 0x0301,
  'tls1.1': 0x0302,
  'tls1.2': 0x0303,
  'tls1.3': 0x0304,
};

/** The version the connection uses: the server's choice once known, else what the client offered. */
function versionOf(tx: TlsTx): number {
  return tx.serverVersion > 0 ? tx.serverVersion : tx.clientVersion;
}

function text(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : Buffer.from(b).toString('latin1');
}

/**
 * @example tlsConditionHolds({ keyword: 'tls.version', value: 0x0303 }, tx) // true on TLS 1.2
 */
export function tlsConditionHolds(c: RuleCondition, tx: TlsTx): boolean {
  switch (c.keyword) {
    case 'tls.version':
      return versionOf(tx) === (c.value as number);
    case 'ssl_version': {
      const v = versionOf(tx);
      const list = c.value as Array<{ negated: boolean; version: string }>;
      const pos = list.filter((x) => !x.negated);
      if (list.some((x) => x.negated && SSL_VERSION[x.version] === v)) return false;
      return pos.length === 0 || pos.some((x) => SSL_VERSION[x.version] === v);
    }
    case 'ssl_state': {
      const list = c.value as Array<{ negated: boolean; state: string }>;
      const seen = (s: string) =>
        s === 'client_hello' ? tx.clientHelloDone : s === 'server_hello' ? tx.serverHelloDone : false;
      const pos = list.filter((x) => !x.negated);
      if (list.some((x) => x.negated && seen(x.state))) return false;
      return pos.length === 0 || pos.some((x) => seen(x.state));
    }
    case 'tls.subject':
    case 'tls.issuerdn':
    case 'tls.fingerprint': {
      const o = c.value as { negated: boolean; value: string };
      const have =
        c.keyword === 'tls.subject'
          ? text(tx.certSubject)
          : c.keyword === 'tls.issuerdn'
            ? text(tx.certIssuer)
            : text(tx.certFingerprint);
      if (have === undefined) return false;
      const hit =
        c.keyword === 'tls.fingerprint'
          ? have.toLowerCase() === o.value.toLowerCase()
          : have.includes(o.value);
      return hit !== o.negated;
    }
    default:
      return true;
  }
}
