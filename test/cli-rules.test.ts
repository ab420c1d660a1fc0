/**
 * The rule side of the `picket` command end to end, as a user runs it: which
 * rules `analyze` runs (starter rules, --rules, the installed ruleset, none),
 * the eve.json and ids-alert events it writes, rule variables, and the
 * `rules explain` and `rules install` commands. Real files, real subprocesses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import Database from 'better-sqlite3';
import { ExitCode } from '../src/serve/cli/exit-codes.js';
import { repoRoot, sharedData } from './support/env.js';

const cli = join(repoRoot, 'src', 'serve', 'cli', 'main.ts');

function picket(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'picket-cli-rules-'));
}

function jsonLines<T = Record<string, unknown>>(file: string): T[] {
  const text = readFileSync(file, 'utf8').trim();
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as T);
}

interface EveAlert {
  event_type: string;
  src_ip: string;
  alert: { signature_id: number; signature: string };
}
interface AnalyzeSummary {
  alerts: number;
  alertsBySignature: Record<string, number>;
  rules?: { source: string; loaded: number };
}
interface PicketEvent {
  type: string;
  src: string;
  attrs?: { sid?: number };
}

/** Counts of each value, so two lists can be compared as multisets. */
function tally(values: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

const lab = existsSync(join(repoRoot, 'examples', 'lab', 'capture.pcap'))
  ? { skip: false as const }
  : { skip: 'examples/lab not made yet' };
const capture = 'examples/lab/capture.pcap';
const eveSchema = sharedData('logs/suricata-eve/schema.json');
const etDir = sharedData('rules/et-open-suricata-5.0');
const etScan = sharedData('rules/et-open-suricata-5.0/emerging-scan.rules');
const STARTER_SIDS = { min: 9900001, max: 9909999 };

/** One default run over the bundled lab (starter rules), shared by the tests that read its output. */
let starter: { out: string; summary: AnalyzeSummary } | undefined;
function starterRun() {
  if (starter) return starter;
  const out = join(tmp(), 'out');
  const r = picket(['analyze', 'examples/lab', '-o', out, '--no-store', '--json']);
  assert.equal(r.code, 0, r.stderr);
  starter = { out, summary: JSON.parse(r.stdout) };
  return starter;
}

test('analyze runs the starter rules by default: eve.json alerts in their sid range, one ids-alert event each', {
  skip: lab.skip,
}, () => {
  const { out, summary } = starterRun();
  const alerts = summary.alerts;
  assert.ok(alerts > 0, 'the lab attacks trip starter rules');
  assert.equal(summary.rules?.source, 'starter rules');
  assert.ok((summary.rules?.loaded ?? 0) > 0);
  assert.equal(
    Object.values(summary.alertsBySignature).reduce((a, b) => a + b, 0),
    alerts,
  );

  const evePath = join(out, 'eve.json');
  assert.ok(existsSync(evePath), 'eve.json is written beside flows.jsonl and events.jsonl');
  const eve = jsonLines<EveAlert>(evePath);
  assert.equal(eve.length, alerts);
  for (const e of eve) {
    assert.equal(e.event_type, 'alert');
    const sid = e.alert.signature_id;
    assert.ok(sid >= STARTER_SIDS.min && sid <= STARTER_SIDS.max, `sid ${sid} is a starter rule's`);
  }

  const idsEvents = jsonLines<PicketEvent>(join(out, 'events.jsonl')).filter((e) => e.type === 'ids-alert');
  assert.equal(idsEvents.length, eve.length, 'one ids-alert event per EVE alert');
  assert.deepEqual(
    tally(idsEvents.map((e) => e.attrs?.sid ?? -1)),
    tally(eve.map((e) => e.alert.signature_id)),
    'the same signatures in both files',
  );
  assert.deepEqual(
    idsEvents.map((e) => e.src).sort(),
    eve.map((e) => e.src_ip).sort(),
    'the same sources in both files',
  );
});

test("every eve.json line validates against Suricata's EVE JSON schema", {
  skip: lab.skip || eveSchema.skip,
}, () => {
  const { out } = starterRun();
  // strict off: the schema carries Suricata's own annotation keywords.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(eveSchema.path, 'utf8')),
  );
  const lines = readFileSync(join(out, 'eve.json'), 'utf8').trim().split('\n');
  assert.ok(lines.length > 0);
  lines.forEach((line, i) => {
    const ok = validate(JSON.parse(line));
    assert.ok(ok, `eve.json line ${i + 1}: ${JSON.stringify(validate.errors)}`);
  });
});

test('alerts are stored as ids-alert events and the text summary counts them', { skip: lab.skip }, () => {
  const dir = tmp();
  const db = join(dir, 'p.db');
  const r = picket(['analyze', 'examples/lab', '--db', db, '-q']);
  assert.equal(r.code, 0, r.stderr);
  const m = /^Rule alerts: (\d+) from (\d+) rules \(starter rules\)$/m.exec(r.stdout);
  assert.ok(m, `a rules section in:\n${r.stdout}`);
  const raw = new Database(db, { readonly: true });
  const { n } = raw.prepare("SELECT count(*) AS n FROM events WHERE type = 'ids-alert'").get() as {
    n: number;
  };
  raw.close();
  assert.ok(n > 0);
  assert.equal(n, Number(m[1]), 'each alert the summary counts is in the store');
});

test('the ET ruleset with HOME_NET set fires the expected signatures on the lab capture', {
  skip: lab.skip || etDir.skip,
}, () => {
  const out = join(tmp(), 'out');
  const r = picket([
    'analyze',
    capture,
    '-o',
    out,
    '--no-store',
    '--json',
    '--rules',
    etDir.path,
    '--var',
    'HOME_NET=[10.99.0.0/24]',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.rules.source, etDir.path);
  assert.ok(summary.rules.loaded > 10_000, 'most of ET loads');
  const sids = new Set(jsonLines<EveAlert>(join(out, 'eve.json')).map((e) => e.alert.signature_id));
  for (const sid of [2016032, 2002664, 2018232, 2022263, 2009358, 2006546])
    assert.ok(sids.has(sid), `sid ${sid} fired (got ${[...sids].sort().join(' ')})`);
});

test('HOME_NET decides what $EXTERNAL_NET is: lab addresses need it set, by --var or --vars-file', {
  skip: lab.skip || etScan.skip,
}, () => {
  const dir = tmp();
  const run = (name: string, extra: string[]) => {
    const out = join(dir, name);
    const r = picket(['analyze', capture, '-o', out, '--no-store', '-q', '--rules', etScan.path, ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return jsonLines<EveAlert>(join(out, 'eve.json')).map((e) => e.alert.signature_id);
  };
  const nessus = 2002664; // $EXTERNAL_NET -> $HOME_NET, the Nessus User-Agent
  const defaults = run('defaults', []);
  assert.ok(
    !defaults.includes(nessus),
    'with the default HOME_NET (all private space) the lab attacker is "home", not external',
  );
  const byVar = run('var', ['--var', 'HOME_NET=[10.99.0.0/24]']);
  assert.ok(byVar.includes(nessus), 'with HOME_NET set to the victims the attacker is external');
  const varsFile = join(dir, 'vars.conf');
  writeFileSync(varsFile, '# the lab network\nHOME_NET=[10.99.0.0/24]\n');
  assert.deepEqual(tally(run('file', ['--vars-file', varsFile])), tally(byVar), '--vars-file acts as --var');
});

test('--threshold-config suppresses a signature', { skip: lab.skip }, () => {
  const dir = tmp();
  const conf = join(dir, 'threshold.config');
  writeFileSync(conf, 'suppress gen_id 1, sig_id 9900001\n');
  const run = (name: string, extra: string[]) => {
    const out = join(dir, name);
    const r = picket(['analyze', capture, '-o', out, '--no-store', '-q', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return jsonLines<EveAlert>(join(out, 'eve.json')).map((e) => e.alert.signature_id);
  };
  const plain = run('plain', []);
  assert.ok(plain.includes(9900001), 'the Nessus starter rule fires without the suppression');
  const suppressed = run('suppressed', ['--threshold-config', conf]);
  assert.ok(!suppressed.includes(9900001));
  assert.deepEqual(
    tally(suppressed),
    tally(plain.filter((s) => s !== 9900001)),
    'only that signature is gone',
  );
});

test('--no-rules: no eve.json, no ids-alert events, no rules section', { skip: lab.skip }, () => {
  const dir = tmp();
  const text = picket(['analyze', 'examples/lab', '-o', join(dir, 'text'), '--no-store', '-q', '--no-rules']);
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /Rule alerts/);
  assert.match(text.stdout, /^Flows: \d+/m, 'the rest of the summary is there');
  assert.ok(!existsSync(join(dir, 'text', 'eve.json')));
  assert.ok(existsSync(join(dir, 'text', 'events.jsonl')));
  const types = jsonLines<PicketEvent>(join(dir, 'text', 'events.jsonl')).map((e) => e.type);
  assert.ok(types.length > 0);
  assert.ok(!types.includes('ids-alert'));

  const json = picket(['analyze', 'examples/lab', '--no-store', '--json', '--no-rules']);
  assert.equal(json.code, 0, json.stderr);
  const s = JSON.parse(json.stdout);
  assert.equal(s.rules, undefined);
  assert.equal(s.alerts, 0);
  assert.deepEqual(s.alertsBySignature, {});
});

test('--rules naming a missing path exits with the no-input code and a hint', () => {
  const r = picket(['analyze', 'examples/lab', '--no-store', '-q', '--rules', join(tmp(), 'nope.rules')]);
  assert.equal(r.code, ExitCode.NO_INPUT);
  assert.match(r.stderr, /rules not found: .*nope\.rules/);
  assert.match(r.stderr, /hint:/);
});

test('--no-rules together with --rules is a usage error', () => {
  const r = picket(['analyze', 'examples/lab', '--no-store', '-q', '--no-rules', '--rules', 'rules']);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal(r.code, ExitCode.USAGE);
});

test('rules explain 2002664 from the ET folder: the limit threshold in words, as JSON and text', {
  skip: etDir.skip,
}, () => {
  const r = picket(['rules', 'explain', '2002664', '--rules', etDir.path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  assert.equal(e.sid, 2002664);
  assert.equal(e.support, 'full');
  assert.match(e.msg, /Nessus/);
  // threshold: type limit, track by_src, count 1, seconds 60
  assert.match(e.rate, /at most once per 60 seconds per source/i);
  assert.match(e.summary, /at most once per 60 seconds per source/i);
  assert.ok(e.matches.some((m: { pattern: string }) => m.pattern === 'Nessus'));

  const text = picket(['rules', 'explain', '2002664', '--rules', etScan.path]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^1:2002664:\d+ +ET SCAN Nessus User Agent/);
  assert.match(text.stdout, /User-Agent header contains "Nessus"/);
  assert.match(text.stdout, /^Rate +Alerts at most once per 60 seconds per source/m);
  assert.doesNotMatch(text.stdout, /\x1b\[/, 'no colour codes when writing to a pipe');
});

test('rules explain: an unknown sid exits with the no-input code and a hint; a rejected one says why', () => {
  const dir = tmp();
  const file = join(dir, 'local.rules');
  writeFileSync(
    file,
    [
      'alert tcp any any -> any 80 (msg:"LOCAL fine"; content:"x"; sid:1000001; rev:1;)',
      'alert tcp any any -> any 80 (msg:"LOCAL both ways"; flow:to_server,to_client; sid:1000002; rev:1;)',
      '',
    ].join('\n'),
  );
  assert.equal(picket(['rules', 'explain', '1000001', '--rules', file]).code, 0);

  const unknown = picket(['rules', 'explain', '4242', '--rules', file]);
  assert.equal(unknown.code, ExitCode.NO_INPUT);
  assert.match(unknown.stderr, /no rule with sid 4242 in .*local\.rules/);
  assert.match(unknown.stderr, /hint: .*--rules/);

  const rejected = picket(['rules', 'explain', '1000002', '--rules', file]);
  assert.equal(rejected.code, ExitCode.NO_INPUT);
  assert.match(rejected.stderr, /rule 1000002 was rejected: .*local\.rules:2: flow: .*conflicts/);

  const notSid = picket(['rules', 'explain', 'nessus', '--rules', file]);
  assert.equal(notSid.code, ExitCode.USAGE);
  assert.match(notSid.stderr, /not a signature id: nessus/);
});

test('rules install keeps a ruleset beside the store; explain and analyze use it instead of the starter rules', {
  skip: lab.skip,
}, () => {
  const dir = tmp();
  const db = join(dir, 'x.db');
  const inst = picket(['rules', 'install', 'rules/', '--db', db, '--json']);
  assert.equal(inst.code, 0, inst.stderr);
  const res = JSON.parse(inst.stdout);
  assert.equal(res.dir, join(dir, 'rules'));
  assert.ok(readdirSync(res.dir).some((f) => f.endsWith('.rules')));

  const found = picket(['rules', 'explain', '9900001', '--db', db]);
  assert.equal(found.code, 0, found.stderr);
  assert.match(found.stdout, /^1:9900001:\d+ +PICKET SCAN Nessus/);
  const missing = picket(['rules', 'explain', '4242', '--db', db]);
  assert.equal(missing.code, ExitCode.NO_INPUT);
  assert.match(missing.stderr, /in installed ruleset \(.*rules\)/, 'the error names the installed set');

  // Installing another set replaces it: the starter rule is gone, the local one is used.
  const local = join(dir, 'local.rules');
  writeFileSync(
    local,
    'alert http any any -> any any (msg:"LOCAL Nessus UA"; flow:established,to_server; http.user_agent; content:"Nessus"; sid:1000010; rev:1;)\n',
  );
  assert.equal(picket(['rules', 'install', local, '--db', db]).code, 0);
  assert.deepEqual(readdirSync(join(dir, 'rules')), ['local.rules']);
  assert.equal(picket(['rules', 'explain', '9900001', '--db', db]).code, ExitCode.NO_INPUT);

  // --no-store writes nothing to the store, but --db still says where the installed ruleset is.
  const out = join(dir, 'out');
  const r = picket(['analyze', capture, '--db', db, '--no-store', '--json', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.match(s.rules.source, /^installed ruleset/);
  assert.equal(s.rules.loaded, 1);
  const sids = jsonLines<EveAlert>(join(out, 'eve.json')).map((e) => e.alert.signature_id);
  assert.ok(sids.length > 0);
  assert.deepEqual([...new Set(sids)], [1000010]);
  assert.ok(!existsSync(db), '--no-store created no database');
});

test('rules install of something that is not a ruleset exits with the no-input code', () => {
  const dir = tmp();
  const db = join(dir, 'x.db');
  assert.equal(picket(['rules', 'install', join(dir, 'missing'), '--db', db]).code, ExitCode.NO_INPUT);
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'no rules here\n');
  const r = picket(['rules', 'install', notes, '--db', db]);
  assert.equal(r.code, ExitCode.NO_INPUT);
  assert.match(r.stderr, /no rules in/);
  assert.ok(!existsSync(join(dir, 'rules')), 'nothing was installed');
});

test('a --var without a value exits with the usage code and names the problem', { skip: lab.skip }, () => {
  const r = picket(['analyze', 'examples/lab', '--no-store', '-q', '--var', 'HOME_NET']);
  assert.equal(r.code, ExitCode.USAGE);
  assert.match(r.stderr, /--var HOME_NET: expected NAME=value/);
  assert.match(r.stderr, /hint: variables look like HOME_NET=/);
  assert.equal(r.stdout, '', 'nothing analysed');
  const explain = picket(['rules', 'explain', '9900001', '--var', 'HOME_NET']);
  assert.equal(explain.code, ExitCode.USAGE);
});

test('a --var whose value is not an address list is a usage error', { skip: lab.skip }, () => {
  const dir = tmp();
  const file = join(dir, 'home.rules');
  writeFileSync(
    file,
    'alert tcp $EXTERNAL_NET any -> $HOME_NET 80 (msg:"LOCAL to web"; content:"GET"; sid:1000020; rev:1;)\n',
  );
  const r = picket([
    'analyze',
    capture,
    '--no-store',
    '-q',
    '--rules',
    file,
    '--var',
    'HOME_NET=[10.99.0.0/24',
  ]);
  assert.equal(r.code, ExitCode.USAGE);
  assert.match(r.stderr, /HOME_NET/);
});
