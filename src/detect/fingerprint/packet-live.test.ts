/**
 * The real tools, run between two network namespaces created for the test
 * (never any other target), each recorded in a fresh capture and then
 * fingerprinted: this checks the signatures against the installed versions.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { needRoot, needTools } from '../../../test/support/env.js';
import { fingerprintCapture } from './testing/captures.js';
import { type Lab, openLab, SCANNER, TARGET } from './testing/netns.js';

const base = needRoot() || needTools('ip', 'tcpdump', 'python3');
let lab: Lab | undefined;
before(() => {
  if (!base) lab = openLab();
});
after(() => lab?.close());

async function toolsOf(cmd: string[]) {
  const pcap = await lab!.capture(cmd);
  const fp = fingerprintCapture(pcap);
  return (fp.tools().get(SCANNER) ?? []).map((s) => ({ key: `${s.name}/${s.variant}`, s }));
}

test('masscan SYN sweep → masscan, high', { skip: base || needTools('masscan') }, async () => {
  const found = await toolsOf([
    'masscan',
    '10.213.0.0/28',
    '-p80',
    '--rate',
    '500',
    '--wait',
    '1',
    '--interface',
    lab!.scannerIf,
    '--adapter-ip',
    SCANNER,
    '--router-mac',
    lab!.targetMac,
  ]);
  const m = found.find((f) => f.key === 'masscan/syn');
  assert.ok(m, JSON.stringify(found.map((f) => f.key)));
  assert.equal(m.s.confidence, 'high');
  assert.ok(m.s.count >= 14, `${m.s.count} SYNs`);
});

test('zmap SYN sweep → zmap', { skip: base || needTools('zmap') }, async () => {
  // ZMap refuses private space by default; an empty blocklist allows the lab's /28 (nothing else exists here).
  const found = await toolsOf([
    'sh',
    '-c',
    `f=$(mktemp) && zmap -p 80 -i ${lab!.scannerIf} -G ${lab!.targetMac} -S ${SCANNER} -b "$f" -r 200 --cooldown-time=1 -o /dev/null 10.213.0.0/28; s=$?; rm -f "$f"; exit $s`,
  ]);
  assert.deepEqual(
    found.map((f) => f.key),
    ['zmap/syn'],
  );
});

test('nmap -sS → nmap syn, high; nmap -O → nmap os', { skip: base || needTools('nmap') }, async () => {
  const syn = await toolsOf([
    'nmap',
    '-sS',
    '-Pn',
    '-n',
    '--max-retries',
    '1',
    '-p',
    '21-25,80,443,8080',
    TARGET,
  ]);
  const s = syn.find((f) => f.key === 'nmap/syn');
  assert.ok(s, JSON.stringify(syn.map((f) => f.key)));
  assert.equal(s.s.confidence, 'high');
  assert.ok(!syn.some((f) => f.key.startsWith('masscan') || f.key.startsWith('zmap')));
  const os = await toolsOf(['nmap', '-O', '-Pn', '-n', '--max-retries', '1', '-p', '80,81', TARGET]);
  assert.ok(
    os.some((f) => f.key === 'nmap/os' && f.s.confidence === 'high'),
    JSON.stringify(os.map((f) => f.key)),
  );
});

test('hping3 -S and -F with ++port → hping3 syn / fin', { skip: base || needTools('hping3') }, async () => {
  const syn = await toolsOf(['hping3', '-S', '-c', '4', '-i', 'u50000', '-p', '++80', TARGET]);
  assert.deepEqual(
    syn.map((f) => `${f.key}/${f.s.confidence}`),
    ['hping3/syn/high'],
  );
  const fin = await toolsOf(['hping3', '-F', '-c', '4', '-i', 'u50000', '-p', '++80', TARGET]);
  assert.deepEqual(
    fin.map((f) => `${f.key}/${f.s.confidence}`),
    ['hping3/fin/high'],
  );
});
