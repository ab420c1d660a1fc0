import type { PcreMatch } from '../ast.js';
import { clip } from '../parse/tokenize.js';
import { translatePcre } from './pcre-translate.js';
import { type KeywordDescriptor, type KeywordError, kwError } from './types.js';

/** Buffer-selecting pcre flags (Snort and Suricata) → canonical buffer. */
export const PCRE_BUFFER_FLAGS: Readonly<Record<string, string>> = {
  U: 'http.uri',
  I: 'http.uri.raw',
  P: 'http.request_body',
  Q: 'http.response_body',
  H: 'http.header',
  D: 'http.header.raw',
  M: 'http.method',
  C: 'http.cookie',
  K: 'http.cookie',
  S: 'http.stat_code',
  Y: 'http.stat_msg',
  V: 'http.user_agent',
  W: 'http.host',
  Z: 'http.host.raw',
};

export type PcreOption = Omit<PcreMatch, 'kind' | 'buffer' | 'transforms'> & {
  flagBuffer?: string;
  rawbytes: boolean;
};

export const MAX_PCRE_LENGTH = 16384;

/** Parses `"/regex/flags"` or `!"/regex/flags"` (quotes optional). */
export function parsePcre(value: string | undefined): PcreOption | KeywordError {
  let v = (value ?? '').trim();
  let negated = false;
  if (v.startsWith('!')) {
    negated = true;
    v = v.slice(1).trim();
  }
  // Suricata also takes the unquoted form `pcre:/x/U;`.
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
  else if (!v.startsWith('/')) return kwError('pcre', `must be "/regex/flags": ${clip(v)}`);
  if (v.length > MAX_PCRE_LENGTH)
    return kwError('pcre', `expression longer than ${MAX_PCRE_LENGTH} characters`);
  const end = v.lastIndexOf('/');
  if (!v.startsWith('/') || end < 1) return kwError('pcre', `expected /regex/flags, got "${clip(v)}"`);
  const source = v.slice(1, end);
  const flags = v.slice(end + 1);
  const f = {
    caseless: false,
    dotall: false,
    multiline: false,
    extended: false,
    ungreedy: false,
    dollarEndOnly: false,
  };
  let relative = false;
  let anchored = false;
  let rawbytes = false;
  let flagBuffer: string | undefined;
  for (const ch of flags) {
    if (ch === 'i') f.caseless = true;
    else if (ch === 's') f.dotall = true;
    else if (ch === 'm') f.multiline = true;
    else if (ch === 'x') f.extended = true;
    else if (ch === 'G') f.ungreedy = true;
    else if (ch === 'E') f.dollarEndOnly = true;
    else if (ch === 'A') anchored = true;
    else if (ch === 'R') relative = true;
    else if (ch === 'B') rawbytes = true;
    else if (ch === 'O') {
      // Overrides match limits; the JS engine has none to override.
    } else if (PCRE_BUFFER_FLAGS[ch]) {
      if (flagBuffer && flagBuffer !== PCRE_BUFFER_FLAGS[ch])
        return kwError('pcre', `flags "${flags}" select two buffers`);
      flagBuffer = PCRE_BUFFER_FLAGS[ch];
    } else return kwError('pcre', `unknown flag "${ch}" in "${clip(flags)}"`);
  }
  if (new Set(flags).size !== flags.length) return kwError('pcre', `repeated flag in "${flags}"`);
  const js = translatePcre(source, f);
  if ('error' in js) return kwError('pcre', `${js.error} in /${clip(source)}/`);
  return {
    negated,
    source,
    flags,
    relative,
    rawbytes,
    js: { ...js, anchored },
    ...(flagBuffer ? { flagBuffer } : {}),
  };
}

export const pcre: KeywordDescriptor<PcreOption> = {
  name: 'pcre',
  description:
    'Matches a Perl-compatible regular expression in the current buffer (or the buffer its flags name).',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => parsePcre(v),
  attach: (o, rule) => {
    let buffer = rule.buffer;
    if (o.flagBuffer) {
      const same =
        buffer === o.flagBuffer || (buffer === 'file.data' && o.flagBuffer === 'http.response_body');
      if (buffer !== 'pkt' && !same)
        return `pcre: flag selects ${o.flagBuffer} but the sticky buffer is ${buffer}`;
      if (buffer === 'pkt') buffer = o.flagBuffer;
    }
    const m: PcreMatch = {
      kind: 'pcre',
      buffer,
      transforms: buffer === rule.buffer ? [...rule.transforms] : [],
      negated: o.negated,
      source: o.source,
      flags: o.flags,
      relative: o.relative,
      js: o.js,
    };
    return rule.addMatch(m);
  },
};
