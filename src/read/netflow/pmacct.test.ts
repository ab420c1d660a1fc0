/**
 * pmacct's nfacctd test cases: the export packets in traffic-00.pcap, decoded
 * by Picket and aggregated on nfacctd's keys, must give output-flow-00.json.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import { createProblemLog } from '../../util/problems.js';
import { readNetflowCapture } from './files.js';
import type { NetflowRecord } from './record.js';
import { createNetflowSession } from './session.js';

const dir = sharedData('logs/netflow/pmacct');
/** pmacct's tcp_flags names (tcpflags_encode_as_array). */
const flagBits: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, PUSH: 8, ACK: 16, URG: 32 };
const protoNames: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' };

function aggKey(o: {
  iin: number | undefined;
  iout: number | undefined;
  src: string | undefined;
  dst: string | undefined;
  sp: number | undefined;
  dp: number | undefined;
  proto: string;
  tos: number | undefined;
  flags: number;
}): string {
  // peer_ip_src is the replaying host in pmacct's harness, not the capture's exporter: not compared.
  return `${o.iin ?? 0}|${o.iout ?? 0}|${o.src}|${o.dst}|${o.sp ?? 0}|${o.dp ?? 0}|${o.proto}|${o.tos ?? 0}|${o.flags}`;
}

const cases = dir.skip ? [] : readdirSync(dir.path).filter((d) => /^\d+-/.test(d));

test('pmacct nfacctd cases: flows aggregate to output-flow-00.json', { skip: dir.skip }, () => {
  assert.ok(cases.length >= 3);
  for (const c of cases) {
    const problems = createProblemLog();
    const flows: NetflowRecord[] = [];
    const session = createNetflowSession({ problems, onRecord: (r) => r.kind === 'flow' && flows.push(r) });
    const sum = readNetflowCapture(join(dir.path, c, 'traffic-00.pcap'), session, problems);
    session.flush();
    const expected = readFileSync(join(dir.path, c, 'output-flow-00.json'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    const ours = new Map<string, { packets: number; bytes: number }>();
    for (const r of flows) {
      const k = aggKey({
        iin: r.inputIf,
        iout: r.outputIf,
        src: r.srcAddr,
        dst: r.dstAddr,
        sp: r.srcPort,
        dp: r.dstPort,
        proto: protoNames[r.proto ?? -1] ?? String(r.proto),
        tos: r.tos,
        flags: (r.tcpFlags ?? 0) & 0x3f,
      });
      const a = ours.get(k) ?? { packets: 0, bytes: 0 };
      a.packets += r.packets ?? 0;
      a.bytes += r.bytes ?? 0;
      ours.set(k, a);
    }
    // nfacctd_time_new stamps flows with their arrival time, which splits an aggregate by
    // arrival second; those times are the replay's, so expected lines are summed per key.
    const want = new Map<string, { packets: number; bytes: number }>();
    for (const e of expected) {
      const k = aggKey({
        iin: e.iface_in,
        iout: e.iface_out,
        src: e.ip_src,
        dst: e.ip_dst,
        sp: e.port_src,
        dp: e.port_dst,
        proto: String(e.ip_proto),
        tos: e.tos,
        flags: (e.tcp_flags as string[]).reduce((a, f) => a | (flagBits[f] ?? 0), 0),
      });
      const a = want.get(k) ?? { packets: 0, bytes: 0 };
      a.packets += e.packets;
      a.bytes += e.bytes;
      want.set(k, a);
    }
    let matched = 0;
    const missing: string[] = [];
    for (const [k, w] of want) {
      const a = ours.get(k);
      if (a && a.packets === w.packets && a.bytes === w.bytes) matched++;
      else missing.push(`${k} want ${w.packets}/${w.bytes} got ${a ? `${a.packets}/${a.bytes}` : 'none'}`);
    }
    assert.equal(ours.size, want.size, `${c}: ${ours.size} aggregates, nfacctd ${want.size}`);
    console.log(
      `pmacct ${c}: ${matched}/${want.size} aggregates equal (${expected.length} lines) (${sum.datagrams} datagrams, ${flows.length} flows, ${problems.total()} problems)`,
    );
    for (const m of missing.slice(0, 10)) console.log(`  miss: ${m}`);
    assert.equal(matched, want.size, `${c}: ${missing.length} aggregates differ`);
  }
});
