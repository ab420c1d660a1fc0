import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IpProto, L3, LinkType } from '../schema/packet.js';
import { formatAddress } from '../util/ip.js';
import { createProblemLog } from '../util/problems.js';
import { createDecoder } from './index.js';
import { bytes, concat, ext6, frag6, frame, ipv4, ipv6, tcp, udp } from './testing/packet-builders.js';

function decodeRaw(data: Uint8Array, origLen?: number) {
  const problems = createProblemLog();
  const dec = createDecoder(problems);
  return { p: dec.decode(frame(data, LinkType.RAW, 1000, origLen)), problems, stats: dec.stats };
}

test('IPv4 header fields: ttl, id, total length, protocol', () => {
  const { p } = decodeRaw(ipv4({ ttl: 37, id: 0xbeef, proto: 17 }, udp(1, 2, bytes(10))));
  assert.deepEqual([p.ttl, p.ipId, p.ipLen, p.ipProto], [37, 0xbeef, 38, IpProto.UDP]);
  assert.equal(p.payload.length, 10);
  assert.equal(p.error, '');
});

test('IPv4 options are walked; a bad option length is noted but ports still decode', () => {
  const ok = decodeRaw(ipv4({ options: [1, 1, 7, 7, 4, 0, 0, 0, 0, 0] }, tcp({ dport: 443 }))).p;
  assert.equal(ok.error, '');
  assert.equal(ok.dstPort, 443);
  const bad = decodeRaw(ipv4({ options: [7, 9, 0, 0] }, tcp({ dport: 443 })));
  assert.equal(bad.p.error, 'ipv4.bad-option');
  assert.equal(bad.p.dstPort, 443);
});

test('IPv4 header length and total length are validated', () => {
  assert.equal(decodeRaw(ipv4({ ihlWords: 4 }, tcp({}))).p.error, 'ipv4.bad-header-length');
  assert.equal(decodeRaw(ipv4({ ihlWords: 15 }, new Uint8Array(4))).p.error, 'ipv4.truncated-header');
  assert.equal(decodeRaw(ipv4({ totalLen: 12 }, tcp({}))).p.error, 'ipv4.bad-total-length');
  assert.equal(decodeRaw(new Uint8Array([0x45, 0, 0])).p.error, 'ipv4.truncated-header');
});

test('IPv4 total length beyond the captured bytes: smaller wins; an error only when not snap-length cut', () => {
  const data = ipv4({ totalLen: 1500 }, tcp({ dport: 25 }, bytes(100)));
  const cut = decodeRaw(data, 1514);
  assert.equal(cut.p.error, '');
  assert.equal(cut.p.payload.length, 100);
  assert.equal(cut.p.ipLen, 1500);
  const lying = decodeRaw(data);
  assert.equal(lying.p.error, 'ipv4.truncated');
  assert.equal(lying.p.dstPort, 25);
  assert.equal(lying.problems.samples[0]!.frame, lying.p.frame.index);
});

test('Ethernet padding after the IP datagram is not payload', () => {
  const data = concat(ipv4({ proto: 17 }, udp(7, 9, bytes(2))), new Uint8Array(16));
  const { p } = decodeRaw(data);
  assert.equal(p.payload.length, 2);
  assert.equal(p.error, '');
});

test('IPv6 fixed header: hop limit, ipLen = 40 + payload length', () => {
  const { p } = decodeRaw(ipv6({ nh: 6, hop: 3 }, tcp({ dport: 8080 })));
  assert.deepEqual([p.l3, p.ttl, p.ipLen, p.ipProto, p.dstPort, p.addrLen], [L3.IPV6, 3, 60, 6, 8080, 16]);
  assert.equal(formatAddress(p.dst, 16), '2001:db8::2');
});

test('IPv6 extension chain: hop-by-hop, routing, destination options, AH are skipped to TCP', () => {
  const ah = new Uint8Array(12); // (len 1 + 2) * 4 bytes
  ah[0] = 6;
  ah[1] = 1;
  const chain = concat(ext6(43), ext6(60, 1), ext6(51), ah);
  const { p } = decodeRaw(ipv6({ nh: 0 }, concat(chain, tcp({ dport: 993 }))));
  assert.equal(p.ipProto, 6);
  assert.equal(p.dstPort, 993);
  assert.equal(p.error, '');
});

test('IPv6: no-next-header and ESP end the walk; a truncated chain is an error', () => {
  assert.equal(decodeRaw(ipv6({ nh: 0 }, ext6(59))).p.ipProto, 59);
  const esp = decodeRaw(ipv6({ nh: 60 }, concat(ext6(50), bytes(20)))).p;
  assert.deepEqual([esp.ipProto, esp.srcPort, esp.payload.length], [50, -1, 20]);
  const cut = decodeRaw(ipv6({ nh: 0 }, ext6(6, 3).subarray(0, 12))).p;
  assert.equal(cut.error, 'ipv6.truncated-extension');
  const loop = decodeRaw(ipv6({ nh: 60 }, concat(...Array.from({ length: 20 }, () => ext6(60))))).p;
  assert.equal(loop.error, 'ipv6.too-many-extensions');
});

test('IPv6 atomic fragment (offset 0, no more) is decoded as a whole packet', () => {
  const { p, stats } = decodeRaw(ipv6({ nh: 44 }, concat(frag6(17, 0, false, 9), udp(1, 53, bytes(4)))));
  assert.equal(p.fragment, false);
  assert.equal(p.dstPort, 53);
  assert.equal(p.ipId, 9);
  assert.equal(stats.fragments.seen, 0);
});
