/**
 * `picket alarms` and `picket alarm UID` in process: a real store on disk
 * holding alarms built by the verdict chain (and one full of attacker
 * strings), driven through Commander.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command, CommanderError } from 'commander';
import type { Alarm } from '../../schema/alarm.js';
import { openSqliteStore } from '../../store/index.js';
import { buildAlarm } from '../../triage/alarm/build.js';
import { hostileAlarm } from '../../triage/alarm/testing/hostile.js';
import { builtGroup, unknownSteps } from '../../triage/alarm/testing/steps.js';
import { registerAlarmsCommand } from './alarms-command.js';
import { CliError, ExitCode } from './exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-cli-alarms-'));
const db = join(dir, 'alarms.db');
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-23T10:00:00Z') / 1000;
const JCE = 'ET SCAN JCE Joomla Scanner';
const BRUTE = 'ET SCAN LibSSH Based Frequent SSH Connections Likely Bruteforce Attack';
let jce: Alarm;
let brute: Alarm;
let hostile: Alarm;

before(async () => {
  jce = buildAlarm(
    builtGroup(JCE, { sid: 2016032, src: '10.99.1.68', dst: '10.99.0.10', ts: T0, count: 3 }),
    unknownSteps(JCE, 'scan', {
      connection: {
        established: 'yes',
        dataExchanged: 'yes',
        blocked: 'no',
        packetsToServer: 6,
        packetsToClient: 4,
        bytesToServer: 494,
        bytesToClient: 524,
        summary: 'Established, data exchanged both ways',
        evidence: [{ kind: 'flow', ref: 'CabC123', note: 'matched by Community ID' }],
      },
      rule: {
        sid: 2016032,
        rev: 3,
        alarmTitle: 'Someone is scanning your network with JCE Joomla Scanner',
        explanation: 'Looks at the HTTP User-Agent.\nAlerts when it holds "BOT/0.1 (BOT for JCE)".',
        matched: [{ buffer: 'http.user_agent', excerpt: 'BOT/0.1 (BOT for JCE)', start: 0, end: 21 }],
        references: [
          {
            type: 'url',
            value: 'www.exploit-db.com/exploits/17734',
            url: 'https://www.exploit-db.com/exploits/17734',
          },
        ],
      },
      response: {
        answered: 'yes',
        attemptFailed: 'yes',
        basis: 'http',
        http: { status: 404, server: 'nginx/1.22.1', contentType: 'text/html', bodyBytes: 153 },
        meaning: 'the server found nothing there; the attempt failed',
      },
    }),
    {
      recommend: () => [
        {
          kind: 'block-source',
          reason: 'the scan reached the web server',
          snippets: [
            { format: 'nftables', text: 'add element inet filter picket_block { 10.99.1.68 timeout 24h }' },
          ],
        },
      ],
    },
  );
  brute = buildAlarm(
    builtGroup(BRUTE, {
      sid: 2006546,
      src: '10.99.1.67',
      dst: '10.99.0.11',
      dstPort: 22,
      ts: T0 + 3600,
      count: 40,
    }),
    unknownSteps(BRUTE, 'brute-force', {
      connection: { established: 'yes' },
      response: { answered: 'yes', attemptFailed: 'no', loginSucceeded: 'yes', basis: 'sshd' },
    }),
  );
  hostile = hostileAlarm();
  const store = openSqliteStore(db);
  await store.writeAlarms([jce, brute, hostile]);
  await store.close();
});

async function picket(args: string[]): Promise<string> {
  let text = '';
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerAlarmsCommand(program, (t) => {
    text += t;
  });
  await program.parseAsync(['node', 'picket', ...args]);
  return text;
}

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

test('picket alarms: a table, highest priority first, with count, source → target and title', async () => {
  const text = await picket(['alarms', '--db', db]);
  const lines = text.split('\n');
  assert.match(lines[0]!, /^priority\s+disposition\s+count\s+source → target\s+uid\s+title$/);
  assert.match(
    lines[1]!,
    new RegExp(
      `^critical\\s+likely-compromise\\s+40\\s+10\\.99\\.1\\.67 → 10\\.99\\.0\\.11:22\\s+${brute.uid}\\s+ET SCAN LibSSH`,
    ),
  );
  assert.match(
    text,
    new RegExp(
      `low\\s+failed-attempt\\s+3\\s+10\\.99\\.1\\.68 → 10\\.99\\.0\\.10:80\\s+${jce.uid}\\s+Someone is scanning your network with JCE Joomla Scanner`,
    ),
  );
  assert.match(text, /3 alarms; the story of one: picket alarm UID/);
});

test('picket alarms filters by disposition, priority, source, sid and time, and prints JSON lines', async () => {
  const uids = async (args: string[]) =>
    (await picket(['alarms', '--db', db, '--json', ...args]))
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as Alarm).uid);
  assert.deepEqual(await uids(['--priority', 'critical']), [brute.uid]);
  assert.deepEqual(await uids(['--disposition', 'failed-attempt', '--src', '10.99.1.68']), [jce.uid]);
  assert.deepEqual(await uids(['--sid', '2006546']), [brute.uid]);
  assert.deepEqual(await uids(['--since', '2026-11-23T10:30:00Z', '--until', '2026-11-23T11:05Z']), [
    brute.uid,
  ]);
  assert.deepEqual(await uids(['--until', String(T0 + 1)]), [jce.uid]);
  assert.match(
    await picket(['alarms', '--db', db, '--src', '192.0.2.1']),
    /^no alarms match these filters; `picket alarms` without filters/,
  );
  await assert.rejects(picket(['alarms', '--db', db, '--disposition', 'pwned']), (e: unknown) => {
    return e instanceof CommanderError && /Allowed choices are no-action, blocked/.test(e.message);
  });
  await assert.rejects(picket(['alarms', '--db', db, '--since', 'yesterday-ish']), (e: unknown) => {
    return e instanceof CliError && e.code === ExitCode.USAGE && /not a time/.test(e.message);
  });
});

test('picket alarm UID: the story in the seed’s order, with counts, the marked span, references and snippets', async () => {
  const text = await picket(['alarm', jce.uid, '--db', db]);
  const order = [
    '1. The connection',
    '2. The rule',
    '3. The response',
    '4. Relevance',
    '5. What to do',
    'Conclusion:',
  ];
  const at = order.map((h) => text.indexOf(h));
  assert.ok(
    at.every((x, i) => x > 0 && (i === 0 || x > at[i - 1]!)),
    `sections in order: ${at}`,
  );
  assert.match(
    text,
    /^Alarm A\S+ {2}\[low\] failed-attempt\nSomeone is scanning your network with JCE Joomla Scanner\n10\.99\.1\.68 → 10\.99\.0\.10:80\/tcp, 3 alerts \(pcap\), 2026-11-23T10:00:00Z … 2026-11-23T10:00:02Z/,
  );
  assert.match(
    text,
    /established yes, data exchanged yes, blocked no\n {3}6 packets \(494 B\) to the server, 4 packets \(524 B\) back/,
  );
  assert.match(text, /- flow CabC123: matched by Community ID/);
  assert.match(text, /sid 2016032 rev 3: ET SCAN JCE Joomla Scanner \(scan\)/);
  assert.match(text, / {3}Alerts when it holds "BOT\/0\.1 \(BOT for JCE\)"\./);
  assert.match(text, /http\.user_agent: ⟦BOT\/0\.1 \(BOT for JCE\)⟧\n {5}\s{18}\^{21}\n/);
  assert.match(
    text,
    /- url www\.exploit-db\.com\/exploits\/17734: https:\/\/www\.exploit-db\.com\/exploits\/17734/,
  );
  assert.match(text, /status 404, server nginx\/1\.22\.1, text\/html, 153 bytes/);
  assert.match(
    text,
    /- block-source: the scan reached the web server\n {5}\[nftables\]\n {7}add element inet filter picket_block \{ 10\.99\.1\.68 timeout 24h \}/,
  );
  assert.match(
    text,
    /Conclusion: The scan "JCE Joomla Scanner" from 10\.99\.1\.68 \(3 alerts\) reached nginx\/1\.22\.1 on 10\.99\.0\.10:80 and was answered 404/,
  );
  const json = JSON.parse(await picket(['alarm', jce.uid, '--db', db, '--json'])) as Alarm;
  assert.deepEqual(json, jce);
});

test('attacker strings reach the terminal escaped, in the table and in the story', async () => {
  for (const text of [
    await picket(['alarms', '--db', db]),
    await picket(['alarm', hostile.uid, '--db', db]),
  ]) {
    assert.doesNotMatch(text, RAW_CONTROL);
    assert.match(text, /\\x1b\[2J/);
  }
  const story = await picket(['alarm', hostile.uid, '--db', db]);
  assert.match(story, /user\\u\{202e\}gnp\.exe\\u\{202c\}/);
  assert.match(story, /nul\\x00del\\x7fc1\\x85bell\\x07/);
  // Each snippet line stays a line of its own; nothing the attacker sent adds one.
  assert.equal(story.split('\n').filter((l) => l.includes('SecRule')).length, 1);
});

test('an excerpt triage already escaped is shown as it is; any other goes through terminalSafe whole', async () => {
  const { markSpan } = await import('./alarm-format.js');
  const ua = '}__test|O:21:"JDatabaseDriverMysqli":3:{s:4:"\\x5c0\\x5c0a";…';
  assert.deepEqual(markSpan({ buffer: 'http.user_agent', excerpt: ua, start: 8, end: 13 }), [
    `http.user_agent: }__test|⟦O:21:⟧"JDatabaseDriverMysqli":3:{s:4:"\\x5c0\\x5c0a";…`,
    `${' '.repeat(26)}^^^^^`,
  ]);
  const [line] = markSpan({ buffer: 'pkt_data', excerpt: 'a\\b\u001b[2Jc', start: 0, end: 1 });
  assert.equal(line, 'pkt_data: ⟦a⟧\\\\b\\x1b[2Jc');
});

test('errors say what to do next: an unknown uid, a missing store', async () => {
  await assert.rejects(picket(['alarm', 'Anot\u001b[31mthere', '--db', db]), (e: unknown) => {
    return (
      e instanceof CliError &&
      e.code === ExitCode.NO_INPUT &&
      e.message === `no alarm Anot\\x1b[31mthere in ${db}` &&
      /`picket alarms` lists the stored alarms/.test(e.hint ?? '')
    );
  });
  await assert.rejects(picket(['alarms', '--db', join(dir, 'missing.db')]), (e: unknown) => {
    return (
      e instanceof CliError && e.code === ExitCode.NO_INPUT && /run `picket analyze` first/.test(e.hint ?? '')
    );
  });
  const empty = join(dir, 'empty.db');
  await openSqliteStore(empty).close();
  assert.match(await picket(['alarms', '--db', empty]), /^no alarms stored yet/);
});
