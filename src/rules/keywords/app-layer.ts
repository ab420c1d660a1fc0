/** Application-layer and stream keywords: app-layer-protocol, stream_size, noalert, TLS/SSL version and state. */
import type { NumberTest } from '../ast.js';
import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger } from './values.js';

export interface AppLayerProtocolOption {
  negated: boolean;
  protocol: string;
  /** `http1,to_server`: the protocol detected in one direction (they may differ). */
  direction?: 'to_server' | 'to_client';
}

export const appLayerProtocol: KeywordDescriptor<AppLayerProtocolOption> = {
  name: 'app-layer-protocol',
  description: 'Matches flows whose detected application protocol is (or with ! is not) the given one.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const t = (v ?? '').trim();
    const m = /^(!?)\s*([a-z0-9_-]+)\s*(?:,\s*(to_server|to_client|either|final|original|direction))?$/i.exec(
      t,
    );
    if (!m) return kwError('app-layer-protocol', `bad protocol "${t}"`);
    const dir = m[3]?.toLowerCase();
    return {
      negated: m[1] === '!',
      protocol: m[2]!.toLowerCase(),
      ...(dir === 'to_server' || dir === 'to_client' ? { direction: dir } : {}),
    };
  },
  attach: attachCondition,
};

export interface StreamSizeOption {
  side: 'server' | 'client' | 'both' | 'either';
  test: NumberTest;
}

export const streamSize: KeywordDescriptor<StreamSizeOption> = {
  name: 'stream_size',
  description: 'Compares the bytes seen so far on the server, client, both or either side of the TCP stream.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const [side, op, num, ...rest] = commaList(v);
    if (side !== 'server' && side !== 'client' && side !== 'both' && side !== 'either')
      return kwError('stream_size', `side must be server, client, both or either, got "${side ?? ''}"`);
    const ops: Record<string, NumberTest['op']> = {
      '<': '<',
      '>': '>',
      '=': '=',
      '!=': '!=',
      '<=': '<=',
      '>=': '>=',
    };
    const o = ops[op ?? ''];
    if (!o) return kwError('stream_size', `bad operator "${op ?? ''}"`);
    const n = parseInteger('stream_size', num);
    if (typeof n !== 'number') return n;
    if (rest.length) return kwError('stream_size', `unexpected "${rest.join(',')}"`);
    return { side, test: { op: o, value: n } };
  },
  attach: attachCondition,
};

export const noalert: KeywordDescriptor<true> = {
  name: 'noalert',
  description: 'The rule matches (e.g. to set flowbits) but never raises an alert itself.',
  support: 'full',
  affectsMatch: false,
  value: 'none',
  parse: () => true,
  attach: attachCondition,
};

const TLS_VERSIONS: Record<string, number> = { '1.0': 0x0301, '1.1': 0x0302, '1.2': 0x0303, '1.3': 0x0304 };

export const tlsVersion: KeywordDescriptor<number> = {
  name: 'tls.version',
  description: 'Matches the TLS protocol version (1.0, 1.1, 1.2, 1.3 or a 0x hex value).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const t = (v ?? '').trim().replace(/^"|"$/g, '');
    return TLS_VERSIONS[t] ?? parseInteger('tls.version', t, 0, 0xffff);
  },
  attach: attachCondition,
};

const SSL_VERSIONS = ['sslv2', 'sslv3', 'tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'];

export const sslVersion: KeywordDescriptor<Array<{ negated: boolean; version: string }>> = {
  name: 'ssl_version',
  description: 'Matches any of the listed SSL/TLS versions (! negates one).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const out: Array<{ negated: boolean; version: string }> = [];
    for (const item of commaList(v)) {
      const negated = item.startsWith('!');
      const version = item.replace(/^!/, '').trim().toLowerCase();
      if (!SSL_VERSIONS.includes(version)) return kwError('ssl_version', `unknown version "${item}"`);
      out.push({ negated, version });
    }
    return out.length ? out : kwError('ssl_version', 'no versions');
  },
  attach: attachCondition,
};

const SSL_STATES = ['client_hello', 'server_hello', 'client_keyx', 'server_keyx', 'unknown'];

export const sslState: KeywordDescriptor<Array<{ negated: boolean; state: string }>> = {
  name: 'ssl_state',
  description: 'Matches the TLS handshake state (client_hello, server_hello ...; | for any, ! to negate).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const out: Array<{ negated: boolean; state: string }> = [];
    for (const item of (v ?? '').split(/[|,]/).map((s) => s.trim())) {
      const negated = item.startsWith('!');
      const state = item.replace(/^!/, '');
      if (!SSL_STATES.includes(state)) return kwError('ssl_state', `unknown state "${item}"`);
      out.push({ negated, state });
    }
    return out;
  },
  attach: attachCondition,
};

/** Legacy TLS keywords that take a quoted value instead of a sticky buffer. */
function legacyTls(name: string, what: string): KeywordDescriptor<{ negated: boolean; value: string }> {
  return {
    name,
    description: `Legacy form: matches the certificate ${what} against a value (prefer the sticky buffer).`,
    support: 'full',
    affectsMatch: true,
    value: 'required',
    parse: (v) => {
      let t = (v ?? '').trim();
      const negated = t.startsWith('!');
      if (negated) t = t.slice(1).trim();
      t = t.replace(/^"|"$/g, '');
      if (t === '') return kwError(name, 'empty value');
      return { negated, value: t };
    },
    attach: attachCondition,
  };
}

export const tlsLegacy = [
  legacyTls('tls.fingerprint', 'SHA-1 fingerprint'),
  legacyTls('tls.subject', 'subject'),
  legacyTls('tls.issuerdn', 'issuer'),
];
