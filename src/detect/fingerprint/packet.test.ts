/**
 * Packet fingerprints on real captures: the lab capture (masscan, nmap -sS,
 * hping3 NULL/FIN/Xmas from 10.99.1.66), nDPI's synscan.pcap, Zeek's
 * nmap-vsn.pcap and the host-discovery sweeps. Expected counts come from
 * tshark filters over the same files, not from this code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, repoRoot, sharedData } from '../../../test/support/env.js';
import { fingerprintCapture } from './testing/captures.js';
import type { ToolSighting } from './types.js';

const lab = join(repoRoot, 'examples', 'lab', 'capture.pcap');
const synscan = sharedData('pcaps/ndpi/synscan.pcap');
const nmapVsn = sharedData('pcaps/zeek/nmap-vsn.pcap');
const udpPing = sharedData('pcaps/sweeps/hs-udpScan.pcap');
const icmpPing = sharedData('pcaps/sweeps/hs-icmpScan.pcap');
const synPing = sharedData('pcaps/sweeps/hs-tcp_synPingSweepRand.pcapng');
const arpScan = sharedData('pcaps/sweeps/hs-arpScan.pcap');
const noTshark = needTools('tshark');

/** Distinct values of one field over the frames matching a tshark display filter. */
function tsharkDistinct(file: string, filter: string, field: string): string[] {
  const r = spawnSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', field], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return [...new Set(r.stdout.split('\n').filter(Boolean))];
}

/** Frames of `file` matching a tshark display filter. */
function tsharkCount(file: string, filter: string): number {
  const r = spawnSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).length;
}

function find(list: ToolSighting[] | undefined, name: string, variant?: string): ToolSighting | undefined {
  return list?.find((s) => s.name === name && (variant === undefined || s.variant === variant));
}

test('lab capture: masscan named from the IP ID = dst^port^seq relation on every one of its SYNs', {
  skip: noTshark,
}, () => {
  const fp = fingerprintCapture(lab);
  const m = find(fp.tools().get('10.99.1.66'), 'masscan');
  assert.ok(m, 'masscan found for 10.99.1.66');
  assert.equal(m.confidence, 'high');
  // masscan's SYNs are the ones that left with TTL 255 and window 1024 (nmap draws TTLs below 64).
  const expected = tsharkCount(
    lab,
    'ip.src==10.99.1.66 && tcp.flags==0x002 && tcp.window_size_value==1024 && ip.ttl>128',
  );
  assert.ok(expected > 10);
  assert.equal(m.count, expected);
  assert.match(m.evidence, new RegExp(`^${expected} of \\d+ SYNs had IP ID`));
  assert.match(m.evidence, new RegExp(`${expected} with window 1024, ${expected} with initial TTL 255`));
  // Its own targets, not those of the nmap and hping3 runs from the same address.
  const masscanFilter = 'ip.src==10.99.1.66 && tcp.flags==0x002 && tcp.window_size_value==1024 && ip.ttl>128';
  assert.equal(m.hostCount, tsharkDistinct(lab, masscanFilter, 'ip.dst').length);
  assert.deepEqual(m.ports, tsharkDistinct(lab, masscanFilter, 'tcp.dstport').map(Number));
  assert.ok(m.hosts.includes('10.99.0.11'));
});

test('lab capture: nmap -sS named from window 1024 + MSS-only SYNs repeating port and sequence', {
  skip: noTshark,
}, () => {
  const fp = fingerprintCapture(lab);
  const n = find(fp.tools().get('10.99.1.66'), 'nmap', 'syn');
  assert.ok(n);
  assert.equal(n.confidence, 'high');
  const expected = tsharkCount(
    lab,
    'ip.src==10.99.1.66 && tcp.flags==0x002 && tcp.window_size_value==1024 && ip.ttl<128 && tcp.options==02:04:05:b4',
  );
  assert.equal(n.count, expected);
  assert.match(n.evidence, /TTL varying/);
  const nmapFilter =
    'ip.src==10.99.1.66 && tcp.flags==0x002 && tcp.window_size_value==1024 && ip.ttl<128 && tcp.options==02:04:05:b4';
  assert.deepEqual(n.hosts, ['10.99.0.10']);
  assert.deepEqual(
    [...n.ports].sort((a, b) => a - b),
    tsharkDistinct(lab, nmapFilter, 'tcp.dstport')
      .map(Number)
      .sort((a, b) => a - b),
  );
});

test('lab capture: hping3 NULL/FIN/Xmas named from window 512, no options, source port +1', {
  skip: noTshark,
}, () => {
  const fp = fingerprintCapture(lab);
  const h = find(fp.tools().get('10.99.1.66'), 'hping3');
  assert.ok(h);
  assert.equal(h.confidence, 'high');
  assert.equal(h.variant, 'flags');
  const nulls = tsharkCount(lab, 'ip.src==10.99.1.66 && tcp.flags==0x000');
  const fins = tsharkCount(lab, 'ip.src==10.99.1.66 && tcp.flags==0x001');
  const xmas = tsharkCount(lab, 'ip.src==10.99.1.66 && tcp.flags==0x029');
  assert.equal(h.count, nulls + fins + xmas);
  assert.match(h.evidence, new RegExp(`${nulls} NULL, ${fins} FIN, ${xmas} Xmas`));
});

test('lab capture: the brute-forcer and the benign host are named by no packet fingerprint', () => {
  const fp = fingerprintCapture(lab);
  assert.equal(fp.tools().get('10.99.1.67'), undefined);
  assert.equal(fp.tools().get('10.99.1.80'), undefined);
  // Nor the targets answering (SYN-ACK, RST are not probes).
  for (const src of fp.tools().keys()) assert.ok(src.startsWith('10.99.1.'), src);
});

test('nDPI synscan.pcap is an nmap -sS scan: four windows, MSS 1460, one port and sequence', {
  skip: synscan.skip || noTshark,
}, () => {
  const fp = fingerprintCapture(synscan.path);
  const list = fp.tools().get('172.16.0.8');
  assert.deepEqual(
    list?.map((s) => `${s.name}/${s.variant}`),
    ['nmap/syn'],
  );
  const n = list![0]!;
  assert.equal(n.confidence, 'high');
  assert.equal(n.count, tsharkCount(synscan.path, 'ip.src==172.16.0.8 && tcp.flags==0x002'));
});

test('Zeek nmap-vsn.pcap shows connects to ports 80 and 443 per host: Nmap host discovery without root, low confidence', {
  skip: nmapVsn.skip || noTshark,
}, () => {
  const fp = fingerprintCapture(nmapVsn.path);
  const list = fp.tools().get('192.168.1.71');
  assert.equal(list?.length, 1);
  const s = list![0]!;
  assert.equal(s.name, 'nmap');
  assert.equal(s.variant, 'ping');
  assert.equal(s.confidence, 'low');
  assert.equal(s.count, tsharkCount(nmapVsn.path, 'ip.src==192.168.1.71 && tcp.flags==0x002'));
  assert.deepEqual([...s.ports].sort(), [443, 80]);
});

test('host-discovery sweeps: nmap -PU (empty UDP to 40125), -PE (empty echo, seq 0), -PS (raw SYN) are named', {
  skip: udpPing.skip || icmpPing.skip || synPing.skip,
}, () => {
  const udp = [...fingerprintCapture(udpPing.path).tools().values()].flat();
  assert.deepEqual(
    udp.map((s) => `${s.name}/${s.variant}/${s.confidence}`),
    ['nmap/ping/high'],
  );
  const icmp = [...fingerprintCapture(icmpPing.path).tools().values()].flat();
  assert.deepEqual(
    icmp.map((s) => `${s.name}/${s.variant}/${s.confidence}`),
    ['nmap/ping/medium'],
  );
  const syn = [...fingerprintCapture(synPing.path).tools().values()].flat();
  assert.deepEqual(
    syn.map((s) => `${s.name}/${s.variant}`),
    ['nmap/syn'],
  );
});

test('an ARP sweep holds no IP probes and names nothing', { skip: arpScan.skip }, () => {
  const fp = fingerprintCapture(arpScan.path);
  assert.equal(fp.tools().size, 0);
  assert.equal(fp.stats().probes, 0);
  assert.ok(fp.stats().packets > 100);
});
