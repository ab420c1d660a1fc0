/**
 * logstash-patterns-core's RSpec cases (Cisco ASA/PIX, SuSE/netfilter,
 * Apache/nginx, syslog) read at test time from the shared data, mapped from
 * ECS names to ours and compared field for field. Reports the match rate per
 * file and lists every miss; fields our model does not carry are listed apart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import { normalizeLogRecord } from '../normalize/index.js';
import { firewallReader } from './firewall/index.js';
import { parseSyslogHeader } from './syslog/header.js';
import { syslogReader } from './syslog/index.js';
import { defaultLineContext, isProblem, type LogReader, type LogRecordBase } from './syslog/types.js';
import { parseSpecCases, type RubyValue } from './testing/ruby-spec.js';
import { weblogReader } from './weblog/index.js';

type View = Record<string, unknown>;

/** ECS path → where our record/event keeps it. */
const mapping: Record<string, (v: View) => unknown> = {
  'source.ip': (v) => v.src,
  'source.address': (v) => v.src,
  'source.port': (v) => v.srcPort,
  'destination.ip': (v) => v.dst,
  'destination.address': (v) => v.dst,
  'destination.port': (v) => v.dstPort,
  'source.user.name': (v) => v.user,
  'user.name': (v) => v.user,
  'cisco.asa.network.transport': (v) => v.proto,
  'network.transport': (v) => v.proto,
  'cisco.asa.outcome': (v) => a(v).outcome,
  'cisco.asa.network.direction': (v) => a(v).direction,
  'cisco.asa.rule_name': (v) => v.rule,
  'cisco.asa.icmp_type': (v) => a(v).icmpType,
  'cisco.asa.icmp_code': (v) => a(v).icmpCode,
  'cisco.asa.icmp_seq': (v) => a(v).icmpSeq,
  'cisco.asa.tcp_flags': (v) => a(v).flags,
  'cisco.asa.connection_id': (v) => a(v).connId,
  'cisco.asa.tag': (v) => a(v).tag ?? v.ciscoTag,
  'cisco.asa.network.type': (v) => a(v).networkType,
  'cisco.asa.source.group': (v) => a(v).group,
  'cisco.asa.ipsec.spi': (v) => a(v).spi,
  'cisco.asa.ipsec.seq_num': (v) => a(v).seq,
  'cisco.asa.ipsec.protocol': (v) => a(v).ipsecProto,
  'cisco.asa.ipsec.tunnel_type': (v) => a(v).tunnelType,
  'cisco.asa.burst.object': (v) => a(v).object,
  'cisco.asa.burst.id': (v) => a(v).rateId,
  'cisco.asa.burst.current_rate': (v) => a(v).burstRate,
  'cisco.asa.burst.configured_rate': (v) => a(v).burstMax,
  'cisco.asa.burst.avg_rate': (v) => a(v).avgRate,
  'cisco.asa.burst.configured_avg_rate': (v) => a(v).avgMax,
  'cisco.asa.burst.cumulative_count': (v) => a(v).total,
  'cisco.asa.original_ip_payload.source.ip': (v) => a(v).origSrc,
  'cisco.asa.original_ip_payload.source.port': (v) => a(v).origSrcPort,
  'cisco.asa.original_ip_payload.destination.ip': (v) => a(v).origDst,
  'cisco.asa.original_ip_payload.destination.port': (v) => a(v).origDstPort,
  'cisco.asa.original_ip_payload.network.transport': (v) => a(v).origProto,
  'observer.ingress.interface.name': (v) => v.inIface,
  'observer.egress.interface.name': (v) => v.outIface,
  'source.nat.ip': (v) => a(v).srcNatIp ?? a(v).natIp,
  'source.nat.port': (v) => a(v).srcNatPort ?? a(v).natPort,
  'event.reason': (v) => a(v).reason,
  switch_reason: (v) => a(v).reason,
  'url.original': (v) => (v.http as View | undefined)?.uri ?? a(v).url,
  timestamp: (v) => v.timestampText ?? a(v).timestamp,
  'log.syslog.priority': (v) => v.pri,
  'host.hostname': (v) => v.host,
  'observer.hostname': (v) => v.host,
  'process.name': (v) => v.app,
  'process.pid': (v) => v.pid ?? a(v).pid,
  'process.thread.id': (v) => a(v).tid,
  'system.syslog.version': (v) => (v.version === undefined ? undefined : String(v.version)),
  'system.syslog.structured_data': (v) => v.structuredData,
  'event.code': (v) => v.msgid,
  'log.level': (v) => v.level,
  'error.code': (v) => a(v).errorCode,
  'apache.error.module': (v) => a(v).module,
  'apache.error.proxy.error.code': (v) => a(v).aprCode,
  'apache.error.proxy.error.message': (v) => a(v).aprMessage,
  'http.request.method': (v) => h(v).method,
  'http.request.referrer': (v) => h(v).referrer,
  'http.response.status_code': (v) => h(v).status,
  'http.response.body.bytes': (v) => h(v).bytes,
  'http.version': (v) => h(v).version,
  'user_agent.original': (v) => h(v).userAgent,
  'suse.firewall.log_prefix': (v) => v.rule,
  'suse.firewall.action': (v) => a(v).sfw2Action,
  'source.mac': (v) => a(v).srcMac,
  'destination.mac': (v) => a(v).dstMac,
  'iptables.length': (v) => v.bytes,
  'iptables.id': (v) => a(v).ipId,
  'iptables.ttl': (v) => a(v).ttl,
  'iptables.tos': (v) => hex(a(v).tos),
  'iptables.precedence_bits': (v) => hex(a(v).prec),
  'iptables.tcp_reserved_bits': (v) => hex(a(v).res),
  'iptables.flow_label': (v) => a(v).flowlbl,
  'iptables.tcp.window': (v) => a(v).window,
  'iptables.fragment_flags': (v) => flag(v, 'DF'),
  'iptables.tcp.flags': (v) => flag(v, 'SYN'),
  'system.auth.pam.module': (v) => a(v).pamModule,
  'system.auth.pam.origin': (v) => a(v).pamOrigin,
  'system.auth.pam.session_state': (v) => a(v).pamSessionState,
  'system.cron.action': (v) => a(v).cronAction,
  // CRONLOG puts the job's command in `message`; we keep it apart from the message.
  message: (v) => a(v).cronCommand ?? v.text ?? v.msg,
};
const a = (v: View) => (v.attrs ?? {}) as Record<string, unknown>;
const h = (v: View) => (v.http ?? {}) as Record<string, unknown>;
const hex = (x: unknown) => (typeof x === 'string' ? x.replace(/^0x/, '') : x);
const flag = (v: View, f: string) =>
  String(a(v).flags ?? '')
    .split(' ')
    .includes(f)
    ? `${f}${f === 'SYN' ? ' ' : ''}`
    : undefined;

function equal(ours: unknown, expected: RubyValue): boolean {
  if (typeof expected === 'number') return Number(ours) === expected;
  if (typeof expected === 'string')
    return typeof ours === 'string'
      ? ours.toLowerCase() === expected.toLowerCase()
      : String(ours) === expected;
  return false;
}

type Parse = (line: string) => View | undefined;
const ctx = defaultLineContext({ referenceTime: Date.UTC(2030, 11, 31) / 1000 });
function viewOf(reader: Pick<LogReader, 'parseLine'>): Parse {
  return (line) => {
    const r = reader.parseLine(line, { ...ctx });
    if (!r || isProblem(r)) return undefined;
    const e = normalizeLogRecord(r as LogRecordBase, { line: 1 });
    const hdr = parseSyslogHeader(line, ctx);
    const view: View = { ...(hdr ?? {}), ...r, ...(e ?? {}) };
    if (hdr) {
      view.timestampText = hdr.timestampText;
      view.pri = hdr.pri;
      if (hdr.host !== undefined) view.host = hdr.host;
      view.msg = hdr.msg;
    }
    const tag = /%([A-Z0-9_]+-\d-[A-Z0-9_]+):/.exec(line);
    if (tag) view.ciscoTag = tag[1];
    view.attrs = { ...(r as { attrs?: object }).attrs, ...(e?.attrs ?? {}) };
    return view;
  };
}

/**
 * logstash names ASA endpoints by where they stand in the text (the `for`
 * side of 302013-302018 and the laddr of 302020/302021 are its source); our
 * reader names the side that opened the connection (asa-messages.ts). Where
 * the two differ (outbound TCP/UDP, inbound ICMP) the view is turned back to
 * text order before comparing.
 */
function inTextOrder(parse: Parse): Parse {
  return (line) => {
    const v = parse(line);
    if (!v) return v;
    const at = a(v);
    const id = String(at.messageId ?? '');
    const turned =
      (/^30201[3-8]$/.test(id) && at.direction === 'outbound') ||
      (/^30202[01]$/.test(id) && at.direction === 'inbound');
    if (!turned) return v;
    const attrs = {
      ...at,
      srcNatIp: at.dstNatIp,
      srcNatPort: at.dstNatPort,
      dstNatIp: at.srcNatIp,
      dstNatPort: at.srcNatPort,
    };
    return {
      ...v,
      src: v.dst,
      dst: v.src,
      srcPort: v.dstPort,
      dstPort: v.srcPort,
      inIface: v.outIface,
      outIface: v.inIface,
      attrs,
    };
  };
}

/**
 * Floors: share of fields that match, share of cases whose every field
 * matches. Measured: firewalls 172/173 fields, 31/32 cases (the miss is
 * 110002's port 123412, past 65535, which the reader refuses); syslog 61/61,
 * 16/16; httpd 62/62, 10/10.
 */
const files: Array<[string, Parse, { fields: number; cases: number }]> = [
  ['firewalls_spec.rb', inTextOrder(viewOf(firewallReader)), { fields: 0.99, cases: 0.96 }],
  ['httpd_spec.rb', viewOf(weblogReader), { fields: 0.95, cases: 0.95 }],
  ['syslog_spec.rb', viewOf(syslogReader), { fields: 1, cases: 1 }],
];

for (const [file, parse, floor] of files) {
  const d = sharedData(`logs/logstash-patterns-core/spec/patterns/${file}`);
  test(`logstash-patterns-core ${file}: fields match`, { skip: d.skip }, () => {
    const cases = parseSpecCases(readFileSync(d.path, 'utf8'));
    let fields = 0;
    let matched = 0;
    let casesWith = 0;
    let casesOk = 0;
    const misses: string[] = [];
    const notModelled: string[] = [];
    const skipped: string[] = [];
    for (const c of cases) {
      if (c.message === undefined) {
        skipped.push(`${c.name} (line ${c.line}): message not extractable: ${c.unextractable ?? 'none'}`);
        continue;
      }
      const entries = [...c.expected].filter(([k, v]) => !(k === 'message' && v === c.message));
      if (entries.length === 0) continue;
      const view = parse(c.message);
      let ok = true;
      let counted = 0;
      for (const [key, raw] of entries) {
        const expected = key === 'message' && Array.isArray(raw) ? raw[1]! : raw;
        const get = mapping[key];
        if (!get) {
          notModelled.push(`${c.name}: ${key}=${JSON.stringify(expected)}`);
          continue;
        }
        if (typeof expected === 'object') {
          skipped.push(`${c.name}: ${key} has a computed value`);
          continue;
        }
        counted++;
        fields++;
        const ours = view ? get(view) : undefined;
        if (equal(ours, expected)) matched++;
        else {
          ok = false;
          misses.push(
            `${c.name}: ${key} expected ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}${view ? '' : ' (line not parsed)'}`,
          );
        }
      }
      if (counted > 0) {
        casesWith++;
        if (ok) casesOk++;
      }
    }
    const rate = fields ? matched / fields : 0;
    console.log(
      `${file}: ${matched}/${fields} fields (${(100 * rate).toFixed(1)}%), ${casesOk}/${casesWith} cases field for field\n` +
        `  misses:\n    ${misses.join('\n    ') || '(none)'}\n` +
        `  not modelled:\n    ${notModelled.join('\n    ') || '(none)'}\n` +
        `  skipped:\n    ${skipped.join('\n    ') || '(none)'}`,
    );
    assert.ok(fields > 0);
    assert.ok(
      rate >= floor.fields,
      `field match rate ${(100 * rate).toFixed(1)}% below ${floor.fields * 100}%`,
    );
    const caseRate = casesWith ? casesOk / casesWith : 0;
    assert.ok(
      caseRate >= floor.cases,
      `cases matching field for field ${(100 * caseRate).toFixed(1)}% below ${floor.cases * 100}%`,
    );
  });
}
