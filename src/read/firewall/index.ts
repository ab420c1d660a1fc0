/**
 * The firewall reader: netfilter LOG / UFW (kernel log or syslog), pf
 * `filterlog` CSV and Cisco ASA/PIX, told apart per line by content.
 */
import { parseSyslogHeader } from '../syslog/header.js';
import { type SyslogRecord, syslogRecord } from '../syslog/record.js';
import { type LineContext, type LineResult, type LogReader, lineProblem } from '../syslog/types.js';
import { hasAsaTag, parseAsaMessage } from './asa.js';
import { isNetfilterMessage, parseNetfilterMessage } from './iptables.js';
import { parsePfMessage } from './pf.js';
import type { FirewallRecord } from './record.js';

export { parseAsaMessage } from './asa.js';
export { parseNetfilterMessage } from './iptables.js';
export { parsePfMessage } from './pf.js';
export { actionFromPrefix, type FirewallAction, type FirewallKind, type FirewallRecord } from './record.js';

/**
 * Parses a firewall message (after any syslog header) by content; undefined when none fits.
 *
 * @example parseFirewallMessage('filterlog', '5,,,1,em0,match,block,in,4,...', ts, 'fw', raw, ctx)
 */
export function parseFirewallMessage(
  app: string | undefined,
  msg: string,
  ts: number,
  host: string | undefined,
  raw: string,
  ctx: LineContext,
): FirewallRecord | undefined {
  if (app === 'filterlog') return parsePfMessage(msg, ts, host, raw);
  if (isNetfilterMessage(msg)) return parseNetfilterMessage(msg, ts, host, raw, ctx);
  return parseAsaMessage(msg, ts, host, raw);
}

/** True when a syslog message is one the firewall reader claims. */
export function isFirewallMessage(app: string | undefined, msg: string): boolean {
  return app === 'filterlog' || isNetfilterMessage(msg) || hasAsaTag(msg);
}

export const firewallReader: LogReader<FirewallRecord | SyslogRecord> = {
  name: 'firewall',
  description:
    'Firewall logs: iptables/nftables LOG and UFW lines, pf/pfSense filterlog CSV, Cisco ASA/PIX messages',
  sniff(lines) {
    let n = 0;
    let hits = 0;
    for (const l of lines) {
      if (l === '') continue;
      n++;
      if (isNetfilterMessage(l) || l.includes(' filterlog') || hasAsaTag(l)) hits++;
    }
    return n === 0 ? 0 : Math.min(1, (hits / n) * 1.2);
  },
  parseLine(line: string, ctx: LineContext): LineResult<FirewallRecord | SyslogRecord> {
    if (line === '' || line.startsWith('-- ')) return null;
    const h = parseSyslogHeader(line, ctx);
    if (h) {
      const r = parseFirewallMessage(h.app, h.msg, h.ts, h.host, line, ctx);
      if (r) {
        if (h.pri !== undefined) r.attrs.pri = h.pri;
        return r;
      }
      if (isFirewallMessage(h.app, h.msg))
        return lineProblem(ctx, 'firewall.unparsed', 'firewall message not understood; skipped');
      return syslogRecord(h, line);
    }
    // No header: dmesg output or a bare message; time is unknown, so the reference time stands in.
    const r = parseFirewallMessage(undefined, line, ctx.referenceTime, undefined, line, ctx);
    if (r) {
      r.attrs.noTimestamp = 1;
      return r;
    }
    return lineProblem(
      ctx,
      'firewall.no-header',
      'line has no syslog header and is no known firewall message; skipped',
    );
  },
};
