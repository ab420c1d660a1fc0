import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { syslogReader } from './index.js';
import { programFields } from './program-message.js';
import { defaultLineContext, isProblem } from './types.js';

test('PAM session lines give the user, module, origin and state', () => {
  const f = programFields('pkexec', 'pam_unix(polkit-1:session): session opened for user root by (uid=1001)');
  assert.deepEqual(f, {
    user: 'root',
    attrs: {
      pamModule: 'pam_unix',
      pamOrigin: 'polkit-1:session',
      pamSessionState: 'opened',
      pamBy: '(uid=1001)',
    },
  });
  // Newer PAM appends the uid to the user name.
  const g = programFields('sshd', 'pam_unix(sshd:session): session closed for user alice(uid=1000)');
  assert.equal(g?.user, 'alice');
  assert.equal(g?.attrs.pamSessionState, 'closed');
  assert.equal(g?.attrs.pamBy, undefined);
});

test('cron job lines give the user, action and command, only from cron', () => {
  const f = programFields('CRON', '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)');
  assert.deepEqual(f, {
    user: 'root',
    attrs: { cronAction: 'CMD', cronCommand: '   cd / && run-parts --report /etc/cron.hourly' },
  });
  assert.equal(programFields('crond', '(*system*) RELOAD (/etc/crontab)')?.attrs.cronAction, 'RELOAD');
  assert.equal(programFields('kernel', '(root) CMD (ls)'), undefined);
  assert.equal(programFields('CRON', '(CRON) info (No MTA installed, discarding output)'), undefined);
});

test('other messages give nothing', () => {
  assert.equal(programFields('su', 'pam_unix(su:auth): authentication failure'), undefined);
  assert.equal(programFields(undefined, 'session opened for user root'), undefined);
});

test('the syslog reader carries the fields on its record', () => {
  const r = syslogReader.parseLine(
    'Jul 17 12:17:01 precision CRON[869568]: (root) CMD (run-parts /etc/cron.hourly)',
    defaultLineContext(),
  );
  assert.ok(r && !isProblem(r) && r.reader === 'syslog');
  assert.equal(r.user, 'root');
  assert.equal(r.attrs?.cronCommand, 'run-parts /etc/cron.hourly');
  assert.equal(r.msg, '(root) CMD (run-parts /etc/cron.hourly)');
});

const shapes = [
  'pam_unix(cron:session): session opened for user root by (uid=0)',
  '(root) CMD (run-parts /etc/cron.daily)',
];
const mutated = fc
  .tuple(fc.constantFrom(...shapes), fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 20 }))
  .map(([l, at, cut, ins]) => {
    const i = at % (l.length + 1);
    return l.slice(0, i) + ins + l.slice(i + cut);
  });

test('random and mutated messages never throw and give only substrings', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 200 }), mutated),
      fc.constantFrom('CRON', 'sshd', undefined),
      (msg, app) => {
        const f = programFields(app, msg);
        if (f?.user !== undefined) assert.ok(msg.includes(f.user));
        for (const v of Object.values(f?.attrs ?? {})) assert.ok(msg.includes(v));
      },
    ),
    { numRuns: 2000 },
  );
});

test('long hostile messages stay linear', () => {
  const n = 200_000;
  const cases = [
    `pam_x(${'a'.repeat(n)}: session opened for user ${'b'.repeat(n)}`,
    `(root) ${'A '.repeat(n)}(${'('.repeat(n)}`,
    `${'a'.repeat(n)}(x): session ${'w'.repeat(n)}`,
  ];
  // Outcome only (no timing): each returns; a backtracking blow-up would hang the run instead.
  for (const msg of cases) {
    const f = programFields('CRON', msg);
    for (const v of Object.values(f?.attrs ?? {})) assert.ok(msg.includes(v));
  }
});
