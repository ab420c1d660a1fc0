/**
 * report.html: structure (every incident and alarm is in it, with its
 * coverage and verdicts) and inertness (attacker strings in every field come
 * out as text; a real headless Chromium runs no script and shows them).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { needTools } from '../../../test/support/env.js';
import { buildIncidents } from '../../detect/incident/build.js';
import { labFindings, labSummaries } from '../../detect/incident/testing/lab-story.js';
import type { Alarm } from '../../schema/alarm.js';
import type { TypeSummaryCell } from '../../store/store.js';
import { buildAlarm } from '../../triage/alarm/build.js';
import { HOSTILE, hostileAlarm } from '../../triage/alarm/testing/hostile.js';
import { builtGroup, unknownSteps } from '../../triage/alarm/testing/steps.js';
import { labSite } from '../../triage/coverage/testing/lab-site.js';
import { html, link } from './html.js';
import { type ReportInput, renderReport, writeReport } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const findings = labFindings();
const incidents = buildIncidents({ findings, addresses: labSummaries() });

function seedAlarm(): Alarm {
  const msg = 'ET SCAN JCE Joomla Scanner';
  return buildAlarm(
    builtGroup(msg, { sid: 2016032, src: '10.99.1.68', dst: '10.99.0.10', count: 3 }),
    unknownSteps(msg, 'scan', {
      connection: {
        established: 'yes',
        packetsToServer: 6,
        packetsToClient: 4,
        bytesToServer: 494,
        bytesToClient: 524,
      },
      rule: {
        alarmTitle: 'Someone is scanning your network with JCE Joomla Scanner',
        references: [
          { type: 'cve', value: '2015-8562', url: 'https://nvd.nist.gov/vuln/detail/CVE-2015-8562' },
        ],
      },
      response: {
        answered: 'yes',
        attemptFailed: 'yes',
        basis: 'http',
        http: { status: 404, server: 'nginx/1.22.1' },
      },
    }),
  );
}

function input(): ReportInput {
  const alarms = [seedAlarm(), ...HOSTILE.map((_, i) => hostileAlarm(i))];
  const typeSummary: Record<string, TypeSummaryCell[]> = {};
  for (const i of incidents)
    typeSummary[i.src] = Object.entries(i.eventsByType).map(([type, count]) => ({
      bucket: 0,
      type,
      sourceKind: 'pcap',
      count,
    }));
  // Hostile type and source-kind names, as a corrupted store could hold.
  typeSummary['203.0.113.9'] = HOSTILE.map((h, k) => ({
    bucket: 0,
    type: h,
    sourceKind: k % 2 ? 'pcap' : h,
    count: k + 1,
  }));
  return {
    run: {
      id: 7,
      command: `analyze examples/lab ${HOSTILE[0]}`,
      startedAt: 1_795_432_000,
      inputs: ['examples/lab', HOSTILE[4]],
    },
    incidents,
    alarms,
    findings,
    typeSummary,
    site: labSite(),
    generatedAt: 1_795_433_000,
  };
}

test('every incident and every alarm appears, with coverage, verdicts and a chart per source', () => {
  const doc = renderReport(input());
  assert.ok(doc.startsWith('<!doctype html>'));
  for (const id of ['overview', 'incidents', 'alarms', 'types', 'coverage'])
    assert.match(doc, new RegExp(`<section id="${id}">`));
  for (const i of incidents) {
    assert.ok(doc.includes(`<tr id="${i.uid}">`), `incident ${i.uid}`);
    assert.ok(doc.includes(html(i.title)), `incident title ${i.title}`);
  }
  const all = input().alarms;
  for (const a of all) {
    assert.ok(doc.includes(`<details class="alarm p-${a.priority}" id="${a.uid}">`), `alarm ${a.uid}`);
    assert.ok(doc.includes(html(a.conclusion)), `conclusion of ${a.uid}`);
  }
  assert.equal(doc.match(/<details class="alarm /g)?.length, all.length);
  // Coverage: the lab's brute force was seen by pcap and sshd; the site's missing kinds are listed.
  assert.match(doc, /<td>10\.99\.1\.67<\/td>.*?<td>[^<]*pcap[^<]*<\/td>/s);
  assert.match(doc, /<section id="coverage">.*<td>pcap<\/td><td>read<\/td>/s);
  assert.equal(doc.match(/<svg /g)?.length, incidents.length + 1);
  assert.ok(
    doc.includes(
      '<a href="https://nvd.nist.gov/vuln/detail/CVE-2015-8562" rel="noreferrer noopener">2015-8562</a>',
    ),
  );
  assert.match(doc, /6 packets \(494 B\) to the server, 4 packets \(524 B\) back/);
});

test('the page has no active content: no script, no handlers, no links but http(s) and anchors, nothing external', () => {
  const doc = renderReport(input());
  const tags = doc.match(/<[a-zA-Z][^>]*>/g) ?? [];
  const names = new Set(tags.map((t) => /^<([a-zA-Z0-9]+)/.exec(t)![1]!.toLowerCase()));
  for (const bad of [
    'script',
    'iframe',
    'object',
    'embed',
    'img',
    'form',
    'input',
    'link',
    'base',
    'textarea',
  ])
    assert.ok(!names.has(bad), `no <${bad}>`);
  for (const t of tags) assert.doesNotMatch(t, /\son[a-z]+\s*=/i, `no handler in ${t}`);
  for (const m of doc.matchAll(/\shref="([^"]*)"/g)) assert.match(m[1]!, /^(#|https?:\/\/)/, `href ${m[1]}`);
  for (const t of tags) assert.doesNotMatch(t, /\ssrc=|url\(/i, `nothing fetched by ${t}`);
  const style = /<style>(.*?)<\/style>/s.exec(doc)![1]!;
  assert.doesNotMatch(style, /url\(|@import/i);
  assert.match(
    doc,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/,
  );
  assert.doesNotMatch(
    doc,
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/,
  );
  assert.ok(doc.includes('&lt;script&gt;document.title=&quot;pwned&quot;'));
  assert.ok(doc.includes('user<span class="esc">\\u{202e}</span>gnp.exe'));
  // The hostile reference URL is text, not a link.
  assert.ok(doc.includes('javascript:window.__pwned=1') && !doc.includes('href="javascript:'));
});

test('link() makes only http(s) URLs clickable', () => {
  assert.equal(link('javascript:alert(1)'), 'javascript:alert(1)');
  assert.equal(link('data:text/html,<b>'), 'data:text/html,&lt;b&gt;');
  assert.equal(link('https://x.test/a"onmouseover="1'), 'https://x.test/a&quot;onmouseover=&quot;1');
  assert.equal(
    link('https://x.test/a?b=1&c=2', 'x'),
    '<a href="https://x.test/a?b=1&amp;c=2" rel="noreferrer noopener">x</a>',
  );
});

const chromium = needTools('chromium');

/** The DOM after load, as Chromium sees it (scripts, if any, would have run). */
function dumpDom(file: string): string {
  return execFileSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--virtual-time-budget=2000',
      '--dump-dom',
      `file://${file}`,
    ],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

test('in headless Chromium no script runs and the attacker strings show as text', { skip: chromium }, () => {
  // The harness can see a script run: a control page that does run one changes its title.
  const control = join(dir, 'control.html');
  writeFileSync(control, `<!doctype html><title>Picket report</title>${HOSTILE[0]}`);
  assert.match(dumpDom(control), /<title>pwned<\/title>/);

  const file = join(dir, 'report.html');
  writeReport(file, input());
  const dom = dumpDom(file);
  assert.match(dom, /<title>Picket report<\/title>/);
  assert.doesNotMatch(dom, /<(script|img|svg onload|iframe|style>body)/i);
  assert.doesNotMatch(dom, /<[a-z][^>]*\son[a-z]+=/i);
  assert.ok(dom.includes('&lt;script&gt;document.title="pwned"'), 'the script tag is shown as text');
  assert.ok(
    dom.includes('"&gt;&lt;img src=x onerror="window.__pwned=1"&gt;'),
    'the handler is shown as text',
  );
  assert.equal(dom.match(/<details class="alarm /g)?.length, input().alarms.length);
  assert.equal(readFileSync(file, 'utf8'), renderReport(input()));
});
