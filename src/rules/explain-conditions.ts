/**
 * Non-payload rule options in words: connection state, packet header tests,
 * sizes, alert rate (threshold, detection_filter), and the state rules share
 * (flowbits, xbits, flowint). Keywords without a phrase here fall back to
 * their registry description, so new keywords are never silently dropped.
 */
import type { NumberTest, RuleCondition } from './ast.js';
import { capitalize, numberTest, numOrVar, ordinal, seconds, times, trackWords } from './explain-words.js';
import type { StreamSizeOption } from './keywords/app-layer.js';
import type { FlowOption } from './keywords/flow.js';
import type { FlowbitsOption } from './keywords/flowbits.js';
import type { FlowintOption } from './keywords/flowint.js';
import { keyword } from './keywords/index.js';
import type { FlagsOption, FragbitsOption } from './keywords/packet-header.js';
import type { UrilenOption } from './keywords/sizes.js';
import type { TagOption } from './keywords/tag.js';
import type { DetectionFilterOption, ThresholdOption } from './keywords/threshold.js';
import type { XbitsOption } from './keywords/xbits.js';

/** rate: alert frequency; state: flags shared between rules; test: everything that decides a match. */
export type ConditionGroup = 'test' | 'rate' | 'state' | 'output';

export interface ExplainedCondition {
  keyword: string;
  group: ConditionGroup;
  sentence: string;
  /** True when Picket parses the keyword but does not evaluate it. */
  ignored: boolean;
}

const FLOW_WORDS: Readonly<Record<string, string>> = {
  established: 'on an established connection',
  not_established: 'before the connection is established',
  stateless: 'with or without a tracked connection',
  to_server: 'from client to server',
  to_client: 'from server to client',
  only_stream: 'only in reassembled stream data',
  no_stream: 'only in single packets, not reassembled stream data',
  only_frag: 'only in reassembled IP fragments',
  no_frag: 'only in unfragmented packets',
};

const TCP_FLAGS: Readonly<Record<string, string>> = {
  F: 'FIN',
  S: 'SYN',
  R: 'RST',
  P: 'PSH',
  A: 'ACK',
  U: 'URG',
  C: 'CWR',
  E: 'ECE',
};

const flagNames = (s: string, names: Readonly<Record<string, string>>) =>
  [...s].map((c) => names[c] ?? c).join('+');

function flagsWords(o: FlagsOption): string {
  if (o.flags === '0') return 'no TCP flags are set';
  const f = flagNames(o.flags, TCP_FLAGS);
  const ignore = o.mask ? `, ignoring ${flagNames(o.mask, TCP_FLAGS)}` : '';
  switch (o.modifier) {
    case '+':
      return `TCP flags include ${f} (others may be set)${ignore}`;
    case '*':
      return `any of the TCP flags ${f} is set${ignore}`;
    case '!':
      return `none of the TCP flags ${f} is set${ignore}`;
    default:
      return `TCP flags are exactly ${f}${ignore}`;
  }
}

const FRAG_BITS: Readonly<Record<string, string>> = {
  M: 'more-fragments',
  D: "don't-fragment",
  R: 'reserved',
};

function fragbitsWords(o: FragbitsOption): string {
  const b = flagNames(o.bits, FRAG_BITS);
  if (o.modifier === '!') return `none of the IP fragment bits ${b} is set`;
  if (o.modifier === '*') return `any of the IP fragment bits ${b} is set`;
  if (o.modifier === '+') return `the IP fragment bits include ${b}`;
  return `the IP fragment bits are exactly ${b}`;
}

const HEADER_FIELDS: Readonly<Record<string, string>> = {
  itype: 'ICMP type',
  icode: 'ICMP code',
  icmp_id: 'ICMP echo identifier',
  icmp_seq: 'ICMP echo sequence number',
  ttl: 'IP time-to-live',
  id: 'IP identification field',
  tos: 'IP type-of-service byte',
  window: 'TCP window size',
  seq: 'TCP sequence number',
  ack: 'TCP acknowledgement number',
  fragoffset: 'IP fragment offset',
};

const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'echo reply',
  3: 'destination unreachable',
  5: 'redirect',
  8: 'echo request, i.e. ping',
  11: 'time exceeded',
  13: 'timestamp request',
  14: 'timestamp reply',
  17: 'address mask request',
};

const IP_PROTOS: Readonly<Record<number, string>> = {
  1: 'ICMP',
  6: 'TCP',
  17: 'UDP',
  47: 'GRE',
  50: 'ESP',
  58: 'ICMPv6',
};

function testWithName(t: NumberTest, names: Readonly<Record<number, string>>): string {
  const name = t.op === '=' || t.op === '!=' ? names[t.value] : undefined;
  return `${numberTest(t)}${name ? ` (${name})` : ''}`;
}

function rateWords(keywordName: string, v: unknown): string {
  if (keywordName === 'detection_filter') {
    const o = v as DetectionFilterOption;
    const what =
      o.uniqueOn === 'dst_port'
        ? 'distinct destination ports'
        : o.uniqueOn === 'src_port'
          ? 'distinct source ports'
          : 'matches';
    return `alerts only once more than ${o.count} ${what} were seen within ${seconds(o.seconds)} ${trackWords(o.track)}, then on every further match`;
  }
  const o = v as ThresholdOption;
  const within = o.seconds !== undefined ? seconds(o.seconds) : 'the tracking period';
  switch (o.type) {
    case 'limit':
      return `alerts at most ${times(o.count)} per ${within} ${trackWords(o.track)}`;
    case 'threshold':
      return o.count === 1
        ? `alerts on every match ${trackWords(o.track)}`
        : `alerts on every ${ordinal(o.count)} match within ${within} ${trackWords(o.track)}`;
    case 'both':
      return `alerts once per ${within} ${trackWords(o.track)}, after the ${ordinal(o.count)} match`;
    case 'backoff':
      return `alerts on the ${ordinal(o.count)} match, then each time the count grows ${o.multiplier ?? 10}-fold, ${trackWords(o.track)}`;
    default:
      return `alert rate ${JSON.stringify(o)}`;
  }
}

function flowbitsWords(o: FlowbitsOption): string {
  const names = o.names.join(o.combine === 'and' ? ' and ' : ' or ');
  switch (o.command) {
    case 'set':
      return `sets the flag ${names} on the connection for later rules`;
    case 'unset':
      return `clears the flag ${names} on the connection`;
    case 'toggle':
      return `toggles the flag ${names} on the connection`;
    case 'isset':
      return `only when an earlier rule set ${names} on this connection`;
    case 'isnotset':
      return `only when no earlier rule set ${names} on this connection`;
    case 'noalert':
      return 'never alerts by itself (it only sets flags for other rules)';
    default:
      return `flowbits ${String((o as { command: string }).command)} ${names}`;
  }
}

const XBIT_TRACK: Readonly<Record<string, string>> = {
  ip_src: 'the source host',
  ip_dst: 'the destination host',
  ip_pair: 'the host pair',
};

function xbitsWords(o: XbitsOption): string {
  const on = XBIT_TRACK[o.track] ?? o.track;
  const expire = o.expire !== undefined ? ` for ${seconds(o.expire)}` : '';
  switch (o.command) {
    case 'set':
      return `sets the flag ${o.name} on ${on}${expire} for later rules`;
    case 'unset':
      return `clears the flag ${o.name} on ${on}`;
    case 'toggle':
      return `toggles the flag ${o.name} on ${on}`;
    case 'isset':
      return `only when an earlier rule set ${o.name} on ${on}`;
    case 'isnotset':
      return `only when no earlier rule set ${o.name} on ${on}`;
    default:
      return 'never alerts by itself (it only sets flags for other rules)';
  }
}

function flowintWords(o: FlowintOption): string {
  const v = o.value !== undefined ? numOrVar(o.value) : '';
  switch (o.op) {
    case '=':
      return `sets the connection counter ${o.name} to ${v}`;
    case '+':
      return `adds ${v} to the connection counter ${o.name}`;
    case '-':
      return `subtracts ${v} from the connection counter ${o.name}`;
    case 'isset':
      return `only when the connection counter ${o.name} is set`;
    case 'notset':
      return `only when the connection counter ${o.name} is not set`;
    default:
      return `only when the connection counter ${o.name} is ${o.op} ${v}`;
  }
}

const STATE = new Set(['flowbits', 'xbits', 'flowint', 'noalert']);

/** The sentence for one condition (without group). */
function conditionWords(c: RuleCondition): string {
  const v = c.value;
  const name = keyword(c.keyword)?.name ?? c.keyword;
  if (HEADER_FIELDS[name])
    return `the ${HEADER_FIELDS[name]} is ${testWithName(v as NumberTest, name === 'itype' ? ICMP_TYPES : {})}`;
  switch (name) {
    case 'flow': {
      const o = v as FlowOption;
      const parts = [o.state, o.direction, o.stream, o.frag].filter((x): x is NonNullable<typeof x> => !!x);
      return `only ${parts.map((p) => FLOW_WORDS[p] ?? p).join(', ')}`;
    }
    case 'flags':
      return flagsWords(v as FlagsOption);
    case 'fragbits':
      return fragbitsWords(v as FragbitsOption);
    case 'ipopts':
      return v === 'any'
        ? 'the IP header carries any option'
        : `the IP header carries the ${String(v)} option`;
    case 'ip_proto':
      return `the IP protocol is ${testWithName(v as NumberTest, IP_PROTOS)}`;
    case 'sameip':
      return 'the source and destination address are the same';
    case 'dsize':
      return `the packet payload is ${numberTest(v as NumberTest)} bytes`;
    case 'urilen': {
      const o = v as UrilenOption;
      return `the request URI${o.raw ? ' as sent' : ''} is ${numberTest(o.test)} bytes long`;
    }
    case 'stream_size': {
      const o = v as StreamSizeOption;
      const who =
        o.side === 'both' ? 'client and server each' : o.side === 'either' ? 'client or server' : o.side;
      return `the ${who} has sent ${numberTest(o.test)} bytes so far`;
    }
    case 'app-layer-protocol': {
      const o = v as { negated: boolean; protocol: string };
      return `the connection's application protocol is ${o.negated ? 'NOT ' : ''}${o.protocol}`;
    }
    case 'threshold':
    case 'detection_filter':
      return rateWords(name, v);
    case 'flowbits':
      return flowbitsWords(v as FlowbitsOption);
    case 'xbits':
      return xbitsWords(v as XbitsOption);
    case 'flowint':
      return flowintWords(v as FlowintOption);
    case 'noalert':
      return 'never alerts by itself (it only sets state for other rules)';
    case 'tls.version': {
      const names: Record<number, string> = { 769: '1.0', 770: '1.1', 771: '1.2', 772: '1.3' };
      const n = v as number;
      return `the TLS version is ${names[n] ?? `0x${n.toString(16)}`}`;
    }
    case 'ssl_version':
    case 'ssl_state': {
      const items = (v as Array<{ negated: boolean; version?: string; state?: string }>).map(
        (x) => `${x.negated ? 'not ' : ''}${x.version ?? x.state}`,
      );
      return name === 'ssl_version'
        ? `the SSL/TLS version is ${items.join(' or ')}`
        : `the TLS handshake state is ${items.join(' or ')}`;
    }
    case 'tls.subject':
    case 'tls.issuerdn':
    case 'tls.fingerprint': {
      const o = v as { negated: boolean; value: string };
      const what = { 'tls.subject': 'subject', 'tls.issuerdn': 'issuer', 'tls.fingerprint': 'fingerprint' }[
        name
      ];
      return `the certificate ${what} ${o.negated ? 'does NOT contain' : 'contains'} "${o.value}"`;
    }
    case 'tag': {
      const o = v as TagOption;
      return `after an alert, also records the next ${o.count} ${o.metric} of the ${o.scope}`;
    }
    default:
      return fallbackWords(c);
  }
}

/** A keyword without its own phrase: its registry description and value. */
function fallbackWords(c: RuleCondition): string {
  const d = keyword(c.keyword)?.description.replace(/\.$/, '') ?? c.keyword;
  const v = c.value;
  if (v === undefined || v === true) return `${c.keyword}: ${d}`;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return `${c.keyword} ${text.length > 120 ? `${text.slice(0, 120)}…` : text}: ${d}`;
}

/**
 * @example explainCondition({ keyword: 'threshold', value: { type: 'limit', track: 'by_src', count: 1, seconds: 60 } }).sentence
 * // 'Alerts at most once per 60 seconds per source'
 */
export function explainCondition(c: RuleCondition): ExplainedCondition {
  const kw = keyword(c.keyword);
  const name = kw?.name ?? c.keyword;
  const group: ConditionGroup =
    name === 'threshold' || name === 'detection_filter'
      ? 'rate'
      : STATE.has(name)
        ? 'state'
        : name === 'tag'
          ? 'output'
          : 'test';
  return {
    keyword: c.keyword,
    group,
    sentence: capitalize(conditionWords(c)),
    ignored: kw?.support === 'ignored',
  };
}
