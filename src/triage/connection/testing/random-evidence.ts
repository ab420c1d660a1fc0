/**
 * For tests: random triage evidence (flows, events, HTTP transactions, alert
 * groups) fitting the question or not, with NaN counts and hostile text, and
 * a lookup that answers every question with it. Shared by the property tests
 * of the triage steps.
 */
import fc from 'fast-check';
import type { TriState } from '../../../schema/alarm.js';
import { type Event, eventTypes, sourceKinds } from '../../../schema/event.js';
import { ConnState, type FlowRecord } from '../../../schema/flow.js';
import type { HttpTransaction } from '../../../schema/session.js';
import { type AlertGroup, groupAlerts } from '../../group.js';
import type { TriageLookup } from '../../lookup.js';

export const addr = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '::1', '');
export const port = fc.oneof(fc.constantFrom(22, 80, 7, 3), fc.integer({ min: -1, max: 70000 }));
export const count = fc.oneof(
  fc.integer({ min: 0, max: 50 }),
  fc.integer({ min: -5, max: 1_000_000 }),
  fc.double(),
);
export const time = fc.oneof(fc.double({ min: 999, max: 1010, noNaN: true }), fc.double());
const proto = fc.constantFrom('tcp', 'udp', 'icmp', 'unknown_transport') as fc.Arbitrary<FlowRecord['proto']>;

export const flowArb: fc.Arbitrary<FlowRecord> = fc.record({
  ts: time,
  uid: fc.string({ maxLength: 4 }),
  origH: addr,
  origP: port,
  respH: addr,
  respP: port,
  proto,
  service: fc.constantFrom('', 'http', 'ssh', 'http,ssh'),
  duration: count,
  origBytes: count,
  respBytes: count,
  connState: fc.constantFrom(...ConnState.options, ''),
  missedBytes: count,
  history: fc.stringMatching(/^\^?[SsHhAaDdFfRrTtWwQqIi]{0,8}$/),
  origPkts: count,
  origIpBytes: count,
  respPkts: count,
  respIpBytes: count,
  ipProto: fc.constantFrom(6, 17, 1),
  origWireBytes: count,
  respWireBytes: count,
  communityId: fc.constantFrom('', '1:a', '1:b'),
});

/** Text an attacker controls: escapes, bidi overrides, any code unit. */
export const hostile = fc.oneof(
  fc.constantFrom('root', '\u001b[2J\u001b]0;owned\u0007', 'adm\u202enimda', '<script>alert(1)</script>', ''),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
/** What no verdict sentence may carry raw. */
export const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const attrVal = fc.oneof(
  fc.string({ maxLength: 6 }),
  count,
  fc.constantFrom('flow', 'to_client', '1:a', '1:b'),
);
export const eventArb: fc.Arbitrary<Event> = fc.record(
  {
    ts: time,
    uid: fc.string({ maxLength: 4 }),
    type: fc.constantFrom(...eventTypes),
    classUid: fc.constant(4001 as const),
    activityId: fc.integer({ min: 0, max: 6 }),
    src: addr,
    dst: addr,
    srcPort: port,
    dstPort: port,
    proto: fc.constantFrom('tcp', 'udp', 'icmp', '6'),
    action: fc.constantFrom('allowed', 'denied', 'unknown') as fc.Arbitrary<Event['action']>,
    packets: count,
    bytes: count,
    user: hostile,
    message: hostile,
    source: fc.record({
      kind: fc.constantFrom(...sourceKinds),
      format: fc.constantFrom('nfcapd', 'nfdump-csv', 'openssh', 'combined', 'suricata-eve'),
      file: fc.constantFrom('a.log', 'auth.log'),
      line: fc.integer({ min: 1, max: 99 }),
      host: hostile,
    }),
    http: fc.record(
      {
        uri: fc.constantFrom('/', '/rom-0', '<script>'),
        status: fc.integer({ min: -1, max: 600 }),
        bytes: fc.nat(),
        userAgent: fc.string(),
      },
      { requiredKeys: [] },
    ),
    attrs: fc.dictionary(
      fc.constantFrom(
        'communityId',
        'tcpFlags',
        'eventType',
        'pktsToServer',
        'pktsToClient',
        'bytesToServer',
        'bytesToClient',
        'tcpFlagsToServer',
        'tcpFlagsToClient',
        'conn_state',
        'history',
        'orig_pkts',
        'resp_pkts',
        'end',
        'sid',
        'direction',
        'samplingInterval',
        'flowId',
        'txId',
        'appProto',
        'contentType',
      ),
      attrVal,
    ),
  },
  { requiredKeys: ['ts', 'uid', 'type', 'classUid', 'activityId', 'src', 'message', 'source'] },
);

/**
 * HTTP transactions; with `hostileText` the method, content type and server
 * also come from attacker-controlled text.
 * @example fc.array(httpArb(true), { maxLength: 3 })
 */
export function httpArb(hostileText: boolean): fc.Arbitrary<HttpTransaction> {
  const text = (plain: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    hostileText ? fc.oneof(plain, hostile) : plain;
  return fc.record({
    ts: time,
    uid: fc.string({ maxLength: 4 }),
    origH: addr,
    origP: port,
    respH: addr,
    respP: port,
    transDepth: fc.integer({ min: -1, max: 3 }),
    method: text(fc.constantFrom('GET', 'POST', '')),
    uri: fc.constantFrom('/', '/rom-0', '\u202e<script>'),
    version: fc.constant('1.1'),
    host: fc.string({ maxLength: 5 }),
    userAgent: fc.string({ maxLength: 10 }),
    requestHeaders: fc.array(fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), {
      maxLength: 3,
    }),
    requestBodyLen: count,
    requestBodyPrefix: fc.string({ maxLength: 5 }),
    statusCode: fc.integer({ min: -1, max: 600 }),
    statusMsg: fc.string({ maxLength: 5 }),
    responseHeaders: fc.array(
      fc.tuple(fc.constantFrom('Server', 'Content-Type', 'x'), fc.string({ maxLength: 8 })),
      { maxLength: 3 },
    ),
    responseBodyLen: count,
    responseBodyPrefix: fc.string({ maxLength: 8 }),
    responseContentType: text(fc.constantFrom('', 'text/html', 'application/octet-stream')),
    server: text(fc.constantFrom('', 'nginx')),
  });
}

/**
 * A lookup that answers every question with the same random records, fitting
 * or not; with `hostileSsh` every SSH question gets a banner full of escapes,
 * otherwise none.
 * @example await connectionVerdict(group, randomLookup(flows, events, http, false))
 */
export function randomLookup(
  flows: FlowRecord[],
  events: Event[],
  http: HttpTransaction[],
  hostileSsh: boolean,
): TriageLookup {
  return {
    flows: async () => flows,
    http: async () => http,
    ssh: async (uid) => {
      if (!hostileSsh) return undefined;
      return {
        ts: 0,
        uid,
        origH: '',
        origP: 0,
        respH: '',
        respP: 22,
        client: '\u202eclient',
        server: 'SSH-2.0-\u001b[2J',
      };
    },
    events: async () => events,
    assets: async () => [],
    rule: () => undefined,
  };
}

export const tri = new Set<TriState>(['yes', 'no', 'unknown']);
export const alertsArb = fc.array(
  eventArb.map((e) => ({ ...e, type: 'ids-alert' as const, dst: e.dst || '10.0.0.2' })),
  { minLength: 1, maxLength: 4 },
);

/**
 * Runs `check` on every alert group of 400 random cases, each with a random
 * lookup (flows, events, HTTP; `hostile` adds attacker text to HTTP and SSH).
 * @example await forRandomGroups(false, async (g, lookup) => { const v = await connectionVerdict(g, lookup); ... });
 */
export async function forRandomGroups(
  hostile: boolean,
  check: (group: AlertGroup, lookup: TriageLookup) => Promise<void>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      alertsArb,
      fc.array(flowArb, { maxLength: 8 }),
      fc.array(eventArb, { maxLength: 8 }),
      fc.array(httpArb(hostile), { maxLength: 3 }),
      async (alerts, flows, events, http) => {
        for (const g of groupAlerts(alerts)) await check(g, randomLookup(flows, events, http, hostile));
      },
    ),
    { numRuns: 400 },
  );
}
