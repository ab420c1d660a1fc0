import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkType, TcpFlag } from '../schema/packet.js';
import { formatAddress } from '../util/ip.js';
import { createProblemLog } from '../util/problems.js';
import { createDecoder } from './index.js';
import { bytes, concat, frame, icmp, ipv4, ipv6, tcp, udp } from './testing/packet-builders.js';

function decodeRaw(data: Uint8Array) {
  const problems = createProblemLog();
  return { p: createDecoder(problems).decode(frame(data, LinkType.RAW)), problems };
}

test('TCP fields: ports, unsigned seq/ack, all flags including NS, window, payload', () => {
  const flags = 0x1ff;
  const { p } = decodeRaw(
    ipv4({}, tcp({ sport: 65535, dport: 1, seq: 0xfffffffe, ack: 0x80000000, flags, window: 512 }, bytes(5))),
  );
  assert.deepEqual([p.srcPort, p.dstPort, p.seq, p.ack, p.window], [65535, 1, 0xfffffffe, 0x80000000, 512]);
  assert.equal(p.tcpFlags, flags);
  assert.ok(p.tcpFlags & TcpFlag.NS);
  assert.deepEqual([...p.payload], [...bytes(5)]);
});

test('TCP options: MSS, window scale, SACK permitted, timestamps, with NOP and EOL', () => {
  const options = [2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 3, 1, 0];
  const { p } = decodeRaw(ipv4({}, tcp({ options })));
  assert.deepEqual([p.mss, p.wscale, p.sackPermitted, p.tsVal, p.tsEcr], [1460, 7, true, 9, 3]);
  assert.equal(p.error, '');
  const none = decodeRaw(ipv4({}, tcp({}))).p;
  assert.deepEqual([none.mss, none.wscale, none.sackPermitted, none.tsVal], [-1, -1, false, -1]);
});

test('TCP malformed options stop the walk and are noted; earlier options are kept', () => {
  const { p } = decodeRaw(ipv4({}, tcp({ options: [2, 4, 1, 0, 3, 9, 0, 0] })));
  assert.equal(p.mss, 256);
  assert.equal(p.wscale, -1);
  assert.equal(p.error, 'tcp.bad-option');
  assert.equal(decodeRaw(ipv4({}, tcp({ options: [8, 1, 0, 0] }))).p.error, 'tcp.bad-option');
});

test('TCP data offset validated', () => {
  assert.equal(decodeRaw(ipv4({}, tcp({ dataOffsetWords: 4 }))).p.error, 'tcp.bad-data-offset');
  const past = decodeRaw(ipv4({}, tcp({ dataOffsetWords: 15 })));
  assert.equal(past.p.error, 'tcp.truncated-header');
  assert.equal(past.p.dstPort, 80);
});

test('UDP length field: shorter than the frame trims, longer is an error, below 8 is an error', () => {
  const trimmed = decodeRaw(ipv4({ proto: 17 }, udp(1, 2, bytes(10), 12))).p;
  assert.equal(trimmed.payload.length, 4);
  assert.equal(decodeRaw(ipv4({ proto: 17 }, udp(1, 2, bytes(10), 40))).p.error, 'udp.truncated');
  assert.equal(decodeRaw(ipv4({ proto: 17 }, udp(1, 2, bytes(10), 5))).p.error, 'udp.bad-length');
});

test('ICMP echo: type in srcPort, code in dstPort (as Zeek), no quoted packet', () => {
  const { p } = decodeRaw(ipv4({ proto: 1 }, icmp(8, 0, bytes(12))));
  assert.deepEqual([p.icmpType, p.icmpCode, p.srcPort, p.dstPort], [8, 0, 8, 0]);
  assert.deepEqual([p.icmpInnerProto, p.icmpInnerDstPort, p.icmpInnerAddrLen], [-1, -1, 0]);
  assert.equal(p.payload.length, 8);
});

test('ICMP port unreachable: the quoted UDP packet gives protocol, ports and destination', () => {
  const quoted = ipv4({ proto: 17, src: '10.0.0.2', dst: '10.9.9.9' }, udp(41000, 161, bytes(20))).subarray(
    0,
    28,
  );
  const { p } = decodeRaw(ipv4({ proto: 1, src: '10.9.9.9' }, icmp(3, 3, concat(new Uint8Array(4), quoted))));
  assert.deepEqual([p.icmpType, p.icmpCode], [3, 3]);
  assert.deepEqual([p.icmpInnerProto, p.icmpInnerSrcPort, p.icmpInnerDstPort], [17, 41000, 161]);
  assert.equal(formatAddress(p.icmpInnerDst, p.icmpInnerAddrLen), '10.9.9.9');
});

test('ICMPv6 destination unreachable quotes IPv6 + TCP; echo does not', () => {
  const quoted = ipv6({ nh: 6, dst: '2001:db8::99' }, tcp({ sport: 5555, dport: 443 })).subarray(0, 48);
  const { p } = decodeRaw(ipv6({ nh: 58 }, icmp(1, 4, concat(new Uint8Array(4), quoted))));
  assert.deepEqual(
    [p.icmpType, p.icmpCode, p.icmpInnerProto, p.icmpInnerSrcPort, p.icmpInnerDstPort],
    [1, 4, 6, 5555, 443],
  );
  assert.equal(formatAddress(p.icmpInnerDst, p.icmpInnerAddrLen), '2001:db8::99');
  const echo = decodeRaw(ipv6({ nh: 58 }, icmp(128, 0))).p;
  assert.deepEqual([echo.icmpType, echo.icmpInnerProto], [128, -1]);
});

test('a truncated quote is not an error; a quote that is not IP is', () => {
  const short = decodeRaw(ipv4({ proto: 1 }, icmp(11, 0, new Uint8Array(10)))).p;
  assert.equal(short.error, '');
  assert.equal(short.icmpInnerProto, -1);
  const junk = new Uint8Array(28).fill(0x11);
  assert.equal(
    decodeRaw(ipv4({ proto: 1 }, icmp(3, 1, concat(new Uint8Array(4), junk)))).p.error,
    'icmp.bad-quoted-header',
  );
});

test('SCTP gives ports', () => {
  const sctp = concat([0x0b, 0xb8, 0x0b, 0xb9], new Uint8Array(8));
  const { p } = decodeRaw(ipv4({ proto: 132 }, sctp));
  assert.deepEqual([p.srcPort, p.dstPort], [3000, 3001]);
});
