import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needRoot, needTools } from '../../../test/support/env.js';
import type { Contact } from '../core/contact.js';
import { portScanDetector } from '../port-scan/index.js';
import { captureContacts, probe, runDetector, tsharkDistinct } from '../port-scan/test-support.js';
import { sweepDetector } from '../sweep/index.js';
import { udpScanDetector } from './index.js';

const T0 = 1_800_000_000;
const src = '198.51.100.20';
const udp = (n: number, o: Partial<Contact> = {}, host = '10.7.0.1'): Contact[] =>
  Array.from({ length: n }, (_, i) =>
    probe({ src, dst: host, proto: 'udp', dstPort: 500 + i, origBytes: 0, ts: T0 + i, ...o }),
  );

test('udp scan: silent ports below the failing tier quiet, at it a vertical UDP scan with counts and outcomes', () => {
  const four = { config: { portScanMinPortsFailing: 4 } };
  assert.deepEqual(runDetector(udpScanDetector, udp(2)).findings, []);
  assert.deepEqual(runDetector(udpScanDetector, udp(3), four).findings, []);
  const [f, ...more] = runDetector(udpScanDetector, udp(4), four).findings;
  assert.equal(more.length, 0);
  assert.equal(f?.kind, 'udp-scan');
  assert.equal(f?.targets.proto, 'udp');
  assert.equal(f?.targets.portCount, 4);
  assert.deepEqual(f?.targets.hosts, ['10.7.0.1']);
  assert.equal(f?.attrs?.shape, 'vertical');
  assert.equal(f?.severityId, 1);
  assert.match(f!.explanation, /4 distinct ports on one host/);
  // Not a TCP port scan, not a sweep.
  assert.deepEqual(runDetector(portScanDetector, udp(20)).findings, []);
  assert.deepEqual(runDetector(sweepDetector, udp(20)).findings, []);
});

test('udp scan: ICMP port unreachable from the host counts as refusals, one per folded error packet', () => {
  const errs = probe({
    src,
    dst: '10.7.0.1',
    proto: 'icmp',
    icmpType: 3,
    errorReply: true,
    outcome: 'rejected',
    dstPort: -1,
    origPkts: 5,
    ts: T0 + 9,
  });
  const [f] = runDetector(udpScanDetector, [...udp(8), errs]).findings;
  assert.equal(f?.contacts, 8);
  assert.equal(f?.outcomes.rejected, 5);
  assert.equal(f?.outcomes.unanswered, 3);
  assert.equal(f?.severityId, 2);
  assert.match(f!.explanation, /5 rejected, 3 unanswered/);
});

test('udp scan: mostly answered UDP (media, DNS) is ordinary traffic, whatever the port count', () => {
  const media = udp(40, {
    outcome: 'answered',
    respPkts: 9,
    origBytes: 1200,
    respBytes: 1200,
    established: true,
  });
  assert.deepEqual(runDetector(udpScanDetector, media).findings, []);
});

test('udp scan: 3 hosts with 10 silent ports each is one UDP block scan', () => {
  const cs = ['10.7.0.1', '10.7.0.2', '10.7.0.3'].flatMap((h) => udp(10, {}, h));
  const found = runDetector(udpScanDetector, cs).findings;
  assert.equal(found.length, 1);
  assert.equal(found[0]!.attrs?.shape, 'block');
  assert.equal(found[0]!.targets.hostCount, 3);
  assert.equal(found[0]!.targets.portCount, 10);
});

const live = needRoot() || needTools('nmap', 'tcpdump', 'tshark');

test('nmap -sU against a loopback address, captured with tcpdump: a UDP scan with every probed port', {
  skip: live,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-udp-scan-'));
  const pcap = join(dir, 'udp.pcap');
  // A small snapshot keeps many packets in the kernel ring (at the default 256 KiB a slot holds 8).
  const args = ['-i', 'lo', '--immediate-mode', '-U', '-n', '-s', '512', '-B', '8192', '-w', pcap];
  const dump = spawn('tcpdump', [...args, 'host 127.0.0.3 and (udp or icmp)'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((r) => dump.once('exit', r));
  try {
    let errText = '';
    await new Promise<void>((resolve, reject) => {
      dump.stderr.on('data', (d: Buffer) => {
        errText += d.toString();
        if (errText.includes('listening on')) resolve();
      });
      dump.on('exit', (code) => reject(new Error(`tcpdump exited ${code}: ${errText}`)));
    });
    // tcpdump says it listens a moment before the socket takes packets.
    await new Promise((r) => setTimeout(r, 500));
    const ports = '7,9,13,37,69,137,161,500,514,1900,5353,11211';
    const scan = spawnSync('nmap', ['-sU', '-n', '-Pn', '--max-retries', '1', '-p', ports, '127.0.0.3'], {
      encoding: 'utf8',
    });
    assert.equal(scan.status, 0, scan.stderr);
    await new Promise((r) => setTimeout(r, 300));
    dump.kill('SIGTERM');
    await exited;
    const probed = tsharkDistinct(pcap, 'udp && ip.dst==127.0.0.3', 'udp.dstport');
    const refused = tsharkDistinct(pcap, 'ip.src==127.0.0.3 && icmp.type==3 && icmp.code==3', 'frame.number');
    assert.equal(probed.size, 12);
    const found = runDetector(udpScanDetector, captureContacts(pcap)).findings;
    assert.equal(found.length, 1);
    const f = found[0]!;
    assert.deepEqual(f.targets.hosts, ['127.0.0.3']);
    assert.equal(f.targets.portCount, probed.size);
    assert.equal(f.outcomes.rejected, Math.min(refused.size, f.contacts));
    assert.ok(f.outcomes.rejected > 0);
  } finally {
    if (dump.exitCode === null) {
      dump.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
