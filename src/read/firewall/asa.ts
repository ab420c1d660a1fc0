/**
 * Cisco ASA / PIX / FWSM messages: `%ASA-6-302013: Built ...`, also with the
 * tag missing or in odd framings. One table of message bodies, tried by id
 * first and then all, so untagged bodies still parse.
 */
import { type Body, asaBodies as bodies, type Fields } from './asa-messages.js';
import type { FirewallRecord } from './record.js';

const tagPattern = /(?:^|[\s|:])%?(?:((?:ASA|PIX|FWSM|FTD)-(?:[a-z]+-)?(\d)-(\d{6}))|(\d{6})):\s*/;

const byId = new Map<string, Body[]>();
for (const b of bodies) for (const id of b.ids) byId.set(id, [...(byId.get(id) ?? []), b]);

/**
 * Parses an ASA/PIX message (tagged or bare); undefined when no known body fits.
 *
 * @example parseAsaMessage('%ASA-2-106001: Inbound TCP connection denied from 1.2.3.4/5 to 6.7.8.9/22 flags SYN on interface out', ts, host, raw)
 */
export function parseAsaMessage(
  msg: string,
  ts: number,
  host: string | undefined,
  raw: string,
): FirewallRecord | undefined {
  const tag = tagPattern.exec(msg);
  let body = msg;
  let id: string | undefined;
  if (tag) {
    id = tag[3] ?? tag[4];
    body = msg.slice(tag.index + tag[0].length);
  }
  const first = id !== undefined ? byId.get(id) : undefined;
  const f = tryBodies(first, body) ?? tryBodies(bodies, body);
  if (!f) return undefined;
  const r: FirewallRecord = { reader: 'firewall', format: 'asa', ts, raw, ...f };
  if (host !== undefined) r.host = host;
  if (tag?.[1] !== undefined) {
    r.attrs.tag = tag[1];
    r.attrs.level = Number(tag[2]);
  }
  if (id !== undefined) r.attrs.messageId = id;
  return r;
}

function tryBodies(list: readonly Body[] | undefined, body: string): Fields | undefined {
  if (!list) return undefined;
  for (const b of list) {
    const m = b.re.exec(body);
    if (m) return b.build(m);
  }
  return undefined;
}

/** True when a message carries an ASA/PIX/FWSM/FTD tag. */
export function hasAsaTag(msg: string): boolean {
  return /%?(?:ASA|PIX|FWSM|FTD)-(?:[a-z]+-)?\d-\d{6}:/.test(msg);
}
