/**
 * Step 1 from connection events (Zeek conn, EVE flow, NetFlow halves) and
 * from IPS verdicts, when no capture is at hand. Events are built the way the
 * normalizers in src/normalize write them (attrs names included).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event } from '../../schema/event.js';
import { groupAlerts } from '../group.js';
import { memoryLookup } from './testing/memory-lookup.js';
import { connectionVerdict } from './verdict.js';

const C = '198.51.100.7';
const S = '192.0.2.10';
const T = 1_800_000_000;
let n = 0;

function ev(over: Partial<Event>): Event {
  n++;
  return {
    ts: T,
    uid: `E${n}`,
    type: 'connection',
    classUid: 4001,
    activityId: 6,
    src: C,
    dst: S,
    message: `event ${n}`,
    source: { kind: 'netflow', format: 'netflow-v9', file: 'x', line: n },
    ...over,
  };
}

function alert(over: Partial<Event> = {}): Event {
  return ev({
    type: 'ids-alert',
    classUid: 2004,
    activityId: 1,
    srcPort: 40000,
    dstPort: 80,
    proto: 'tcp',
    message: 'test alert',
    source: { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 1 },
    attrs: { sid: 1, gid: 1 },
    ts: T + 0.2,
    ...over,
  });
}

const nf = (dir: 'c2s' | 's2c', packets: number, bytes: number, flags: number, port = 40000): Event =>
  dir === 'c2s'
    ? ev({ srcPort: port, dstPort: 80, proto: 'tcp', packets, bytes, attrs: { tcpFlags: flags, end: T + 1 } })
    : ev({
        src: S,
        dst: C,
        srcPort: 80,
        dstPort: port,
        proto: 'tcp',
        packets,
        bytes,
        attrs: { tcpFlags: flags, end: T + 1 },
      });

test('NetFlow: both halves with handshake flags and PSH both ways are an exchange, counts summed each way', async () => {
  const [g] = groupAlerts([alert()]);
  const v = await connectionVerdict(
    g!,
    memoryLookup({ events: [nf('c2s', 6, 420, 0x1b), nf('s2c', 4, 530, 0x1b)] }),
  );
  assert.deepEqual([v.established, v.dataExchanged, v.blocked], ['yes', 'yes', 'no']);
  assert.deepEqual(
    [v.packetsToServer, v.packetsToClient, v.bytesToServer, v.bytesToClient],
    [6, 4, 420, 530],
  );
  assert.deepEqual(v.basis, ['netflow']);
});

test('NetFlow: a SYN scan (SYN then RST from the client, SYN-ACK back) never established', async () => {
  const [g] = groupAlerts([alert()]);
  const v = await connectionVerdict(
    g!,
    memoryLookup({ events: [nf('c2s', 2, 80, 0x06), nf('s2c', 1, 44, 0x12)] }),
  );
  assert.deepEqual([v.established, v.dataExchanged], ['no', 'no']);
  assert.match(v.summary, /SYN-ACK but no ACK from the client/);
});

test('NetFlow: three packets in all cannot hold payload both ways', async () => {
  const [g] = groupAlerts([alert()]);
  const v = await connectionVerdict(
    g!,
    memoryLookup({ events: [nf('c2s', 2, 400, 0x1a), nf('s2c', 1, 300, 0x1a)] }),
  );
  assert.equal(v.dataExchanged, 'no');
});

test('NetFlow: exported twice (nfcapd and its CSV) is counted once', async () => {
  const [g] = groupAlerts([alert()]);
  const csv = (e: Event): Event => ({
    ...e,
    uid: `${e.uid}csv`,
    source: { kind: 'netflow', format: 'nfdump-csv' },
  });
  const a = nf('c2s', 6, 420, 0x1b);
  const b = nf('s2c', 4, 530, 0x1b);
  const v = await connectionVerdict(g!, memoryLookup({ events: [a, b, csv(a), csv(b)] }));
  assert.equal(v.packetsToServer, 6);
});

test('EVE flow: flags and counts per direction; an EVE drop verdict blocks', async () => {
  const [g] = groupAlerts([alert()]);
  const flowRec = ev({
    source: { kind: 'eve', format: 'suricata-eve', file: 'eve.json', line: 5 },
    srcPort: 40000,
    dstPort: 80,
    proto: 'tcp',
    attrs: {
      eventType: 'flow',
      pktsToServer: 1,
      pktsToClient: 0,
      bytesToServer: 74,
      bytesToClient: 0,
      tcpFlagsToServer: 0x02,
    },
  });
  const v = await connectionVerdict(g!, memoryLookup({ events: [flowRec] }));
  assert.deepEqual([v.established, v.blocked], ['no', 'unknown']);
  const dropped = { ...flowRec, uid: 'dropped', action: 'denied' as const };
  const b = await connectionVerdict(g!, memoryLookup({ events: [dropped] }));
  assert.equal(b.blocked, 'yes');
  assert.ok(b.evidence.some((e) => e.kind === 'log-line' && e.ref === 'eve.json:5'));
});

test('Zeek conn: a record read back through its attrs (history, per-direction counts)', async () => {
  const [g] = groupAlerts([alert()]);
  const conn = ev({
    source: { kind: 'zeek', format: 'zeek-json', file: 'conn.log', line: 3 },
    srcPort: 40000,
    dstPort: 80,
    proto: 'tcp',
    attrs: {
      zeek_uid: 'CZ1',
      conn_state: 'SF',
      history: 'ShADadFf',
      orig_bytes: 90,
      resp_bytes: 400,
      orig_pkts: 6,
      resp_pkts: 4,
      orig_ip_bytes: 410,
      resp_ip_bytes: 610,
    },
  });
  const v = await connectionVerdict(g!, memoryLookup({ events: [conn] }));
  assert.deepEqual(
    [v.established, v.dataExchanged, v.packetsToServer, v.bytesToClient],
    ['yes', 'yes', 6, 610],
  );
  assert.deepEqual(v.basis, ['zeek']);
});

test('IPS: an alert the sensor blocked is blocked even on an established connection', async () => {
  const [g] = groupAlerts([alert({ action: 'denied' })]);
  const v = await connectionVerdict(
    g!,
    memoryLookup({ events: [nf('c2s', 6, 420, 0x1b), nf('s2c', 4, 530, 0x1b)] }),
  );
  assert.equal(v.blocked, 'yes');
  assert.equal(v.established, 'yes');
  assert.match(v.summary, /the sensor dropped 1 alerted packet/);
});

test('firewall: a deny for the pair and port with nothing else recorded: blocked, not established', async () => {
  const [g] = groupAlerts([alert()]);
  const deny = ev({
    type: 'firewall-deny',
    action: 'denied',
    srcPort: 40000,
    dstPort: 80,
    proto: 'tcp',
    ts: T,
    source: { kind: 'firewall', format: 'iptables', file: 'kern.log', line: 9 },
  });
  const v = await connectionVerdict(g!, memoryLookup({ events: [deny] }));
  assert.deepEqual([v.blocked, v.established, v.dataExchanged], ['yes', 'no', 'no']);
  assert.deepEqual(v.basis, ['firewall']);
  assert.equal(v.evidence[0]?.ref, 'kern.log:9');
});
