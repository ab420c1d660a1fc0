/**
 * A real IPFIX export captured off the wire: softflowd turns the lab capture
 * into IPFIX sent to nfcapd on 127.0.0.1:PORT while tcpdump records that UDP
 * port on lo. analyze() of tcpdump's pcap must give the flows nfdump reads
 * from what nfcapd stored: the same datagrams, decoded by two programs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needRoot, needTools, repoRoot } from '../../test/support/env.js';
import { freePort, stopChild, waitFor } from '../read/netflow/nfcapd-testing.js';
import { parseNfdumpCsv } from '../read/netflow/nfdump-csv.js';
import type { NetflowRecord } from '../read/netflow/record.js';
import { analyzeToEvents, flowKey } from './netflow-testing.js';

const skip = needRoot() || needTools('softflowd', 'tcpdump', 'nfcapd', 'nfdump');
const labCapture = join(repoRoot, 'examples', 'lab', 'capture.pcap');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('softflowd IPFIX captured by tcpdump: analyze() of the pcap equals nfdump of nfcapd', {
  skip,
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nf-live-'));
  const port = await freePort();
  const pcap = join(dir, 'export.pcap');
  const nfcapd = spawn('nfcapd', ['-w', dir, '-p', String(port), '-b', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tcpdump = spawn(
    'tcpdump',
    ['-i', 'lo', '-n', '-U', '--immediate-mode', '-Z', 'root', '-w', pcap, 'udp', 'port', String(port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let sf: ReturnType<typeof spawnSync>;
  try {
    await Promise.all([waitFor(nfcapd, 'Startup', 5000), waitFor(tcpdump, 'listening on', 5000)]);
    await sleep(200);
    sf = spawnSync(
      'softflowd',
      ['-r', labCapture, '-n', `127.0.0.1:${port}`, '-v', '10', '-c', 'none', '-d'],
      {
        timeout: 20_000,
        encoding: 'utf8',
      },
    );
    // Let the last datagrams reach both; --immediate-mode hands each packet to tcpdump at once.
    await sleep(700);
  } finally {
    await stopChild(tcpdump, 'SIGINT');
    await stopChild(nfcapd, 'SIGTERM');
  }
  try {
    assert.equal(sf.status, 0, `softflowd: ${sf.stderr}`);
    const exported = /Flows exported: \d+ \((\d+) records\) in (\d+) packets/.exec(String(sf.stdout));
    assert.ok(exported, String(sf.stdout));

    const { summary, events } = await analyzeToEvents([pcap]);
    assert.deepEqual(
      summary.inputs.map((i) => [i.format, i.packets, i.events]),
      [['netflow:ipfix in pcap', Number(exported[2]), Number(exported[1])]],
      'one NetFlow row: every frame an export datagram, every record an event',
    );
    assert.equal(summary.problems.total, 0, JSON.stringify(summary.problems.samples));

    const theirs: NetflowRecord[] = [];
    for (const f of readdirSync(dir).filter((n) => n.startsWith('nfcapd.'))) {
      const out = spawnSync('nfdump', ['-r', join(dir, f), '-o', 'csv', '-q'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
        timeout: 20_000,
      });
      assert.equal(out.status, 0, out.stderr);
      const text = out.stdout.startsWith('ts,')
        ? out.stdout
        : `ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt\n${out.stdout}`;
      parseNfdumpCsv(
        text,
        (r) => theirs.push(r),
        (p) => assert.fail(p.message),
      );
    }
    assert.equal(events.length, theirs.length, 'as many flows as nfdump');
    const want = new Map<string, NetflowRecord[]>();
    for (const t of theirs) {
      const proto = { 1: 'icmp', 6: 'tcp', 17: 'udp' }[t.proto ?? 0] ?? String(t.proto);
      const icmp = t.proto === 1;
      const k = flowKey({
        src: t.srcAddr,
        dst: t.dstAddr,
        srcPort: icmp ? undefined : t.srcPort,
        dstPort: icmp ? undefined : t.dstPort,
        proto,
        packets: t.packets,
        bytes: t.bytes,
      });
      want.set(k, [...(want.get(k) ?? []), t]);
    }
    const off: string[] = [];
    let swapped = 0;
    for (const e of events) {
      assert.equal(e.source.format, 'ipfix');
      assert.match(e.source.host ?? '', /^127\.0\.0\.1:\d+$/);
      const list = want.get(flowKey(e));
      assert.ok(list && list.length > 0, `nfdump has no flow ${flowKey(e)}`);
      // Flows with the same key (repeated probes) are told apart by time: take nfdump's nearest.
      let best = 0;
      for (let i = 1; i < list.length; i++)
        if (Math.abs(list[i]!.start! - e.ts) < Math.abs(list[best]!.start! - e.ts)) best = i;
      const t = list.splice(best, 1)[0]!;
      assert.equal(e.attrs?.tcpFlags ?? 0, t.tcpFlags ?? 0, `flags of ${flowKey(e)}`);
      // nfdump prints whole seconds: our start and end lie in nfdump's seconds. nfdump 1.7.1 swaps
      // start and end of some IPFIX flows timed by sysUpTime (its td then prints an underflow near
      // 2^64 ms); for those its ts is our end and its te our start.
      const td = t.fields.durationSeconds;
      const swap = typeof td === 'number' && td > 1e9;
      if (swap) swapped++;
      const [ts, te] = swap ? [t.end!, t.start!] : [t.start!, t.end!];
      const end = Number(e.attrs?.end);
      if (Math.floor(e.ts) !== ts || Math.floor(end) !== Math.floor(te))
        off.push(`${flowKey(e)}: ours ${e.ts}..${end}, nfdump ${t.start}..${t.end}`);
    }
    assert.deepEqual(off, [], 'start times');
    console.log(
      `softflowd IPFIX via tcpdump: ${events.length} flows equal nfdump's (${exported[2]} datagrams; ${swapped} with nfdump's start and end swapped)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
