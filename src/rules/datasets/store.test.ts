import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { createProblemLog } from '../../util/problems.js';
import { type DatarepOption, type DatasetOption, parseDatarepOption, parseDatasetOption } from './options.js';
import { createDatasetStore } from './store.js';

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const ds = (v: string): DatasetOption => {
  const o = parseDatasetOption(v);
  if ('error' in o) throw new Error(o.error);
  return o;
};
const dr = (v: string): DatarepOption => {
  const o = parseDatarepOption(v);
  if ('error' in o) throw new Error(o.error);
  return o;
};
const tmp = () => mkdtempSync(join(tmpdir(), 'picket-datasets-'));

test('set matches only when the value is new (three identical DNS queries alert once)', () => {
  const store = createDatasetStore({ ruleDir: tmp() });
  const cmd = ds('set,dns-seen, type string');
  assert.deepEqual(
    ['example.com', 'example.com', 'example.com'].map((q) => store.check(cmd, enc(q))),
    [true, false, false],
  );
  assert.equal(store.check(cmd, enc('')), false);
});

test('rules naming the same set share it (a DNS query then the same HTTP host)', () => {
  const store = createDatasetStore({ ruleDir: tmp() });
  const dns = ds('set,dns-seen, type string');
  const http = ds('set,dns-seen, type string');
  assert.equal(store.check(dns, enc('example.com')), true);
  assert.equal(store.check(http, enc('example.com')), false);
  assert.equal(
    store.check(ds('isset,DNS-SEEN'), enc('example.com')),
    true,
    'names compare without case; type inherited',
  );
});

test('isset, isnotset and unset', () => {
  const store = createDatasetStore({ ruleDir: tmp() });
  store.check(ds('set,s, type string'), enc('a'));
  assert.equal(store.check(ds('isset,s'), enc('a')), true);
  assert.equal(store.check(ds('isnotset,s'), enc('a')), false);
  assert.equal(store.check(ds('isnotset,s'), enc('b')), true);
  assert.equal(store.check(ds('unset,s'), enc('a')), true);
  assert.equal(store.check(ds('unset,s'), enc('a')), false);
  assert.equal(store.check(ds('isset,s'), enc('a')), false);
});

test('load reads relative to the rules folder; bad lines are problems with file:line, the rest loads', () => {
  const dir = tmp();
  writeFileSync(
    join(dir, 'ua.csv'),
    `${b64('curl/7.43.0')}\n\n# a comment\nnot base64!\n${b64('Wget')}\r\n${'A'.repeat(70000)}\n${b64('last')}`,
  );
  const problems = createProblemLog();
  const store = createDatasetStore({ ruleDir: dir, problems });
  const isset = ds('isset,ua-seen,type string,load ua.csv');
  assert.deepEqual(store.declare(isset), { ok: true });
  assert.deepEqual(
    ['curl/7.43.0', 'Wget', 'last', 'Mozilla'].map((u) => store.check(isset, enc(u))),
    [true, true, true, false],
  );
  assert.equal(store.check(ds('isnotset,ua-seen,type string,load ua.csv'), enc('curl/7.43.0')), false);
  assert.deepEqual(
    problems.samples.map((p) => [p.code, p.file, p.line]),
    [
      ['dataset.bad-line', join(dir, 'ua.csv'), 4],
      ['dataset.bad-line', join(dir, 'ua.csv'), 6],
    ],
  );
  assert.deepEqual(
    store.stats().map((s) => [s.name, s.entries, s.badLines]),
    [['ua-seen', 3, 2]],
  );
});

test('a missing load file makes the set unusable: it never matches, not even isnotset', () => {
  const problems = createProblemLog();
  const store = createDatasetStore({ ruleDir: tmp(), problems });
  const cmd = ds('isnotset,bl,type string,load nowhere.csv');
  assert.match((store.declare(cmd) as { error: string }).error, /not found/);
  assert.equal(store.check(cmd, enc('x')), false);
  assert.ok(problems.counts.get('dataset.missing-file') === 1);
});

test('conflicting declarations are errors; an undeclared set without a type is not defined', () => {
  const problems = createProblemLog();
  const store = createDatasetStore({ ruleDir: tmp(), problems });
  store.declare(ds('set,s, type string'));
  assert.match(
    (store.declare(ds('set,s, type md5')) as { error: string }).error,
    /already exists with type string/,
  );
  assert.match((store.declare(ds('isset,nope')) as { error: string }).error, /not defined/);
  assert.equal(store.check(ds('isset,nope'), enc('x')), false);
  assert.equal(problems.counts.get('dataset.conflict'), 1);
  // Once per rule option that names it (here two option objects).
  assert.equal(problems.counts.get('dataset.undefined'), 2);
});

test('typed sets: lengths that cannot be looked up are "not set" (as Suricata)', () => {
  const store = createDatasetStore({ ruleDir: tmp() });
  const md5 = new Uint8Array(16).fill(7);
  assert.equal(store.check(ds('set,h, type md5'), md5), true);
  assert.equal(store.check(ds('isset,h'), md5), true);
  assert.equal(store.check(ds('isset,h'), enc('short')), false);
  assert.equal(store.check(ds('isnotset,h'), enc('short')), true);
  assert.equal(store.check(ds('set,h'), enc('short')), false);
  // ipv6 sets take 16-byte addresses and 4-byte IPv4 ones (stored 4 bytes then zeros).
  const dir = tmp();
  writeFileSync(join(dir, 'ips.txt'), '10.0.0.1\n2001:db8::1\n::ffff:192.168.1.1\n');
  const ip = ds('isset,ips, type ip, load ips.txt');
  const ipStore = createDatasetStore({ ruleDir: dir });
  assert.equal(ipStore.check(ip, Uint8Array.of(10, 0, 0, 1)), true);
  assert.equal(ipStore.check(ip, Uint8Array.of(192, 168, 1, 1)), true);
  assert.equal(ipStore.check(ip, Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1)), true);
  assert.equal(ipStore.check(ip, Uint8Array.of(10, 0, 0, 2)), false);
});

test('datarep compares the reputation with >, < and ==', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'dns.rep'), `${b64('google.com')},255\n${b64('example.com')},100\n`);
  const store = createDatasetStore({ ruleDir: dir });
  const check = (op: string, v: number, q: string) =>
    store.check(dr(`dns, ${op}, ${v}, load dns.rep, type string`), enc(q));
  assert.deepEqual(
    [
      check('>', 200, 'google.com'),
      check('>', 200, 'example.com'),
      check('<', 200, 'example.com'),
      check('==', 100, 'example.com'),
      check('==', 100, 'other'),
    ],
    [true, false, true, true, false],
  );
});

test('a memcap reached while loading is reported once with the count; at run time set stops matching', () => {
  const dir = tmp();
  writeFileSync(
    join(dir, 'big.csv'),
    Array.from({ length: 5000 }, (_, i) => b64(`host-${i}.example`)).join('\n'),
  );
  const problems = createProblemLog();
  const store = createDatasetStore({ ruleDir: dir, problems });
  const cmd = ds('isset,big, type string, load big.csv, memcap 32kb');
  store.check(cmd, enc('x'));
  const [s] = store.stats();
  assert.ok(s!.entries > 0 && s!.entries < 5000 && s!.refused === 5000 - s!.entries);
  assert.ok(s!.memoryUsed <= 32 * 1024);
  assert.equal(problems.counts.get('dataset.full'), 1);
  assert.match(
    problems.samples.find((p) => p.code === 'dataset.full')!.message,
    new RegExp(`${5000 - s!.entries} entries`),
  );
  const run = createDatasetStore({ ruleDir: dir, problems: createProblemLog() });
  const set = ds('set,run, type string, memcap 16kb');
  let matched = 0;
  for (let i = 0; i < 5000; i++) if (run.check(set, enc(`v${i}`))) matched++;
  assert.ok(matched < 5000 && run.stats()[0]!.refused === 5000 - matched);
});

test('state loads from and saves to the data folder; paths may not leave it', () => {
  const rules = tmp();
  const data = tmp();
  const first = createDatasetStore({ ruleDir: rules, dataDir: data });
  const set = ds('set,seen, type string, state seen.lst');
  first.check(set, enc('alpha'));
  first.check(set, enc('beta'));
  assert.equal(first.save(), 1);
  assert.deepEqual(
    readFileSync(join(data, 'seen.lst'), 'utf8').trim().split('\n').sort(),
    [b64('alpha'), b64('beta')].sort(),
  );
  const second = createDatasetStore({ ruleDir: rules, dataDir: data });
  assert.equal(
    second.check(ds('set,seen, type string, state seen.lst'), enc('alpha')),
    false,
    'already seen in the saved state',
  );
  assert.equal(second.check(ds('isset,seen'), enc('beta')), true);
  const outside = createDatasetStore({ ruleDir: rules, dataDir: data, problems: createProblemLog() });
  assert.match(
    (outside.declare(ds('set,x, type string, state ../x.lst')) as { error: string }).error,
    /outside the data folder/,
  );
  assert.match(
    (outside.declare(ds('set,y, type string, save /etc/y')) as { error: string }).error,
    /outside the data folder/,
  );
  // Without a data folder nothing is written.
  const noData = createDatasetStore({ ruleDir: rules });
  noData.check(ds('set,z, type string, save z.lst'), enc('q'));
  assert.equal(noData.save(), 0);
});

test('save writes every type back in its file format (ipv4, md5, reputations)', () => {
  const data = tmp();
  mkdirSync(join(data, 'sub'));
  const store = createDatasetStore({ ruleDir: data, dataDir: data });
  store.check(ds('set,ips, type ipv4, save sub/ips.txt'), Uint8Array.of(10, 1, 2, 3));
  store.check(ds('set,md5s, type md5, state md5.txt'), new Uint8Array(16).fill(0xab));
  assert.equal(store.save(), 2);
  assert.equal(readFileSync(join(data, 'sub/ips.txt'), 'utf8'), '10.1.2.3\n');
  assert.equal(readFileSync(join(data, 'md5.txt'), 'utf8'), `${'ab'.repeat(16)}\n`);
});

test('random file contents never throw; every non-blank line is an entry or a counted problem', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constant(b64('ok'))), { maxLength: 40 }),
      (lines) => {
        const dir = tmp();
        writeFileSync(join(dir, 'f.csv'), lines.join('\n'), 'latin1');
        const problems = createProblemLog();
        const store = createDatasetStore({ ruleDir: dir, problems });
        store.declare(ds('isset,f, type string, load f.csv'));
        const [s] = store.stats();
        const content = lines
          .join('\n')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'));
        assert.ok(s!.badLines + s!.entries <= content.length);
        assert.equal(s!.badLines, problems.counts.get('dataset.bad-line') ?? 0);
      },
    ),
    { numRuns: 150 },
  );
});
