/**
 * Picket's detectors against the lab's ground truth: the `scans` scenario is
 * run once (real tools in network namespaces), then Picket analyses each
 * artefact ALONE (capture, nfdump CSV, firewall log, auth.log) and all of
 * them together, and every finding the truth says a source must yield
 * (expect.seenBy) is looked for with its kind, source, target count and tool.
 * Nothing may name the benign client or an inside host as its source. psad's
 * analysis mode on the same firewall log is the peer comparison.
 *
 * Needs root and the lab's tools; skips with the reason otherwise (fails under
 * PICKET_REQUIRE_ROOT=1 / PICKET_REQUIRE_TOOLS=1). PICKET_LAB_SCANS_DIR=DIR
 * reuses the artefacts of an earlier `run.ts --scenario scans --out DIR`
 * instead of running the lab (no root needed then).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext, test } from 'node:test';
import { analyze } from '../../src/pipeline/analyze.js';
import type { Finding, FindingKind } from '../../src/schema/finding.js';
import { needRoot, needTools } from '../support/env.js';
import { artefactCounts } from './artefact-counts.js';
import { type DetectionExpect, isDetectionExpect, type LabSource, type SourceView } from './expect.js';
import { LAB_TOOLS, runLab, type TruthRecord } from './lab.js';
import { LAB_HOSTS } from './topology.js';

/**
 * Target counts may differ from the truth by 10 %, rounded down: exact below
 * 10 (those are fixed by the command line), a little room above (a probe
 * racing an answer decides whether nmap -sn sends its SYN to 443).
 */
export function countTolerance(want: number): number {
  return Math.floor(want * 0.1);
}

/** The target list behind each count, to join several findings of one action. */
const LISTED = { hostCount: 'hosts', portCount: 'ports', userCount: 'users' } as const;

/**
 * The counts the findings offer for `m`: each finding's own, and, when every
 * finding lists all its targets, the distinct targets of all together (a
 * detector may report one UDP scan of two hosts as two one-host scans).
 */
function offeredCounts(fs: readonly Finding[], m: keyof typeof LISTED): number[] {
  const own = fs.map((f) => f.targets[m] ?? 0);
  const lists = fs.map((f) => f.targets[LISTED[m]] as readonly (string | number)[] | undefined);
  if (fs.length < 2 || lists.some((l, i) => l === undefined || l.length !== own[i])) return own;
  return [...own, new Set(lists.flatMap((l) => l ?? [])).size];
}

/** Each artefact of a lab run, by the Finding.sourceKind it yields. */
const ARTEFACTS: Record<LabSource, string> = {
  pcap: 'capture.pcap',
  netflow: join('netflow', 'flows.csv'),
  firewall: 'firewall.log',
  sshd: 'auth.log',
};

const reuse = process.env.PICKET_LAB_SCANS_DIR;
const labSkip = reuse
  ? existsSync(join(reuse, 'truth.jsonl'))
    ? false
    : `PICKET_LAB_SCANS_DIR=${reuse} holds no truth.jsonl`
  : needRoot() || needTools(...LAB_TOOLS);

const work = mkdtempSync(join(tmpdir(), 'picket-detect-lab-'));
after(() => rmSync(work, { recursive: true, force: true }));

let labRun: Promise<string> | undefined;
/** The scans scenario's artefacts, made once for the whole file. */
function scansLab(): Promise<string> {
  labRun ??= reuse
    ? Promise.resolve(reuse)
    : runLab({ scenario: 'scans', out: join(work, 'lab') }).then((r) => r.out);
  return labRun;
}

const analyses = new Map<string, Promise<Finding[]>>();
/** Picket's findings for these artefacts of the lab, analysed once per set. */
function findingsOf(lab: string, sources: readonly LabSource[]): Promise<Finding[]> {
  const key = sources.join('+');
  let p = analyses.get(key);
  if (!p) {
    const outDir = join(work, `analysis-${key}`);
    mkdirSync(outDir, { recursive: true });
    p = analyze({ inputs: sources.map((s) => join(lab, ARTEFACTS[s])), outDir }).then(() => {
      const file = join(outDir, 'findings.jsonl');
      assert.ok(
        existsSync(file),
        `analyze wrote no ${file}: is the detector run wired into src/pipeline/analyze.ts?`,
      );
      return readJsonl<Finding>(file);
    });
    analyses.set(key, p);
  }
  return p;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

interface Expected {
  ids: string[];
  e: DetectionExpect;
}

/** The truth's detection expectations, one per (source address, kind): hping3's three actions are one flag scan. */
function expectations(lab: string): Expected[] {
  const byKey = new Map<string, Expected>();
  for (const t of readJsonl<TruthRecord>(join(lab, 'truth.jsonl'))) {
    if (!isDetectionExpect(t.expect)) continue;
    const key = `${t.expect.finding.src} ${t.expect.finding.kind}`;
    const had = byKey.get(key);
    if (had) had.ids.push(t.id);
    else byKey.set(key, { ids: [t.id], e: t.expect });
  }
  return [...byKey.values()];
}

/** Which target counts say whether a finding of this kind is the right one. */
const MEASURED: Partial<Record<FindingKind, ('hostCount' | 'portCount' | 'userCount')[]>> = {
  sweep: ['hostCount'],
  'host-discovery': ['hostCount'],
  'port-scan': ['portCount'],
  'flag-scan': ['portCount'],
  'udp-scan': ['hostCount', 'portCount'],
  'brute-force': ['userCount'],
};

function describe(fs: readonly Finding[]): string {
  if (fs.length === 0) return 'none';
  return fs
    .map(
      (f) =>
        `${f.kind} hosts=${f.targets.hostCount} ports=${f.targets.portCount}` +
        `${f.targets.userCount !== undefined ? ` users=${f.targets.userCount}` : ''}${f.tool ? ` tool=${f.tool.name}` : ''}`,
    )
    .join('; ');
}

/**
 * Assert that `findings` (drawn from `source`) hold what the truth says this
 * source alone must yield for `x`.
 */
function checkExpected(findings: readonly Finding[], source: LabSource, x: Expected): void {
  const { finding, bySource } = x.e;
  const view = bySource[source];
  const fromSrc = findings.filter((f) => f.sourceKind === source && f.src === finding.src);
  const kinds = view?.kinds ?? [finding.kind];
  const matching = fromSrc.filter((f) => kinds.includes(f.kind));
  const what = `${x.ids.join(', ')}: ${finding.kind} from ${finding.src} in ${source}`;
  assert.ok(
    matching.length > 0,
    `${what}: no ${kinds.join('/')} finding; from ${finding.src}: ${describe(fromSrc)}`,
  );

  // Only counts the source itself records are demanded (flows cannot know SSH user names).
  for (const m of MEASURED[finding.kind] ?? []) {
    const want = view?.[m];
    if (want === undefined) continue;
    const tol = countTolerance(want);
    const got = offeredCounts(matching, m);
    assert.ok(
      got.some((g) => Math.abs(g - want) <= tol),
      `${what}: ${m} ${got.join('/')} is not ${want} ± ${tol} (${view?.why})`,
    );
  }
  if (finding.kind === 'brute-force')
    assert.ok(
      matching.some((f) => f.targets.service === 'ssh' || f.targets.ports.includes(22)),
      `${what}: the brute force does not name ssh or port 22`,
    );
  if (finding.tool && finding.toolSeenBy?.includes(source)) {
    const named = fromSrc.filter((f) => f.tool?.name === finding.tool);
    assert.ok(
      named.length > 0,
      `${what}: nothing names the tool ${finding.tool}; tools named: ${fromSrc.map((f) => f.tool?.name ?? '-').join(', ')}`,
    );
  }
}

/** No finding may name the benign client, or an inside host (they only ever answer), as its source. */
function checkInnocent(findings: readonly Finding[]): void {
  for (const h of LAB_HOSTS.filter((x) => x.name === 'benign' || x.segment === 'inside')) {
    const named = findings.filter((f) => f.src === h.address);
    assert.deepEqual(
      named.map((f) => `${f.sourceKind} ${f.kind}: ${f.explanation}`),
      [],
      `${h.name} (${h.address}) named as a source`,
    );
  }
}

/** Subtests, one per expectation the source must meet, then the innocence check. */
async function checkSource(t: TestContext, findings: readonly Finding[], lab: string, source: LabSource) {
  const due = expectations(lab).filter((x) => x.e.seenBy.includes(source));
  assert.ok(due.length > 0, `the truth expects nothing from ${source}: is this the scans scenario?`);
  for (const x of due)
    await t.test(`${x.e.finding.kind} from ${x.e.finding.src} (${x.ids.join(', ')})`, () =>
      checkExpected(findings, source, x),
    );
  await t.test('nothing names the benign client or an inside host', () => checkInnocent(findings));
  // Everything found, and findings for sources the truth does not demand: printed, not asserted.
  const bySrc = new Map<string, Finding[]>();
  for (const f of findings.filter((x) => x.sourceKind === source))
    bySrc.set(f.src, [...(bySrc.get(f.src) ?? []), f]);
  for (const [src, fs] of bySrc) t.diagnostic(`${source} ${src}: ${describe(fs)}`);
  const expectedSrcs = new Set(due.map((x) => x.e.finding.src));
  const extra = findings.filter((f) => f.sourceKind === source && !expectedSrcs.has(f.src));
  if (extra.length)
    t.diagnostic(`${source}: also found ${extra.map((f) => `${f.kind} from ${f.src}`).join(', ')}`);
}

test('scans lab: each artefact records of each action what the truth says (tshark and plain parsing, not Picket)', {
  skip: labSkip || needTools('tshark'),
  timeout: 600_000,
}, async (t) => {
  const lab = await scansLab();
  for (const x of expectations(lab)) {
    for (const [source, view] of Object.entries(x.e.bySource) as [LabSource, SourceView][]) {
      const got = artefactCounts(lab, source, x.e.finding.src);
      const pairs = [
        ['hostCount', view.hostCount, got.hosts],
        ['portCount', view.portCount, got.ports],
        ['userCount', view.userCount, got.users],
      ] as const;
      for (const [name, want, have] of pairs) {
        if (want === undefined) continue;
        assert.ok(
          Math.abs(have - want) <= countTolerance(want),
          `${x.ids.join(', ')} in ${source}: ${name} ${have}, truth says ${want} ± ${countTolerance(want)} (${view.why})`,
        );
      }
      t.diagnostic(`${x.ids[0]} ${source}: hosts ${got.hosts}, ports ${got.ports}, users ${got.users}`);
    }
    // A source that records nothing of an action has no bySource entry; one that is in seenBy must record something.
    for (const source of x.e.seenBy) {
      assert.ok(
        x.e.bySource[source],
        `${x.ids.join(', ')}: ${source} is in seenBy but has no bySource entry`,
      );
      const got = artefactCounts(lab, source, x.e.finding.src);
      assert.ok(got.hosts > 0, `${x.ids.join(', ')}: ${source} records nothing from ${x.e.finding.src}`);
    }
  }
});

for (const source of ['pcap', 'netflow', 'firewall', 'sshd'] as const) {
  test(`scans lab: the ${ARTEFACTS[source]} alone yields every finding the truth expects from ${source}`, {
    skip: labSkip,
    timeout: 600_000,
  }, async (t) => {
    const lab = await scansLab();
    const findings = await findingsOf(lab, [source]);
    assert.deepEqual(
      [...new Set(findings.map((f) => f.sourceKind))].filter((k) => k !== source),
      [],
      `findings from ${ARTEFACTS[source]} alone must all carry sourceKind ${source}`,
    );
    await checkSource(t, findings, lab, source);
  });
}

test('scans lab: all artefacts together yield each source’s findings, and an incident per attacker', {
  skip: labSkip,
  timeout: 600_000,
}, async (t) => {
  const lab = await scansLab();
  const all = ['pcap', 'netflow', 'firewall', 'sshd'] as const;
  const findings = await findingsOf(lab, all);
  for (const source of all) await t.test(source, (st) => checkSource(st, findings, lab, source));
  const incidentsFile = join(work, `analysis-${all.join('+')}`, 'incidents.jsonl');
  assert.ok(existsSync(incidentsFile), `analyze wrote no ${incidentsFile}`);
  const incidents = readJsonl<{ src: string; kinds: string[] }>(incidentsFile);
  for (const x of expectations(lab))
    assert.ok(
      incidents.some((i) => i.src === x.e.finding.src),
      `no incident for ${x.e.finding.src} (${x.ids.join(', ')})`,
    );
});

/** psad's private configuration under `dir`: its state, run and log folders there, no mail, no lookups. */
function psadConfig(dir: string): string {
  const conf = join(dir, 'conf');
  cpSync('/etc/psad', conf, { recursive: true });
  const set: Record<string, string> = {
    PSAD_DIR: join(dir, 'log'),
    PSAD_RUN_DIR: join(dir, 'run'),
    PSAD_FIFO_DIR: join(dir, 'lib'),
    PSAD_CONF_DIR: conf,
    ALERTING_METHODS: 'noemail,nosyslog',
    ENABLE_DNS_LOOKUPS: 'N',
    ENABLE_WHOIS_LOOKUPS: 'N',
    ENABLE_SYSLOG_FILE: 'N',
    HOSTNAME: 'picket-lab',
  };
  for (const d of ['log', 'run', 'lib']) mkdirSync(join(dir, d), { recursive: true });
  const file = join(conf, 'psad.conf');
  const lines = readFileSync(file, 'utf8').split('\n');
  const seen = new Set<string>();
  const out = lines.map((l) => {
    const m = /^([A-Z0-9_]+)\s/.exec(l);
    const v = m?.[1] !== undefined ? set[m[1]] : undefined;
    if (m?.[1] === undefined || v === undefined) return l;
    seen.add(m[1]);
    return `${m[1]}    ${v};`;
  });
  for (const [k, v] of Object.entries(set)) if (!seen.has(k)) out.push(`${k}    ${v};`);
  writeFileSync(file, out.join('\n'));
  return file;
}

/** Sources psad's analysis mode gives a danger level, from its "SRC:  a.b.c.d, DL: n" lines. */
export function psadDangerLevels(report: string): Map<string, number> {
  const levels = new Map<string, number>();
  for (const m of report.matchAll(/^SRC:\s+(\S+), DL: (\d+)/gm))
    if (m[1] && m[2]) levels.set(m[1], Math.max(levels.get(m[1]) ?? 0, Number(m[2])));
  return levels;
}

const psadSkip =
  labSkip || needTools('psad') || (existsSync('/etc/psad/psad.conf') ? false : 'needs /etc/psad');

test('scans lab: every source psad -A flags in firewall.log is a source of a Picket finding from that log alone, or a disagreement the truth explains', {
  skip: psadSkip,
  timeout: 600_000,
}, async (t) => {
  const lab = await scansLab();
  const dir = join(work, 'psad');
  mkdirSync(dir, { recursive: true });
  const conf = psadConfig(dir);
  const r = spawnSync(
    'psad',
    [
      '-c',
      conf,
      '-A',
      '-m',
      join(lab, ARTEFACTS.firewall),
      '--no-rdns',
      '--no-whois',
      '--no-fwcheck',
      '--no-ipt-errors',
    ],
    { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, `psad failed: ${r.stderr}`);
  const levels = psadDangerLevels(r.stdout);
  const flagged = [...levels].filter(([, dl]) => dl >= 1).map(([a]) => a);
  assert.ok(flagged.length > 0, `psad flagged nothing; its report:\n${r.stdout.slice(0, 2000)}`);
  const ours = await findingsOf(lab, ['firewall']);
  const ourSrcs = new Set(ours.map((f) => f.src));
  const psadOnly = flagged.filter((a) => !ourSrcs.has(a));
  const oursOnly = [...ourSrcs].filter((a) => !levels.has(a));
  t.diagnostic(`psad danger levels: ${[...levels].map(([a, d]) => `${a} DL${d}`).join(', ')}`);
  t.diagnostic(
    `Picket (firewall.log): ${ours.map((f) => `${f.kind} from ${f.src}`).join(', ') || 'nothing'}`,
  );
  t.diagnostic(`psad only: ${psadOnly.join(', ') || 'none'}; Picket only: ${oursOnly.join(', ') || 'none'}`);
  // Disagreements the truth documents (expect.peers.psad) are printed; any other fails.
  const known = new Map(
    expectations(lab)
      .filter((x) => x.e.peers?.psad)
      .map((x) => [x.e.finding.src, `${x.ids.join(', ')}: ${x.e.peers?.psad}`]),
  );
  for (const a of psadOnly.filter((x) => known.has(x))) t.diagnostic(`known: ${known.get(a)}`);
  for (const [a, why] of known)
    if (!psadOnly.includes(a)) t.diagnostic(`documented disagreement no longer seen (${a}): ${why}`);
  assert.deepEqual(
    psadOnly.filter((a) => !known.has(a)),
    [],
    'sources psad flags that Picket does not name from firewall.log (and the truth does not explain)',
  );
});
