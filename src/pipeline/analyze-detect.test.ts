import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding, Incident } from '../schema/finding.js';
import { analyze } from './analyze.js';

const BENIGN = '10.99.1.80';
const SCANNER = '10.99.1.66';
const BRUTE = '10.99.1.67';

async function labRun() {
  const out = mkdtempSync(join(tmpdir(), 'picket-detect-'));
  try {
    const summary = await analyze({ inputs: ['examples/lab'], outDir: out });
    const read = <T>(f: string): T[] =>
      readFileSync(join(out, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T);
    return {
      summary,
      findings: read<Finding>('findings.jsonl'),
      incidents: read<Incident>('incidents.jsonl'),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('lab example: the port-22 sweep is found in the capture, the firewall log and NetFlow, each alone', async () => {
  const { findings } = await labRun();
  const sweeps = findings.filter((f) => f.kind === 'sweep' && f.src === SCANNER);
  assert.deepEqual([...new Set(sweeps.map((f) => f.sourceKind))].sort(), ['firewall', 'netflow', 'pcap']);
  for (const f of sweeps) assert.deepEqual(f.targets.ports, [22]);
  const fw = sweeps.find((f) => f.sourceKind === 'firewall')!;
  assert.equal(fw.outcomes.blocked, fw.contacts, 'every firewall probe was blocked');
  const pcap = sweeps.find((f) => f.sourceKind === 'pcap')!;
  assert.ok(
    pcap.answered?.some((a) => a.startsWith('10.99.0.11')),
    'the SSH server answered',
  );
  assert.equal(pcap.tool?.name, 'masscan');
});

test('lab example: hydra is a brute force in the sshd log, the capture and NetFlow; the benign host raises nothing', async () => {
  const { findings } = await labRun();
  const brute = findings.filter((f) => f.kind === 'brute-force' && f.src === BRUTE);
  assert.deepEqual([...new Set(brute.map((f) => f.sourceKind))].sort(), ['netflow', 'pcap', 'sshd']);
  for (const f of brute) assert.equal(f.successes ?? 0, 0);
  assert.deepEqual(
    findings
      .filter((f) => f.src === BENIGN || f.members?.includes(BENIGN))
      .map((f) => `${f.kind}/${f.sourceKind}`),
    [],
  );
});

test('lab example: one incident per attacker, joined across sources, with coverage and a type summary', async () => {
  const { incidents, findings, summary } = await labRun();
  assert.deepEqual(incidents.map((i) => i.src).sort(), [SCANNER, BRUTE, '10.99.1.68'].sort());
  const scan = incidents.find((i) => i.src === SCANNER)!;
  assert.ok(
    scan.kinds.includes('sweep') && scan.kinds.includes('port-scan') && scan.kinds.includes('flag-scan'),
  );
  for (const uid of scan.findings) assert.ok(findings.some((f) => f.uid === uid && f.src === SCANNER));
  assert.ok(['firewall', 'netflow', 'pcap'].every((k) => scan.coverage.sawBy.includes(k as never)));
  assert.ok((scan.eventsByType['firewall-deny'] ?? 0) > 0);
  const brute = incidents.find((i) => i.src === BRUTE)!;
  assert.ok(brute.coverage.sawBy.includes('sshd'));
  assert.equal(summary.incidents, incidents.length);
  assert.equal(summary.findings, findings.length);
});

test('detection off gives no findings and no incidents', async () => {
  const s = await analyze({ inputs: ['examples/lab/firewall.log'], detect: false });
  assert.equal(s.findings, 0);
  assert.equal(s.incidents, 0);
});

test('an unusable detector configuration is refused before anything is read', async () => {
  await assert.rejects(
    analyze({ inputs: ['examples/lab/firewall.log'], detect: { config: { sweep: { nonsense: 1 } } } }),
    /sweep\.?: ?Unrecognized key|sweep.*nonsense/,
  );
});
