import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../../test/support/env.js';
import { netflowToEvent } from '../../normalize/netflow.js';
import { eveReader } from '../../read/ids/eve.js';
import { parseNfdumpCsv } from '../../read/netflow/nfdump-csv.js';
import { sshdReader } from '../../read/sshd/index.js';
import type { LogReader } from '../../read/syslog/types.js';
import { zeekReader } from '../../read/zeek/index.js';
import { type Event, eventTypes, sourceKinds } from '../../schema/event.js';
import { authFromEvent, contactFromEvent } from './from-event.js';
import { eveLine, eventOf } from './testing/log-events.js';

const contactOf = (reader: LogReader, line: string) => contactFromEvent(eventOf(reader, line));
const zeek = (o: Record<string, unknown>) =>
  JSON.stringify({
    _path: 'conn',
    ts: 1795950731.5,
    uid: 'CjQ1a2',
    'id.orig_h': '10.99.1.66',
    'id.orig_p': 40000,
    'id.resp_h': '10.99.0.10',
    'id.resp_p': 81,
    proto: 'tcp',
    ...o,
  });

test('Zeek conn.log: S0 unanswered, REJ rejected, SF established with its service', () => {
  const s0 = contactOf(zeekReader, zeek({ conn_state: 'S0', history: 'S', orig_pkts: 1, resp_pkts: 0 }));
  assert.equal(s0?.outcome, 'unanswered');
  assert.equal(s0?.flagClass, 'syn');
  const rej = contactOf(zeekReader, zeek({ conn_state: 'REJ', history: 'Sr', orig_pkts: 1, resp_pkts: 1 }));
  assert.equal(rej?.outcome, 'rejected');
  const sf = contactOf(
    zeekReader,
    zeek({
      conn_state: 'SF',
      history: 'ShADadFf',
      service: 'ssh',
      duration: 2.5,
      orig_pkts: 20,
      resp_pkts: 18,
      orig_bytes: 2000,
      resp_bytes: 3000,
    }),
  );
  assert.equal(sf?.outcome, 'answered');
  assert.equal(sf?.established, true);
  assert.equal(sf?.service, 'ssh');
  assert.equal(sf?.respBytes, 3000);
  assert.equal(sf!.end - sf!.ts, 2.5);
  // A SYN answered by SYN-ACK and torn down by the scanner's RST: answered, not established.
  const shr = contactOf(zeekReader, zeek({ conn_state: 'RSTO', history: 'ShR', orig_pkts: 2, resp_pkts: 1 }));
  assert.equal(shr?.outcome, 'answered');
  assert.equal(shr?.established, false);
  // A FIN probe reset by a closed port.
  const fin = contactOf(zeekReader, zeek({ conn_state: 'RSTR', history: 'Fr', orig_pkts: 1, resp_pkts: 1 }));
  assert.equal(fin?.outcome, 'rejected');
});

test('Zeek conn.log ICMP: echo keeps its type, a port unreachable becomes an error reply to the prober', () => {
  const echo = contactOf(
    zeekReader,
    zeek({ proto: 'icmp', 'id.orig_p': 8, 'id.resp_p': 0, conn_state: 'OTH', orig_pkts: 1, resp_pkts: 1 }),
  );
  assert.equal(echo?.icmpType, 8);
  assert.equal(echo?.outcome, 'answered');
  const un = contactOf(
    zeekReader,
    zeek({
      proto: 'icmp',
      'id.orig_h': '10.99.0.12',
      'id.orig_p': 3,
      'id.resp_h': '10.99.1.80',
      'id.resp_p': 3,
      conn_state: 'OTH',
      orig_pkts: 1,
      resp_pkts: 0,
    }),
  );
  assert.equal(un?.errorReply, true);
  assert.equal(un?.src, '10.99.1.80');
  assert.equal(un?.dst, '10.99.0.12');
  assert.equal(un?.outcome, 'rejected');
});

test('Zeek dns.log is no contact (conn.log holds the same exchange)', () => {
  const e = eventOf(zeekReader, zeek({ _path: 'dns', proto: 'udp', query: 'example.com', 'id.resp_p': 53 }));
  assert.equal(contactFromEvent(e), undefined);
});

const eve = eveLine;

test('Suricata EVE flow: responder flags decide; netflow records are no contact', () => {
  const flow = (tc: string, pktsTc: number, action?: string) =>
    eve({
      event_type: 'flow',
      flow: {
        pkts_toserver: 1,
        pkts_toclient: pktsTc,
        bytes_toserver: 60,
        bytes_toclient: pktsTc * 54,
        start: '2026-11-23T11:12:20.000000+0000',
        end: '2026-11-23T11:12:21.000000+0000',
        state: 'closed',
        ...(action ? { action } : {}),
      },
      tcp: { tcp_flags_ts: '02', tcp_flags_tc: tc },
    });
  const rej = contactOf(eveReader, flow('14', 1));
  assert.equal(rej?.outcome, 'rejected');
  assert.equal(rej?.flagClass, 'syn');
  const ans = contactOf(eveReader, flow('12', 1));
  assert.equal(ans?.outcome, 'answered');
  const none = contactOf(eveReader, flow('00', 0));
  assert.equal(none?.outcome, 'unanswered');
  const dropped = contactOf(eveReader, flow('00', 0, 'drop'));
  assert.equal(dropped?.outcome, 'blocked');
  const nf = eventOf(
    eveReader,
    eve({
      event_type: 'netflow',
      netflow: { pkts: 1, bytes: 60, start: '2026-11-23T11:12:20Z', end: '2026-11-23T11:12:20Z' },
    }),
  );
  assert.equal(contactFromEvent(nf), undefined);
});

test('sshd "Connection from" is an answered, established ssh contact', () => {
  const c = contactOf(
    sshdReader,
    'Nov 23 11:12:20 lab-ssh sshd[27444]: Connection from 10.99.1.67 port 60200 on 10.99.0.11 port 22 rdomain ""',
  );
  assert.ok(c);
  assert.equal(c.outcome, 'answered');
  assert.equal(c.established, true);
  assert.equal(c.service, 'ssh');
  assert.equal(c.dst, '10.99.0.11');
  assert.equal(c.dstPort, 22);
});

test('NetFlow records are no contact by themselves (they are paired first)', () => {
  const csv = readFileSync(join(repoRoot, 'examples/lab-nfdump/flows.csv'), 'utf8')
    .split('\n')
    .slice(0, 3)
    .join('\n');
  const events: Event[] = [];
  parseNfdumpCsv(
    csv,
    (r) => {
      const e = netflowToEvent(r, { file: 'flows.csv' });
      if (e) events.push(e);
    },
    () => {},
    { file: 'flows.csv' },
  );
  assert.equal(events.length, 2);
  for (const e of events) assert.equal(contactFromEvent(e), undefined);
});

const arbEvent: fc.Arbitrary<Event> = fc.record(
  {
    ts: fc.oneof(fc.double(), fc.integer()),
    uid: fc.string({ minLength: 1, maxLength: 8 }),
    type: fc.constantFrom(...eventTypes),
    classUid: fc.constantFrom(4001 as const, 4002 as const, 4007 as const, 3002 as const, 2004 as const),
    activityId: fc.integer({ min: 0, max: 99 }),
    src: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 10 })),
    srcPort: fc.integer({ min: 0, max: 65535 }),
    dst: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')),
    dstPort: fc.integer({ min: 0, max: 65535 }),
    proto: fc.constantFrom('tcp', 'udp', 'icmp', 'icmp6', 'ipv6-icmp', '47', 'TCP', ''),
    user: fc.string({ maxLength: 10 }),
    bytes: fc.nat(),
    packets: fc.nat(),
    count: fc.nat(),
    http: fc.record(
      {
        method: fc.constantFrom('GET', 'POST', 'post', 'X'),
        uri: fc.oneof(
          fc.constantFrom('/wp-login.php', '/wp-login.php?action=', '/'),
          fc.string({ maxLength: 30 }),
        ),
        status: fc.constantFrom(200, 302, 401, 403, -1),
      },
      { requiredKeys: [] },
    ),
    message: fc.constant('m'),
    source: fc.record({
      kind: fc.constantFrom(...sourceKinds),
      format: fc.constantFrom(
        'iptables',
        'asa',
        'pf',
        'zeek-conn',
        'zeek-ssh',
        'openssh',
        'nfdump-csv',
        'suricata-eve',
        '',
      ),
    }),
    attrs: fc.dictionary(
      fc.constantFrom(
        'flags',
        'icmpType',
        'icmp_type',
        'messageId',
        'outcome',
        'direction',
        'duration',
        'reason',
        'conn_state',
        'history',
        'orig_pkts',
        'resp_pkts',
        'resp_bytes',
        'service',
        'eventType',
        'pktsToClient',
        'tcpFlagsToClient',
        'tcpFlagsToServer',
        'verdict',
        'sshdEvent',
        'invalidUser',
        'end',
      ),
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.double(),
        fc.integer(),
        fc.constantFrom('302014', 'Teardown', 'flow', 'S0'),
      ),
    ),
  },
  {
    requiredKeys: ['ts', 'uid', 'type', 'classUid', 'activityId', 'src', 'message', 'source'],
  },
) as fc.Arbitrary<Event>;

test('random and odd events never throw and give well-formed contacts and attempts', () => {
  fc.assert(
    fc.property(arbEvent, (e) => {
      const c = contactFromEvent(e);
      if (c) {
        assert.equal(typeof c.src, 'string');
        assert.ok(c.dst !== '');
        assert.ok(['answered', 'rejected', 'unanswered', 'blocked', 'unknown'].includes(c.outcome));
        assert.ok(Number.isFinite(c.ts));
      }
      const a = authFromEvent(e);
      if (a) assert.ok(['failure', 'success', 'invalid-user'].includes(a.result));
    }),
    { numRuns: 3000 },
  );
});
