/**
 * Every Zeek conn_state and the history letters, from scripted packet
 * sequences through the real flow table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, run, tcpPair } from './testing/synth.js';

const { c, s } = tcpPair();
const A = F.ACK;
const PA = F.PSH | F.ACK;
const handshake = [c(0, F.SYN, 100), s(0.1, F.SYN | A, 5000, 101), c(0.2, A, 101, 5001)];

function one(specs: Parameters<typeof run>[0]) {
  const { flows } = run(specs);
  assert.equal(flows.length, 1, `expected one flow, got ${flows.length}`);
  return flows[0]!;
}

test('SF: handshake, data both ways, FIN both ways', () => {
  const f = one([
    ...handshake,
    c(0.3, PA, 101, 5001, 10),
    s(0.4, PA, 5001, 111, 20),
    c(0.5, A, 111, 5021),
    c(0.6, F.FIN | A, 111, 5021),
    s(0.7, F.FIN | A, 5021, 112),
    c(0.8, A, 112, 5022),
  ]);
  assert.equal(f.connState, 'SF');
  assert.equal(f.history, 'ShADdFf');
  assert.equal(f.origBytes, 10);
  assert.equal(f.respBytes, 20);
  assert.equal(f.origPkts, 6);
  assert.equal(f.respPkts, 3);
  assert.equal(f.origIpBytes, 6 * 40 + 10);
  assert.equal(f.origWireBytes, 6 * 54 + 10);
  assert.equal(f.proto, 'tcp');
  assert.equal(f.origH, '10.0.0.1');
  assert.equal(f.respP, 8081);
  // Duration stops at the last packet before both sides closed (the final ACK does not count).
  assert.equal(f.duration, 0.7);
  assert.match(f.uid, /^C[0-9A-Za-z]{17}$/);
  assert.match(f.communityId, /^1:[A-Za-z0-9+/]{27}=$/);
});

test('S0: SYN without reply', () => {
  const f = one([c(0, F.SYN, 100)]);
  assert.equal(f.connState, 'S0');
  assert.equal(f.history, 'S');
});

test('S0: a retransmitted SYN (same ISN) stays one flow with one S', () => {
  const f = one([c(0, F.SYN, 100), c(1, F.SYN, 100), c(3, F.SYN, 100)]);
  assert.equal(f.connState, 'S0');
  assert.equal(f.history, 'S');
  assert.equal(f.origPkts, 3);
});

test('REJ: SYN answered by RST', () => {
  const f = one([c(0, F.SYN, 100), s(0.1, F.RST | A, 0, 101)]);
  assert.equal(f.connState, 'REJ');
  assert.equal(f.history, 'Sr');
});

test('S1: established, not closed', () => {
  const f = one([...handshake, c(0.3, PA, 101, 5001, 5), s(0.4, A, 5001, 106)]);
  assert.equal(f.connState, 'S1');
  assert.equal(f.history, 'ShADa');
});

test('S2: originator closes, responder silent', () => {
  const f = one([...handshake, c(0.3, F.FIN | A, 101, 5001)]);
  assert.equal(f.connState, 'S2');
  assert.equal(f.history, 'ShAF');
});

test('S3: responder closes, originator silent', () => {
  const f = one([...handshake, s(0.3, F.FIN | A, 5001, 101)]);
  assert.equal(f.connState, 'S3');
  assert.equal(f.history, 'ShAf');
});

test('RSTO: established, originator aborts', () => {
  const f = one([...handshake, c(0.3, F.RST | A, 101, 5001)]);
  assert.equal(f.connState, 'RSTO');
  assert.equal(f.history, 'ShAR');
});

test('RSTR: established, responder aborts', () => {
  const f = one([...handshake, s(0.3, F.RST | A, 5001, 101)]);
  assert.equal(f.connState, 'RSTR');
  assert.equal(f.history, 'ShAr');
});

test('RSTOS0: SYN then RST from the originator, no SYN-ACK', () => {
  const f = one([c(0, F.SYN, 100), c(0.1, F.RST, 101)]);
  assert.equal(f.connState, 'RSTOS0');
  assert.equal(f.history, 'SR');
});

test('SH: SYN then FIN from the originator, no SYN-ACK', () => {
  const f = one([c(0, F.SYN, 100), c(0.1, F.FIN, 101)]);
  assert.equal(f.connState, 'SH');
  assert.equal(f.history, 'SF');
});

// A SYN-ACK from a likely server port first: Zeek flips so the server is the responder ('^').
const web = tcpPair('10.0.0.1', '10.0.0.2', 40000, 80);

test('RSTRH: SYN-ACK then RST from the responder, no SYN seen', () => {
  const f = one([web.s(0, F.SYN | A, 5000, 101), web.s(0.1, F.RST, 5001)]);
  assert.equal(f.connState, 'RSTRH');
  assert.equal(f.history, '^hr');
  assert.equal(f.origH, '10.0.0.1');
  assert.equal(f.respP, 80);
  assert.equal(f.respPkts, 2);
  assert.equal(f.origPkts, 0);
});

test('SHR: SYN-ACK then FIN from the responder, no SYN seen', () => {
  const f = one([web.s(0, F.SYN | A, 5000, 101), web.s(0.1, F.FIN | A, 5001, 101)]);
  assert.equal(f.connState, 'SHR');
  assert.equal(f.history, '^hf');
});

test('OTH: midstream data, no SYN seen (no server port, so no flip)', () => {
  const f = one([c(0, PA, 100, 5000, 10), s(0.1, A, 5000, 110)]);
  assert.equal(f.connState, 'OTH');
  assert.equal(f.history, 'Da');
  assert.equal(f.origBytes, 10);
});

test('midstream from a likely server port flips with ^', () => {
  const f = one([web.s(0, PA, 5000, 100, 30), web.c(0.1, A, 100, 5030)]);
  assert.equal(f.history, '^dA');
  assert.equal(f.respP, 80);
  assert.equal(f.respBytes, 30);
});

test('letters: T for retransmitted data, W for a zero window, Q and I for odd flag mixes', () => {
  const t = one([
    ...handshake,
    c(0.3, PA, 101, 5001, 10),
    c(0.4, PA, 101, 5001, 10),
    s(0.5, A, 5001, 111, 0, 0),
  ]);
  assert.equal(t.history, 'ShADTaw');
  const q = one([c(0, F.SYN | F.FIN, 100)]);
  assert.equal(q.history, 'Q');
  const i = one([...handshake, c(0.3, F.FIN | F.RST | A, 101, 5001)]);
  assert.equal(i.history, 'ShAI');
});

test('scaled letters: the 10th retransmission adds a second T', () => {
  const specs = [...handshake, c(0.3, PA, 101, 5001, 10)];
  for (let k = 0; k < 10; k++) specs.push(c(0.4 + k * 0.01, PA, 101, 5001, 10));
  const f = one(specs);
  assert.equal(f.history, 'ShADTT');
});

test('missed bytes: data acknowledged but never seen is a content gap', () => {
  const f = one([...handshake, c(0.3, PA, 101, 5001, 10), s(0.4, A, 5001, 211)]);
  assert.equal(f.missedBytes, 100);
  assert.equal(f.history, 'ShADaG');
});
