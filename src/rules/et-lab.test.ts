/**
 * The seed's ET rules on the lab capture (real hydra, curl, nmap traffic in
 * examples/lab): each fires as Suricata would, counts checked against tshark's
 * view of the same packets, and none fires on the benign host.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { needTools, repoRoot, sharedData } from '../../test/support/env.js';
import { createDecoder } from '../decode/index.js';
import { openCapture } from '../read/index.js';
import { createProblemLog } from '../util/problems.js';
import type { Alert } from './engine/alert.js';
import { createDetectEngine } from './engine/engine.js';
import { createRuleGate } from './engine/rule-gate.js';
import { loadRules } from './load.js';
import { applyVarOverrides, defaultVars } from './parse/variables.js';

const et = sharedData('rules/et-open-suricata-5.0');
const tshark = needTools('tshark');
const capture = join(repoRoot, 'examples', 'lab', 'capture.pcap');
const BENIGN = '10.99.1.80';

function run(): Alert[] {
  // The lab's servers are the home network; the attackers sit outside it.
  const vars = applyVarOverrides(defaultVars(), ['HOME_NET=[10.99.0.0/24]']);
  const loaded = loadRules([et.path], { vars });
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
  return alerts;
}

function tsharkCount(filter: string): number {
  const out = execFileSync('tshark', ['-r', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

test('ET Open seed rules fire on the lab capture as Suricata would', { skip: et.skip || tshark }, () => {
  const alerts = run();
  const count = (sid: number) => alerts.filter((a) => a.rule.sid === sid).length;
  // One request each from the web bot: JCE scanner UA, Nessus UA (limit 1 per 60 s), rom-0, Joomla serialized PHP.
  assert.equal(count(2016032), tsharkCount('http.user_agent == "BOT/0.1 (BOT for JCE)"'));
  assert.equal(count(2016032), 1);
  assert.equal(count(2002664), 1);
  assert.equal(count(2018232), tsharkCount('http.request.uri == "/rom-0"'));
  assert.equal(count(2022263), 1);
  // No threshold: one alert per Nmap NSE request. Counted on the raw packets, since tshark's HTTP
  // dissector skips NSE's random-method probes (e.g. "LXAM / HTTP/1.1") that libhtp, and we, parse.
  assert.equal(count(2009358), tsharkCount('tcp.dstport == 80 && frame contains "Nmap Scripting Engine"'));
  // hydra's libssh connections all fall in one 30 s window: threshold both 5/30 s by_src alerts once.
  assert.ok(tsharkCount('ssh.protocol contains "libssh"') >= 5);
  assert.equal(count(2006546), 1);
  const seed = new Set([2016032, 2002664, 2018232, 2022263, 2009358, 2006546]);
  assert.deepEqual(
    alerts.filter((a) => seed.has(a.rule.sid) && (a.src === BENIGN || a.dst === BENIGN)),
    [],
  );
  const fromAttackers = alerts.filter((a) => seed.has(a.rule.sid)).every((a) => a.src.startsWith('10.99.1.'));
  assert.ok(fromAttackers);
});
