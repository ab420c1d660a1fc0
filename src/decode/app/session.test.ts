import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowRecord } from '../../schema/flow.js';
import type { DecodedPacket } from '../../schema/packet.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { createProblemLog } from '../../util/problems.js';
import { createAppSession, createReassemblyStats } from './session.js';

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

let frameNo = 0;
/** A hand-filled packet; only the fields the session reads matter. */
function pkt(
  proto: number,
  seq: number,
  ack: number,
  flags: number,
  payload: string | Uint8Array,
): DecodedPacket {
  const data = typeof payload === 'string' ? enc(payload) : payload;
  return {
    frame: {
      index: frameNo++,
      offset: 0,
      tsSec: 0,
      tsNsec: 0,
      linkType: 1,
      interfaceId: 0,
      capLen: 0,
      origLen: 0,
      data,
    },
    ts: 1_700_000_000 + frameNo / 1000,
    ipProto: proto,
    tcpFlags: flags,
    seq,
    ack,
    payload: data,
  } as DecodedPacket;
}

const flow: FlowRecord = {
  ts: 1_700_000_000,
  uid: 'CTest1',
  origH: '10.0.0.1',
  origP: 40000,
  respH: '10.0.0.2',
  respP: 8080,
  proto: 'tcp',
  service: '',
  duration: 1,
  origBytes: 0,
  respBytes: 0,
  connState: 'SF',
  missedBytes: 0,
  history: '',
  origPkts: 0,
  origIpBytes: 0,
  respPkts: 0,
  respIpBytes: 0,
  ipProto: 6,
  origWireBytes: 0,
  respWireBytes: 0,
  communityId: '',
};

test('HTTP on a non-standard port: pipelined requests paired with responses, sent out of order', () => {
  const txs: HttpTransaction[] = [];
  const stats = createReassemblyStats();
  const s = createAppSession({ stats, onHttp: (t) => txs.push(t) });
  const req = 'GET /a HTTP/1.1\r\nHost: h\r\nUser-Agent: ua/1\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n';
  const resp =
    'HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello' +
    'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n';
  s.packet(pkt(6, 100, 0, SYN, ''), true);
  s.packet(pkt(6, 500, 101, SYN | ACK, ''), false);
  // Client's second half arrives before the first.
  s.packet(pkt(6, 101 + 20, 501, ACK, req.slice(20)), true);
  s.packet(pkt(6, 101, 501, ACK, req.slice(0, 20)), true);
  s.packet(pkt(6, 501, 101 + req.length, ACK, resp), false);
  s.packet(pkt(6, 501 + resp.length, 0, FIN | ACK, ''), false);
  assert.deepEqual(s.services(), ['http']);
  s.end(flow);
  assert.equal(txs.length, 2);
  assert.deepEqual(
    txs.map((t) => [t.transDepth, t.method, t.uri, t.host, t.statusCode, t.responseBodyLen, t.uid, t.respP]),
    [
      [0, 'GET', '/a', 'h', 200, 5, 'CTest1', 8080],
      [1, 'HEAD', '/b', 'h', 200, 0, 'CTest1', 8080],
    ],
  );
  assert.equal(txs[0]!.userAgent, 'ua/1');
  assert.equal(txs[0]!.server, 'srv');
  assert.equal(txs[0]!.responseContentType, 'text/html');
  assert.equal(txs[0]!.responseBodyPrefix, 'hello');
  assert.equal(stats.outOfOrder, 1);
});

test('SSH banners of both sides, server first', () => {
  const banners: SshBanner[] = [];
  const s = createAppSession({ onSsh: (b) => banners.push(b) });
  s.packet(pkt(6, 1, 0, SYN, ''), true);
  s.packet(pkt(6, 9, 2, SYN | ACK, ''), false);
  s.packet(pkt(6, 10, 2, ACK, 'SSH-2.0-OpenSSH_9.6\r\n'), false);
  s.packet(pkt(6, 2, 31, ACK, 'SSH-2.0-libssh_0.10\r\n'), true);
  s.packet(pkt(6, 31, 23, ACK, new Uint8Array(500).fill(7)), false); // key exchange: not parsed
  s.end(flow);
  assert.deepEqual(s.services(), ['ssh']);
  assert.equal(banners.length, 1);
  assert.equal(banners[0]!.client, 'SSH-2.0-libssh_0.10');
  assert.equal(banners[0]!.server, 'SSH-2.0-OpenSSH_9.6');
  assert.equal(banners[0]!.uid, 'CTest1');
});

test('unknown binary protocol: no service, no transactions, problems stay empty', () => {
  const problems = createProblemLog();
  const txs: HttpTransaction[] = [];
  const s = createAppSession({ problems, onHttp: (t) => txs.push(t) });
  s.packet(pkt(6, 1, 0, ACK, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), true);
  s.packet(pkt(6, 1, 9, ACK, new Uint8Array([9, 9, 9, 9])), false);
  s.end(flow);
  assert.deepEqual(s.services(), []);
  assert.equal(txs.length, 0);
  assert.equal(problems.total(), 0);
});

test('UDP: DNS recognised from the payload', () => {
  const s = createAppSession();
  const q = new Uint8Array([0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1]);
  s.packet(pkt(17, 0, 0, 0, q), true);
  assert.deepEqual(s.services(), ['dns']);
});

test('HTTP garbage after a valid request becomes a problem value, not a throw', () => {
  const problems = createProblemLog();
  const txs: HttpTransaction[] = [];
  const s = createAppSession({ problems, onHttp: (t) => txs.push(t) });
  s.packet(pkt(6, 1, 0, ACK, 'GET / HTTP/1.1\r\n\r\n\x00\x01\x02garbage\r\n'), true);
  s.end(flow);
  assert.equal(txs.length, 1);
  assert.equal(txs[0]!.statusCode, -1);
  assert.equal(problems.counts.get('http.not-http'), 1);
  assert.equal(problems.samples[0]!.stage, 'session');
});

test('property: random packets in random order never throw and stay bounded', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          orig: fc.boolean(),
          seq: fc.integer({ min: 0, max: 0xffffffff }),
          ack: fc.integer({ min: 0, max: 0xffffffff }),
          flags: fc.integer({ min: 0, max: 0xff }),
          payload: fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc.constantFrom(
              enc('GET / HTTP/1.1\r\n\r\n'),
              enc('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc'),
              enc('SSH-2.0-x\r\n'),
            ),
          ),
        }),
        { maxLength: 40 },
      ),
      fc.constantFrom(6, 17),
      (pkts, proto) => {
        let n = 0;
        const s = createAppSession({ maxTransactions: 5, onHttp: () => n++ });
        for (const p of pkts) s.packet(pkt(proto, p.seq, p.ack, p.flags, p.payload), p.orig);
        s.end(flow);
        assert.ok(n <= 5);
        assert.ok(s.services().length <= 2);
      },
    ),
    { numRuns: 300 },
  );
});
