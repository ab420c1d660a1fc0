/**
 * The EVE reader reads Picket's own eve.json: the rule engine runs the
 * starter rules over the lab capture, `toEveAlert` writes the alerts (in a
 * +05:30 zone, to exercise offsets), and readLogFile, sniffing the file as
 * Suricata EVE, gives back one ids-alert per alert with the same signature,
 * addresses, ports, protocol, flow id and time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../test/support/env.js';
import { createDecoder } from '../decode/index.js';
import { openCapture } from '../read/index.js';
import { readLogFile } from '../read/logs.js';
import type { Alert } from '../rules/engine/alert.js';
import { createDetectEngine } from '../rules/engine/engine.js';
import { createRuleGate } from '../rules/engine/rule-gate.js';
import { loadRules } from '../rules/load.js';
import { toEveAlert } from '../rules/output/eve.js';
import { applyVarOverrides, defaultVars } from '../rules/parse/variables.js';
import type { Event } from '../schema/event.js';
import { createProblemLog } from '../util/problems.js';
import { severityOfPriority } from './ids.js';
import { normalizeLogRecord } from './index.js';

const capture = join(repoRoot, 'examples', 'lab', 'capture.pcap');

function labAlerts() {
  const vars = applyVarOverrides(defaultVars(), ['HOME_NET=[10.99.0.0/24]']);
  const loaded = loadRules([join(repoRoot, 'rules')], { vars });
  const alerts: Alert[] = [];
  const problems = createProblemLog();
  const engine = createDetectEngine({
    rules: loaded.rules,
    gate: createRuleGate(loaded.thresholds),
    problems,
    onAlert: (a) => alerts.push(a),
  });
  const reader = openCapture(capture, problems)!;
  const decoder = createDecoder(problems);
  for (let f = reader.next(); f; f = reader.next()) engine.packet(decoder.decode(f));
  reader.close();
  engine.finish();
  return { alerts, classifications: loaded.classifications };
}

const protoNames: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' };

test("Picket's eve.json from the lab capture reads back as the same alerts", async () => {
  const { alerts, classifications } = labAlerts();
  assert.ok(alerts.length >= 5, `starter rules fire on the lab capture (${alerts.length})`);
  const dir = mkdtempSync(join(tmpdir(), 'picket-eve-rt-'));
  const path = join(dir, 'eve.json');
  const lines = alerts.map((a) =>
    JSON.stringify(toEveAlert(a, { classifications, utcOffsetMinutes: 330, sensorName: 'lab' })),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);

  const problems = createProblemLog();
  const events: Event[] = [];
  const s = await readLogFile(path, problems, (r, _reader, ctx) => {
    const e = normalizeLogRecord(r, { file: path, line: ctx.line });
    if (e) events.push(e);
  });
  assert.equal(s.reader, 'suricata-eve');
  assert.equal(problems.total(), 0);
  assert.equal(events.length, alerts.length);
  const sids = new Set<number>();
  alerts.forEach((a, i) => {
    const e = events[i]!;
    sids.add(a.rule.sid);
    assert.equal(e.type, 'ids-alert');
    assert.equal(e.attrs?.sid, a.rule.sid);
    assert.equal(e.attrs?.gid, a.rule.gid);
    assert.equal(e.attrs?.rev, a.rule.rev);
    assert.equal(e.attrs?.signature, a.rule.msg);
    assert.equal(e.src, a.src);
    assert.equal(e.dst, a.dst);
    if (a.ipProto === 6 || a.ipProto === 17) {
      assert.equal(e.srcPort, a.srcPort);
      assert.equal(e.dstPort, a.dstPort);
    }
    assert.equal(e.proto, protoNames[a.ipProto] ?? String(a.ipProto));
    // EVE keeps microseconds; the zone offset must cancel out.
    assert.ok(Math.abs(e.ts - a.ts) < 1e-6, `alert ${i}: ${e.ts} vs ${a.ts}`);
    assert.equal(e.severityId, severityOfPriority(a.rule.priority ?? 3));
    assert.equal(e.action, a.action === 'blocked' ? 'denied' : 'allowed');
    if (a.flowId !== undefined) assert.equal(e.attrs?.flowId, String(a.flowId));
    assert.equal(e.source.host, 'lab');
    assert.equal(e.source.line, i + 1);
  });
  assert.ok(sids.size >= 2, `several signatures (${[...sids].join(',')})`);
});
