/**
 * Conformance with Zeek's own conn.log baselines: for every oracle
 * <name>.pcap__conn.log in the shared data, our flows for that capture must
 * match Zeek's conn_state, history, packet, byte and IP byte counts. Every
 * difference is reported, not just the first.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../test/support/env.js';
import type { FlowRecord } from '../schema/flow.js';
import { flowsOf } from './testing/run-capture.js';

const zeekDir = sharedData('pcaps/zeek');
const oracleDir = sharedData('pcaps/zeek/oracles');

/** http-get.pcap → http/get.pcap; q-in-q.pcap → q-in-q.pcap. */
function pcapFor(oracle: string): string | undefined {
  const name = oracle.replace(/\.pcap__conn\.log$/, '');
  const direct = join(zeekDir.path, `${name}.pcap`);
  if (existsSync(direct)) return direct;
  const dash = name.indexOf('-');
  for (let i = dash; i > 0; i = name.indexOf('-', i + 1)) {
    const p = join(zeekDir.path, name.slice(0, i), `${name.slice(i + 1)}.pcap`);
    if (existsSync(p)) return p;
  }
  for (const dir of readdirSync(zeekDir.path, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const p = join(zeekDir.path, dir.name, `${name}.pcap`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

interface ZeekRow {
  [k: string]: string;
}

function parseConnLog(text: string): ZeekRow[] {
  let fields: string[] = [];
  const rows: ZeekRow[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#fields')) fields = line.split('\t').slice(1);
    if (line === '' || line.startsWith('#')) continue;
    const cols = line.split('\t');
    const row: ZeekRow = {};
    fields.forEach((f, i) => {
      row[f] = cols[i] ?? '';
    });
    rows.push(row);
  }
  return rows;
}

function keyOf(
  origH: string,
  origP: number | string,
  respH: string,
  respP: number | string,
  proto: string,
): string {
  return `${proto} ${origH}:${origP} > ${respH}:${respP}`;
}

/** Compares one capture's flows with Zeek's rows; returns every difference as text. */
export function diffAgainstZeek(rows: ZeekRow[], flows: FlowRecord[]): string[] {
  const diffs: string[] = [];
  const ours = new Map<string, FlowRecord[]>();
  for (const f of flows) {
    const k = keyOf(f.origH, f.origP, f.respH, f.respP, f.proto);
    const list = ours.get(k) ?? [];
    list.push(f);
    ours.set(k, list);
  }
  for (const r of rows) {
    const k = keyOf(r['id.orig_h']!, r['id.orig_p']!, r['id.resp_h']!, r['id.resp_p']!, r.proto!);
    const list = ours.get(k);
    const f = list?.shift();
    if (!f) {
      diffs.push(`${k}: Zeek has this connection, we do not`);
      continue;
    }
    const check = (name: string, zeek: string | undefined, mine: string | number) => {
      if (zeek === undefined || zeek === '-') return;
      if (String(mine) !== zeek) diffs.push(`${k}: ${name} zeek=${zeek} ours=${mine}`);
    };
    check('conn_state', r.conn_state, f.connState);
    check('history', r.history, f.history);
    check('orig_pkts', r.orig_pkts, f.origPkts);
    check('resp_pkts', r.resp_pkts, f.respPkts);
    check('orig_bytes', r.orig_bytes, f.origBytes);
    check('resp_bytes', r.resp_bytes, f.respBytes);
    check('orig_ip_bytes', r.orig_ip_bytes, f.origIpBytes);
    check('resp_ip_bytes', r.resp_ip_bytes, f.respIpBytes);
    check('missed_bytes', r.missed_bytes, f.missedBytes);
    check('ip_proto', r.ip_proto, f.ipProto);
    check('vlan', r.vlan, f.vlan ?? '-');
    check('inner_vlan', r.inner_vlan, f.innerVlan ?? '-');
    if (r.duration && r.duration !== '-') {
      if (Math.abs(Number(r.duration) - f.duration) > 2e-6)
        diffs.push(`${k}: duration zeek=${r.duration} ours=${f.duration}`);
    } else if (f.duration !== 0) diffs.push(`${k}: duration zeek=- (zero) ours=${f.duration}`);
  }
  for (const [k, rest] of ours)
    for (const _ of rest) diffs.push(`${k}: we have this connection, Zeek does not`);
  return diffs;
}

const oracles = oracleDir.skip
  ? []
  : readdirSync(oracleDir.path).filter((n) => n.endsWith('.pcap__conn.log'));

test('every Zeek conn.log oracle has its capture', { skip: oracleDir.skip }, () => {
  assert.ok(oracles.length > 0, 'no oracles found');
  for (const o of oracles) assert.ok(pcapFor(o), `no capture found for ${o}`);
});

for (const oracle of oracles) {
  test(`matches Zeek conn.log for ${oracle}`, () => {
    const pcap = pcapFor(oracle);
    assert.ok(pcap, `no capture for ${oracle}`);
    const rows = parseConnLog(readFileSync(join(oracleDir.path, oracle), 'utf8'));
    const diffs = diffAgainstZeek(rows, flowsOf(pcap));
    assert.deepEqual(diffs, [], `${diffs.length} differences from Zeek:\n${diffs.join('\n')}`);
  });
}
