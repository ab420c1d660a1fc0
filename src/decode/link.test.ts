import assert from 'node:assert/strict';
import { test } from 'node:test';
import { L3, LinkType } from '../schema/packet.js';
import { formatAddress } from '../util/ip.js';
import { createProblemLog } from '../util/problems.js';
import { createDecoder } from './index.js';
import { arp, eth, frame, ipv4, ipv6, loopback, sll, sll2, tcp, udp } from './testing/packet-builders.js';

const v4tcp = () => ipv4({ src: '192.0.2.1', dst: '198.51.100.7' }, tcp({ sport: 1234, dport: 22 }));
const v6udp = () => ipv6({ nh: 17 }, udp(5353, 53, new Uint8Array(3)));

function decode(data: Uint8Array, linkType: number) {
  const problems = createProblemLog();
  const dec = createDecoder(problems);
  const p = dec.decode(frame(data, linkType));
  return { p, problems, stats: dec.stats };
}

test('Ethernet II carries IPv4 and IPv6 to the transport layer', () => {
  const { p } = decode(eth(0x0800, v4tcp()), LinkType.ETHERNET);
  assert.equal(p.l3, L3.IPV4);
  assert.equal(formatAddress(p.src, p.addrLen), '192.0.2.1');
  assert.equal(formatAddress(p.dst, p.addrLen), '198.51.100.7');
  assert.equal(p.dstPort, 22);
  assert.equal(p.vlan, -1);
  const six = decode(eth(0x86dd, v6udp()), LinkType.ETHERNET).p;
  assert.equal(six.l3, L3.IPV6);
  assert.equal(formatAddress(six.src, six.addrLen), '2001:db8::1');
  assert.equal(six.dstPort, 53);
});

test('802.3 length frames and unknown EtherTypes are OTHER without an error', () => {
  const { p, problems } = decode(eth(46, new Uint8Array(46)), LinkType.ETHERNET);
  assert.equal(p.l3, L3.OTHER);
  assert.equal(p.error, '');
  assert.equal(problems.total(), 0);
  assert.equal(decode(eth(0x88cc, new Uint8Array(40)), LinkType.ETHERNET).p.l3, L3.OTHER);
});

test('802.1Q, QinQ (0x88a8, 0x9100) and stacked 0x8100 tags give outer and inner VLAN ids', () => {
  const one = decode(eth(0x0800, v4tcp(), [[0x8100, 0x2064]]), LinkType.ETHERNET).p;
  assert.equal(one.vlan, 100); // priority bits stripped
  assert.equal(one.innerVlan, -1);
  assert.equal(one.dstPort, 22);
  for (const outer of [0x88a8, 0x9100, 0x8100]) {
    const two = decode(
      eth(0x0800, v4tcp(), [
        [outer, 10],
        [0x8100, 20],
      ]),
      LinkType.ETHERNET,
    ).p;
    assert.deepEqual([two.vlan, two.innerVlan, two.dstPort], [10, 20, 22]);
  }
  const deep = decode(eth(0x0800, v4tcp(), Array(9).fill([0x8100, 1])), LinkType.ETHERNET);
  assert.equal(deep.p.error, 'vlan.too-many-tags');
});

test('ARP over Ethernet gives the operation and the IPv4 sender/target', () => {
  const { p } = decode(eth(0x0806, arp(1, '10.1.1.1', '10.1.1.254')), LinkType.ETHERNET);
  assert.equal(p.l3, L3.ARP);
  assert.equal(p.arpOp, 1);
  assert.equal(formatAddress(p.src, 4), '10.1.1.1');
  assert.equal(formatAddress(p.dst, 4), '10.1.1.254');
});

test('Linux cooked captures v1 and v2', () => {
  assert.equal(decode(sll(0x0800, v4tcp()), LinkType.LINUX_SLL).p.dstPort, 22);
  assert.equal(decode(sll2(0x86dd, v6udp()), LinkType.LINUX_SLL2).p.dstPort, 53);
  assert.equal(decode(sll(0x0806, arp(2, '10.0.0.9', '10.0.0.1')), LinkType.LINUX_SLL).p.arpOp, 2);
  assert.equal(decode(sll(0x0800, v4tcp(), 824), LinkType.LINUX_SLL).p.l3, L3.OTHER); // netlink
  assert.equal(decode(new Uint8Array(10), LinkType.LINUX_SLL2).p.error, 'sll2.truncated');
});

test('raw IP: the version nibble decides; IPV4/IPV6 link types go straight in', () => {
  assert.equal(decode(v4tcp(), LinkType.RAW).p.l3, L3.IPV4);
  assert.equal(decode(v6udp(), LinkType.RAW).p.l3, L3.IPV6);
  assert.equal(decode(new Uint8Array([0x50, 0, 0]), LinkType.RAW).p.error, 'raw.bad-version');
  assert.equal(decode(v4tcp(), LinkType.IPV4).p.dstPort, 22);
  assert.equal(decode(v6udp(), LinkType.IPV6).p.dstPort, 53);
});

test('BSD loopback NULL in either host byte order, LOOP in network order', () => {
  for (const le of [true, false]) {
    assert.equal(decode(loopback(2, v4tcp(), le), LinkType.NULL).p.l3, L3.IPV4);
    for (const fam of [24, 28, 30])
      assert.equal(decode(loopback(fam, v6udp(), le), LinkType.NULL).p.dstPort, 53);
  }
  assert.equal(decode(loopback(2, v4tcp(), false), LinkType.LOOP).p.dstPort, 22);
  assert.equal(decode(loopback(30, v6udp(), false), LinkType.LOOP).p.l3, L3.IPV6);
  assert.equal(decode(loopback(7, v6udp(), false), LinkType.LOOP).p.l3, L3.OTHER);
});

test('unknown link types are OTHER, counted, and named in a problem', () => {
  const { p, problems, stats } = decode(new Uint8Array(20), 147);
  assert.equal(p.l3, L3.OTHER);
  assert.equal(p.error, 'link.unsupported');
  assert.equal(problems.counts.get('link.unsupported'), 1);
  assert.equal(problems.samples[0]!.stage, 'decode');
  assert.equal(stats.byL3.other, 1);
});
