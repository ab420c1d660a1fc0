/**
 * Snippets checked by the tools that will read them, where this machine has
 * them: nft -c (syntax and set types), sshd -t (in a private mount
 * namespace, for /run/sshd), fail2ban-client -t (on a copy of
 * /etc/fail2ban), iptables inside a network namespace of our own, and
 * Picket's own rule and threshold.config parsers for prevention mode and
 * suppression. Each check is shown to fail on a broken snippet first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { needRoot, needTools } from '../../../test/support/env.js';
import { newSpecCache } from '../../rules/parse/header.js';
import { defaultReferenceSystems } from '../../rules/parse/reference.js';
import { parseRule } from '../../rules/parse/rule.js';
import { parseThresholdConfig } from '../../rules/parse/threshold-config.js';
import { defaultVars } from '../../rules/parse/variables.js';
import { accepted } from '../../rules/testing.js';
import { blockSnippets } from './block.js';
import { dropRuleText, preventionSnippets } from './prevention.js';
import { sshSnippets } from './ssh.js';
import { suppressLine } from './suppress.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-action-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
const v4 = { text: '10.99.1.68', v6: false };
const v6 = { text: '2001:db8::68', v6: true };

function nftCheck(text: string) {
  const f = join(dir, `nft-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(f, `${text}\n`);
  return run('nft', ['-c', '-f', f]);
}

const nft = needTools('nft') || needRoot();
test('nftables: the block snippet passes nft -c for IPv4 and IPv6; a broken one does not', {
  skip: nft,
}, () => {
  const bad = nftCheck(
    'table inet picket { set block4 { type ipv4_addr; flags timeout; } }\nadd element inet picket block4 { 10.99.1.68 timeout 24 hours }',
  );
  assert.notEqual(bad.status, 0, 'nft -c rejects a bad timeout');
  for (const address of [v4, v6]) {
    const text = blockSnippets({ address, hours: 24, sid: 9900008 }).find(
      (s) => s.format === 'nftables',
    )!.text;
    const r = nftCheck(text);
    assert.equal(r.status, 0, `${r.stderr}\n${text}`);
  }
});

const ipt = needTools('iptables', 'ip6tables', 'ip') || needRoot();
test('iptables: the plain rule is accepted and removed again inside a network namespace of our own', {
  skip: ipt,
}, () => {
  const ns = `picket-act-${process.pid}`;
  assert.equal(run('ip', ['netns', 'add', ns]).status, 0);
  try {
    for (const address of [v4, v6]) {
      const text = blockSnippets({ address, hours: 24, sid: 9900008 }).find(
        (s) => s.format === 'iptables',
      )!.text;
      const commands = text
        .split('\n')
        .map((l) => l.replace(/^# to remove it later: /, ''))
        .filter((l) => !l.startsWith('#'));
      assert.equal(commands.length, 2, text);
      for (const c of commands) {
        // Our own snippet, split the way a shell would (the only quoted part is our own comment).
        const argv = c.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
        const r = run('ip', ['netns', 'exec', ns, ...argv]);
        assert.equal(r.status, 0, `${c}\n${r.stderr}`);
      }
    }
    const bad = run('ip', [
      'netns',
      'exec',
      ns,
      'iptables',
      '-I',
      'INPUT',
      '-s',
      '10.99.1.68',
      '-m',
      'comment',
      '-j',
      'DROP',
    ]);
    assert.notEqual(bad.status, 0, 'iptables rejects a comment match without its text');
  } finally {
    run('ip', ['netns', 'del', ns]);
  }
});

const sshd = needTools('sshd', 'ssh-keygen', 'unshare') || needRoot();
test('sshd_config: the snippet passes sshd -t; a misspelt option does not', { skip: sshd }, () => {
  const key = join(dir, 'hostkey');
  assert.equal(run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status, 0);
  const check = (body: string) => {
    const f = join(dir, `sshd-${Math.random().toString(36).slice(2)}.conf`);
    writeFileSync(f, `HostKey ${key}\n${body}\n`);
    const sshdPath = existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : 'sshd';
    return run('unshare', [
      '-m',
      'sh',
      '-c',
      `mount -t tmpfs none /run && mkdir -p /run/sshd && ${sshdPath} -t -f "$1"`,
      'sh',
      f,
    ]);
  };
  assert.notEqual(check('AllowUser admin').status, 0);
  for (const source of ['10.99.1.67', '2001:db8::67', undefined]) {
    const text = sshSnippets({ ...(source ? { source } : {}), port: 22, hours: 24 }).find(
      (s) => s.format === 'sshd_config',
    )!.text;
    const r = check(text);
    assert.equal(r.status, 0, `${r.stderr}\n${text}`);
  }
});

const f2b =
  needTools('fail2ban-client') || (existsSync('/etc/fail2ban/jail.conf') ? false : 'needs /etc/fail2ban');
test('fail2ban: the jail passes fail2ban-client -t without warnings; a bad value warns', {
  skip: f2b,
}, () => {
  const conf = join(dir, 'fail2ban');
  cpSync('/etc/fail2ban', conf, { recursive: true });
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  // Test-only: read a file of ours instead of this machine's journal (jail.d/*.local is read last).
  writeFileSync(
    join(conf, 'jail.d', 'zz-picket-test.local'),
    `[sshd]\nbackend = polling\nlogpath = ${log}\n`,
  );
  const check = (jail: string) => {
    writeFileSync(join(conf, 'jail.local'), `${jail}\n`);
    const r = run('fail2ban-client', ['-c', conf, '-t']);
    return { ok: r.status === 0 && !/ERROR|Wrong value/.test(r.stderr + r.stdout), out: r.stderr + r.stdout };
  };
  const text = sshSnippets({ source: '10.99.1.67', port: 2222, hours: 12 }).find(
    (s) => s.format === 'fail2ban jail.local',
  )!.text;
  assert.match(text, /port {5}= 2222/);
  assert.match(text, /bantime {2}= 12h/);
  const good = check(text);
  assert.ok(good.ok, good.out);
  assert.ok(!check(text.replace('maxretry = 5', 'maxretry = five')).ok, 'a bad maxretry is noticed');
});

test('prevention mode: the rewritten rule parses with action drop and the same sid; ET rules go through suricata-update', () => {
  const rule = accepted(
    'msg:"PICKET SCAN Nessus vulnerability scanner User-Agent"; http.user_agent; content:"Nessus"; nocase; sid:9900001; rev:1;',
    'http',
  );
  const text = dropRuleText(rule)!;
  assert.match(text, /^drop http /);
  const parsed = parseRule(
    { line: 1, text, disabled: false },
    {
      vars: defaultVars(),
      cache: newSpecCache(),
      keywords: { classifications: new Map(), references: defaultReferenceSystems() },
      file: 't',
    },
  );
  assert.ok('rule' in parsed, 'error' in parsed ? parsed.error : '');
  assert.equal(parsed.rule.header.action, 'drop');
  assert.equal(parsed.rule.sid, 9900001);
  assert.deepEqual(
    parsed.rule.matches.map((m) => m.buffer),
    rule.matches.map((m) => m.buffer),
  );
  const own = preventionSnippets(rule, 9900001, 1, rule.msg);
  assert.deepEqual(
    own.map((s) => s.format),
    ['suricata-rule', 'suricata-update drop.conf', 'suricata-update modify.conf'],
  );
  const et = accepted(
    'msg:"ET SCAN Nessus User Agent"; http.user_agent; content:"Nessus"; sid:2002664;',
    'http',
  );
  const etSnips = preventionSnippets(et, 2002664, 1, et.msg);
  assert.deepEqual(
    etSnips.map((s) => s.format),
    ['suricata-update drop.conf', 'suricata-update modify.conf'],
  );
  assert.match(etSnips[0]!.text, /^1:2002664$/m);
  assert.match(etSnips[1]!.text, /^2002664 "\^alert" "drop"$/m);
  const already = accepted('msg:"x"; content:"a"; sid:5;');
  assert.equal(dropRuleText({ ...already, header: { ...already.header, action: 'drop' } }), undefined);
});

test('suppress: the threshold.config line parses as a suppression for that host', () => {
  const p = parseThresholdConfig(
    `${suppressLine(1, 2016032, 'by_src', '10.99.1.68')}\n${suppressLine(1, 2018232, 'by_dst', '2001:db8::10')}\n`,
  );
  assert.deepEqual(p.problems, []);
  assert.deepEqual(
    p.entries.map((e) => (e.kind === 'suppress' ? [e.sid, e.track, e.ip] : [])),
    [
      [2016032, 'by_src', '10.99.1.68'],
      [2018232, 'by_dst', '2001:db8::10'],
    ],
  );
});
