/**
 * suricata-verify cases for thresholds, detection_filter, threshold.config
 * and flowbits, replayed through the real reader, decoder, rule parser,
 * alert gate and rule state. The packet part of each rule (itype, dsize,
 * flags, flow direction, content in the packet or a hand-derived HTTP
 * buffer) is evaluated by a small matcher here, so the counts check this
 * folder's state machines and not an engine that does not exist yet.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/env.js';
import type { NumberTest, Rule } from '../ast.js';
import { parseThresholdConfig } from '../parse/threshold-config.js';
import { compareStateUse, createRuleState, type FlowState } from './flowbits.js';
import { testNumber } from './numbers.js';
import { createAlertGate } from './thresholds.js';
import { countBySid, expectedAlerts, type PacketView, packetsFrom, rulesFrom } from './thresholds-verify.js';

const suite = sharedData('verify/tests');
const dir = (name: string) => join(suite.path, name);

const STATE_KEYWORDS = new Set(['flowbits', 'flowint', 'xbits', 'threshold', 'detection_filter', 'noalert']);

/** The packet part of a rule: what the engine would evaluate before state tests. */
function packetPart(rule: Rule, p: PacketView, buffers: Record<string, string>): boolean {
  const proto = rule.header.protocol;
  if (proto === 'tcp' && p.ipProto !== 6) return false;
  if (proto === 'icmp' && p.ipProto !== 1) return false;
  for (const c of rule.conditions) {
    if (STATE_KEYWORDS.has(c.keyword)) continue;
    const v = c.value as Record<string, unknown>;
    switch (c.keyword) {
      case 'itype':
        if (!testNumber(v as unknown as NumberTest, p.icmpType)) return false;
        break;
      case 'dsize':
        if (!testNumber(v as unknown as NumberTest, p.payload.length)) return false;
        break;
      case 'ack':
        if (!testNumber(v as unknown as NumberTest, p.ack)) return false;
        break;
      case 'flags':
        if (v.flags !== 'S' || v.modifier !== '' || (p.tcpFlags & 0xff) !== 0x02) return false;
        break;
      case 'flow':
        if (v.direction === 'to_client' && p.toServer) return false;
        if (v.direction === 'to_server' && !p.toServer) return false;
        break;
      default:
        throw new Error(`sid ${rule.sid}: this test's matcher does not know ${c.keyword}`);
    }
  }
  for (const m of rule.matches) {
    if (m.kind !== 'content' || m.negated) throw new Error(`sid ${rule.sid}: only plain content here`);
    const text = buffers[m.buffer];
    if (text === undefined || !text.includes(Buffer.from(m.bytes).toString('latin1'))) return false;
  }
  return true;
}

/** HTTP buffers for a packet that carries a whole request or response head (the cases' small captures do). */
function buffersOf(p: PacketView): Record<string, string> {
  const pkt = Buffer.from(p.payload).toString('latin1');
  const out: Record<string, string> = { pkt };
  const head = pkt.split('\r\n\r\n')[0]!;
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (status) out['http.stat_code'] = status[1]!;
  if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(head))
    out['http.header'] = `${head.slice(head.indexOf('\r\n') + 2)}\r\n`;
  return out;
}

interface Replay {
  alerts: Array<{ sid: number; frame: number }>;
}

/** Runs rules over packets in Suricata's rule order: packet part, state tests, state actions, gate. */
function replay(rules: Rule[], packets: PacketView[], thresholdConfig = ''): Replay {
  const ordered = [...rules].sort(
    (a, b) => compareStateUse(a, b) || (a.priority ?? 3) - (b.priority ?? 3) || a.sid - b.sid,
  );
  const gate = createAlertGate({ config: parseThresholdConfig(thresholdConfig).entries });
  const state = createRuleState();
  const flows = new Map<string, FlowState>();
  const out: Replay = { alerts: [] };
  for (const p of packets) {
    let flow = flows.get(p.flowKey);
    if (flow === undefined) {
      flow = state.createFlowState();
      flows.set(p.flowKey, flow);
    }
    const buffers = buffersOf(p);
    const ctx = {
      ts: p.ts,
      src: p.src,
      dst: p.dst,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      flowKey: p.flowKey,
    };
    for (const rule of ordered) {
      if (!packetPart(rule, p, buffers) || !state.testRule(rule, flow, ctx)) continue;
      state.applyRule(rule, flow, ctx);
      if (gate.decide(rule, ctx) === 'alert') out.alerts.push({ sid: rule.sid, frame: p.frame });
    }
  }
  return out;
}

/** Asserts every alert check of the case's test.yaml. */
function check(caseDir: string, r: Replay): void {
  const counts = countBySid(r.alerts.map((a) => a.sid));
  const expected = expectedAlerts(join(caseDir, 'test.yaml'));
  assert.ok(expected.length > 0, `no alert checks in ${caseDir}/test.yaml`);
  for (const e of expected) {
    if (e.pcapCnt !== undefined) {
      const at = r.alerts.filter((a) => a.sid === e.sid && a.frame + 1 === e.pcapCnt).length;
      assert.equal(at, e.count, `sid ${e.sid} at pcap_cnt ${e.pcapCnt}`);
    } else assert.equal(counts.get(e.sid) ?? 0, e.count, `sid ${e.sid}`);
  }
}

const icmp = () => packetsFrom(dir('threshold/threshold-rule-flow/icmp.pcap'));

test('verify threshold/threshold-rule-flow: limit and both by_flow over 8 echo requests', {
  skip: suite.skip,
}, () => {
  const d = dir('threshold/threshold-rule-flow');
  const packets = icmp();
  assert.equal(packets.filter((p) => p.icmpType === 8).length, 8);
  check(d, replay(rulesFrom(join(d, 'test.rules')), packets));
});

test('verify threshold/detection_filter-rule-flow: counts 1, 2, 4, 7, 8 over 8 matches', {
  skip: suite.skip,
}, () => {
  const d = dir('threshold/detection_filter-rule-flow');
  check(d, replay(rulesFrom(join(d, 'test.rules')), icmp()));
});

test('verify threshold/threshold-rule-flow-backoff-single-flow: 6676 matches in one flow', {
  skip: suite.skip,
}, () => {
  const d = dir('threshold/threshold-rule-flow-backoff-single-flow');
  const packets = packetsFrom(dir('filestore-filecontainer-smb/filecontainer-smb.pcap'));
  check(d, replay(rulesFrom(join(d, 'test.rules')), packets));
});

for (const name of ['detection_filter-distinct-srcport', 'detection_filter-distinct-srcport-no-dups']) {
  test(`verify ${name}: unique_on src_port`, { skip: suite.skip }, () => {
    const d = dir(name);
    check(d, replay(rulesFrom(join(d, 'test.rules')), packetsFrom(join(d, 'input.pcap'))));
  });
}

test('verify threshold-config-byrule: threshold.config limit by_rule caps an http rule at 3', {
  skip: suite.skip,
}, () => {
  const d = dir('threshold-config-byrule');
  const rules = rulesFrom(join(d, 'input.rules'));
  const config = parseThresholdConfig(readFileSync(join(d, 'threshold.config'), 'utf8'));
  assert.equal(config.problems.length, 0);
  // The rule has no content or buffer: Suricata evaluates it on every packet of a flow whose
  // app-layer protocol is HTTP, so every TCP payload packet here (one HTTP flow) is a match.
  const heads = packetsFrom(dir('http-all-headers/input.pcap')).filter(
    (p) => p.ipProto === 6 && p.payload.length > 0,
  );
  assert.ok(heads.length > 3, `expected more than 3 matches, got ${heads.length}`);
  assert.equal(new Set(heads.map((p) => p.flowKey)).size, 1);
  const gate = createAlertGate({ config: config.entries });
  const alerts = heads.filter(
    (p) =>
      gate.decide(rules[0]!, {
        ts: p.ts,
        src: p.src,
        dst: p.dst,
        srcPort: p.srcPort,
        dstPort: p.dstPort,
        flowKey: p.flowKey,
      }) === 'alert',
  );
  check(d, { alerts: alerts.map((p) => ({ sid: rules[0]!.sid, frame: p.frame })) });
});

test('verify detect-flowbits: set, OR-ed isset/isnotset, unset, noalert, isnotset+set', {
  skip: suite.skip,
}, () => {
  const d = dir('detect-flowbits');
  check(d, replay(rulesFrom(join(d, 'test.rules')), packetsFrom(join(d, 'input.pcap'))));
});

test('verify flowbit-oring: a noalert rule sets fb1 on the request, isset fb4|fb2|fb1 fires on the response', {
  skip: suite.skip,
}, () => {
  const d = dir('flowbit-oring');
  check(d, replay(rulesFrom(join(d, 'test.rules')), packetsFrom(join(d, 'input.pcap'))));
});

for (const [name, file] of [
  ['flowbits-toggle-pre-9', 'test.rules'],
  ['flowbits-prefilter-11-pkt-auto', 'flowbit-prefilter.rules'],
] as const) {
  test(`verify ${name}: bits set by sid 11 on packet 6 are seen by sid 22 on the same packet`, {
    skip: suite.skip,
  }, () => {
    const d = dir(name);
    check(d, replay(rulesFrom(join(d, file)), packetsFrom(dir('flowbit-oring/input.pcap'))));
  });
}

test('verify detect-bidir-flowbits: a bit set by the request is seen by the response', {
  skip: suite.skip,
}, () => {
  // The HTTP body and file.data buffers are not derived here; the README says the
  // request matches sid 2052319's payload part and the response sid 2052359's.
  const d = dir('detect-bidir-flowbits');
  const rules = rulesFrom(join(d, 'test.rules'));
  const bySid = (sid: number) => rules.find((r) => r.sid === sid)!;
  const state = createRuleState();
  const gate = createAlertGate();
  const flow = state.createFlowState();
  const sids: number[] = [];
  const request = { ts: 1, src: '127.0.0.1', dst: '127.0.0.1', srcPort: 50000, dstPort: 8080, flowKey: 'f' };
  const response = { ...request, ts: 2, srcPort: 8080, dstPort: 50000 };
  for (const [sid, ctx] of [
    [2052359, request],
    [2052319, request],
    [2052359, response],
    [1, response],
  ] as const) {
    const rule = bySid(sid);
    if (!state.testRule(rule, flow, ctx)) continue;
    state.applyRule(rule, flow, ctx);
    if (gate.decide(rule, ctx) === 'alert') sids.push(sid);
  }
  check(d, { alerts: sids.map((sid) => ({ sid, frame: 0 })) });
});
