/**
 * Snort-era content modifiers that move the preceding content into an HTTP
 * buffer (`content:"x"; http_uri;`). They normalise to the same buffer names
 * as Suricata's sticky buffers, so both syntaxes give one AST.
 */
import type { KeywordDescriptor } from './types.js';

/** Snort modifier → canonical buffer. */
export const MODIFIER_BUFFERS: Readonly<Record<string, string>> = {
  http_uri: 'http.uri',
  http_raw_uri: 'http.uri.raw',
  http_header: 'http.header',
  http_raw_header: 'http.header.raw',
  http_method: 'http.method',
  http_cookie: 'http.cookie',
  http_raw_cookie: 'http.cookie',
  http_client_body: 'http.request_body',
  http_server_body: 'http.response_body',
  http_stat_code: 'http.stat_code',
  http_stat_msg: 'http.stat_msg',
  http_user_agent: 'http.user_agent',
  http_host: 'http.host',
  http_raw_host: 'http.host.raw',
  http_referer: 'http.referer',
};

function bufferModifier(name: string, buffer: string): KeywordDescriptor<true> {
  return {
    name,
    description: `Moves the preceding content into the ${buffer} buffer (Snort-era modifier form).`,
    support: name === 'http_raw_cookie' ? 'partial' : 'full',
    ...(name === 'http_raw_cookie' ? { supportNote: 'matched on the normalised cookie value' } : {}),
    affectsMatch: true,
    value: 'none',
    parse: () => true,
    attach: (_o, rule) => {
      const c = rule.contentFor(name);
      if ('error' in c) return c.error;
      if (c.buffer !== 'pkt' && c.buffer !== buffer)
        return `${name}: content "${c.text}" is already in buffer ${c.buffer}`;
      c.buffer = buffer;
      return undefined;
    },
  };
}

export const bufferModifiers: KeywordDescriptor<true>[] = Object.entries(MODIFIER_BUFFERS).map(
  ([name, buffer]) => bufferModifier(name, buffer),
);
