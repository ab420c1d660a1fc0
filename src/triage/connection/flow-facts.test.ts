/** One connection record read for step 1: TCP by flags and payload, UDP and ICMP by answers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowRecord } from '../../schema/flow.js';
import { flowFacts } from './flow-facts.js';

const C = '198.51.100.7';
const S = '192.0.2.10';

function flow(over: Partial<FlowRecord>): FlowRecord {
  return {
    ts: 1000,
    uid: 'Cflow',
    origH: C,
    origP: 40000,
    respH: S,
    respP: 80,
    proto: 'tcp',
    service: '',
    duration: 0.5,
    origBytes: 0,
    respBytes: 0,
    connState: '',
    missedBytes: 0,
    history: '',
    origPkts: 1,
    origIpBytes: 40,
    respPkts: 0,
    respIpBytes: 0,
    ipProto: 6,
    origWireBytes: 0,
    respWireBytes: 0,
    communityId: '',
    ...over,
  };
}

test('TCP: a completed handshake with payload both ways is a real exchange', () => {
  const f = flowFacts(
    flow({ connState: 'SF', history: 'ShADadFf', origBytes: 80, respBytes: 300, origPkts: 6, respPkts: 4 }),
    C,
  );
  assert.deepEqual([f.established, f.dataExchanged, f.answered], ['yes', 'yes', 'yes']);
});

test('TCP: a connect scan completes the handshake but carries no payload', () => {
  const f = flowFacts(flow({ connState: 'RSTO', history: 'ShAR', origPkts: 3, respPkts: 1 }), C);
  assert.deepEqual([f.established, f.dataExchanged], ['yes', 'no']);
});

test('TCP: a half-open SYN scan of an open port (SYN, SYN-ACK, RST) never established, though Zeek says RSTO', () => {
  const f = flowFacts(flow({ connState: 'RSTO', history: 'ShR', origPkts: 2, respPkts: 1 }), C);
  assert.deepEqual([f.established, f.dataExchanged], ['no', 'no']);
  assert.match(f.note, /SYN-ACK but the client never completed/);
});

test('TCP: refused with RST, and unanswered SYNs', () => {
  assert.equal(flowFacts(flow({ connState: 'REJ', history: 'Sr', respPkts: 1 }), C).established, 'no');
  const s0 = flowFacts(flow({ connState: 'S0', history: 'S', origPkts: 3 }), C);
  assert.deepEqual(
    [s0.established, s0.dataExchanged, s0.answered, s0.packetsToServer],
    ['no', 'no', 'no', 3],
  );
});

test('TCP: payload only one way is no exchange; capture gaps make it unknown', () => {
  const base = { connState: 'SF' as const, history: 'ShADaFf', origBytes: 120, respPkts: 3, origPkts: 5 };
  assert.equal(flowFacts(flow(base), C).dataExchanged, 'no');
  assert.equal(flowFacts(flow({ ...base, missedBytes: 1000 }), C).dataExchanged, 'unknown');
});

test('TCP: mid-stream with data both ways is established; a lone ACK answered is unknown', () => {
  assert.equal(
    flowFacts(flow({ connState: 'OTH', history: 'Dd', origBytes: 10, respBytes: 10, respPkts: 1 }), C)
      .established,
    'yes',
  );
  assert.equal(flowFacts(flow({ connState: 'OTH', history: 'Aa', respPkts: 1 }), C).established, 'unknown');
});

test('TCP: records without history (some Zeek logs) fall back on conn_state', () => {
  assert.equal(
    flowFacts(flow({ connState: 'SF', origBytes: 1, respBytes: 1, respPkts: 2 }), C).dataExchanged,
    'yes',
  );
  assert.equal(flowFacts(flow({ connState: 'S0', respPkts: 1 }), C).established, 'no');
  assert.equal(flowFacts(flow({ connState: 'OTH', respPkts: 1 }), C).established, 'unknown');
});

test('orientation: a record whose originator is the server counts its sides the other way', () => {
  const f = flowFacts(
    flow({
      origH: S,
      origP: 80,
      respH: C,
      respP: 40000,
      connState: 'SF',
      history: 'ShADadFf',
      origBytes: 300,
      respBytes: 80,
      origPkts: 4,
      respPkts: 6,
      origIpBytes: 500,
      respIpBytes: 400,
    }),
    C,
  );
  assert.deepEqual(
    [f.packetsToServer, f.packetsToClient, f.bytesToServer, f.bytesToClient],
    [6, 4, 400, 500],
  );
  // The client never sent the SYN in this record, so no handshake by the client; payload both ways still proves a connection.
  assert.equal(f.established, 'yes');
  assert.match(f.note, /handshake not seen, payload both ways/);
});

test('UDP: answered from the server is established; ICMP unreachable refuses; silence is unknown', () => {
  const udp = { proto: 'udp' as const, ipProto: 17, respP: 53, history: 'Dd', origBytes: 30, origPkts: 1 };
  const answered = flowFacts(flow({ ...udp, respPkts: 1, respBytes: 90 }), C);
  assert.deepEqual([answered.established, answered.dataExchanged], ['yes', 'yes']);
  const refused = flowFacts(flow({ ...udp, history: 'D' }), C, { icmpRefused: true });
  assert.deepEqual([refused.established, refused.dataExchanged, refused.answered], ['no', 'no', 'yes']);
  const silent = flowFacts(flow({ ...udp, history: 'D' }), C);
  assert.deepEqual([silent.established, silent.dataExchanged], ['unknown', 'no']);
});

test('ICMP: an echo answered is established (answered); unanswered is not', () => {
  const icmp = { proto: 'icmp' as const, ipProto: 1, origP: 8, respP: 0, origBytes: 56, origPkts: 1 };
  assert.equal(flowFacts(flow({ ...icmp, respPkts: 1, respBytes: 56 }), C).dataExchanged, 'yes');
  assert.equal(flowFacts(flow(icmp), C).established, 'no');
});
