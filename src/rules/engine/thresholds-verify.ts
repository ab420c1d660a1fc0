/**
 * Test support for replaying suricata-verify cases into the alert gate and
 * the rule state: rules from a .rules file, expected alert counts from
 * test.yaml, and packets from the pcap through the real reader and decoder.
 * Only the tests import it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { createDecoder } from '../../decode/index.js';
import { openCapture } from '../../read/index.js';
import { formatAddress } from '../../util/ip.js';
import { createProblemLog } from '../../util/problems.js';
import type { Rule } from '../ast.js';
import { newSpecCache } from '../parse/header.js';
import { splitRuleLines } from '../parse/lines.js';
import { defaultReferenceSystems } from '../parse/reference.js';
import { parseRule } from '../parse/rule.js';
import { defaultVars } from '../parse/variables.js';

/** Parses every enabled rule of a file; throws when one is rejected (the cases use supported syntax). */
export function rulesFrom(path: string): Rule[] {
  const ctx = {
    vars: defaultVars(),
    cache: newSpecCache(),
    keywords: { classifications: new Map(), references: defaultReferenceSystems() },
    file: path,
  };
  const out: Rule[] = [];
  for (const l of splitRuleLines(readFileSync(path, 'latin1'))) {
    if (l.disabled) continue;
    const r = parseRule(l, ctx);
    if ('error' in r) throw new Error(`${path}:${l.line}: ${r.error}`);
    out.push(r.rule);
  }
  return out;
}

export interface ExpectedAlert {
  sid: number;
  count: number;
  /** pcap_cnt (frame index + 1) when the check names one. */
  pcapCnt?: number;
}

/** The alert checks of a test.yaml: count of `event_type: alert` records per signature id. */
export function expectedAlerts(path: string): ExpectedAlert[] {
  const doc = parseYaml(readFileSync(path, 'utf8')) as {
    checks?: Array<{ filter?: { count?: number; match?: Record<string, unknown> } }>;
  };
  const out: ExpectedAlert[] = [];
  for (const c of doc.checks ?? []) {
    const m = c.filter?.match;
    if (m?.event_type !== 'alert' || typeof m['alert.signature_id'] !== 'number') continue;
    const e: ExpectedAlert = { sid: m['alert.signature_id'] as number, count: c.filter!.count ?? 0 };
    if (typeof m.pcap_cnt === 'number') e.pcapCnt = m.pcap_cnt;
    out.push(e);
  }
  return out;
}

/** A decoded packet, copied out of the decoder's reused object. */
export interface PacketView {
  frame: number;
  ts: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  ipProto: number;
  icmpType: number;
  tcpFlags: number;
  ack: number;
  payload: Uint8Array;
  /** Same for both directions of a connection. */
  flowKey: string;
  /** Sent by the side that sent the connection's first packet. */
  toServer: boolean;
}

/** Every IP packet of a capture, in order. */
export function packetsFrom(path: string): PacketView[] {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`cannot open ${path}`);
  const decoder = createDecoder(problems);
  const firstSender = new Map<string, string>();
  const out: PacketView[] = [];
  for (let f = reader.next(); f; f = reader.next()) {
    const p = decoder.decode(f);
    if (p.addrLen === 0) continue;
    const src = formatAddress(p.src, p.addrLen);
    const dst = formatAddress(p.dst, p.addrLen);
    const a = `${src}:${p.srcPort}`;
    const b = `${dst}:${p.dstPort}`;
    const flowKey = `${p.ipProto}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
    if (!firstSender.has(flowKey)) firstSender.set(flowKey, a);
    out.push({
      frame: f.index,
      ts: p.ts,
      src,
      dst,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      ipProto: p.ipProto,
      icmpType: p.icmpType,
      tcpFlags: p.tcpFlags,
      ack: p.ack,
      payload: p.payload.slice(),
      flowKey,
      toServer: firstSender.get(flowKey) === a,
    });
  }
  reader.close();
  return out;
}

/** Alert counts per sid. */
export function countBySid(sids: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of sids) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}
