/**
 * Scanner lists: the real OpenFilters, wdes and maltrail lists from the
 * shared data (expected organisations read from the files themselves), and
 * hand-made folders for nesting, IPv6, garbage and hostile input.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/env.js';
import { loadScannerLists } from './load.js';

const scanners = sharedData('scanners');
const entriesOf = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);

/** An address inside a CIDR (its first address plus `k`, within the prefix). */
function inside(cidr: string, k = 1): string {
  const [a, p] = cidr.split('/');
  const n = a!.split('.').map(Number);
  const v = (((n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!) >>> 0) + (Number(p) < 32 ? k : 0);
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

test('every Censys and Shodan CIDR of the OpenFilters lists is labelled with its organisation', {
  skip: scanners.skip,
}, () => {
  const lists = loadScannerLists(scanners.path);
  for (const [file, org] of [
    ['censys_v4.txt', 'Censys'],
    ['shodan_v4.txt', 'Shodan'],
    ['shadowserver_v4.txt', 'Shadowserver'],
  ] as const) {
    const cidrs = entriesOf(join(scanners.path, 'openfilters-internet-scanners', 'cidr', file));
    assert.ok(cidrs.length >= 5, file);
    for (const c of cidrs) assert.equal(lists.lookup(inside(c))?.organisation, org, `${c} in ${file}`);
  }
  const v6 = entriesOf(join(scanners.path, 'openfilters-internet-scanners', 'cidr', 'censys_v6.txt'));
  for (const c of v6) assert.equal(lists.lookup(c.split('/')[0]!)?.organisation, 'Censys', c);
});

test("maltrail mass_scanner.txt: organisations come from each line's host-name comment", {
  skip: scanners.skip,
}, () => {
  const lists = loadScannerLists(scanners.path);
  const lines = readFileSync(join(scanners.path, 'maltrail', 'mass_scanner.txt'), 'utf8').split('\n');
  const pick = (suffix: string) => {
    const l = lines.find((x) => x.includes(`.${suffix}`) && /^\d/.test(x));
    assert.ok(l, suffix);
    return l.split(/\s/)[0]!;
  };
  // Addresses that only maltrail lists, so its label is the one returned.
  assert.equal(lists.lookup(pick('colostate.edu'))?.organisation, 'Colorado State University');
  assert.equal(lists.lookup(pick('umich.edu'))?.organisation, 'University of Michigan');
  const rapid7 = lists.lookupAll(pick('rapid7.com'));
  assert.ok(rapid7.some((l) => l.organisation === 'Rapid7' && l.list === 'maltrail/mass_scanner.txt'));
  const info = lists.lists.find((l) => l.file === 'maltrail/mass_scanner.txt')!;
  assert.equal(
    info.entries + info.badLines,
    entriesOf(join(scanners.path, 'maltrail', 'mass_scanner.txt')).length,
  );
});

test('private, documentation and loopback addresses are not labelled; garbage lines are counted with file and line', {
  skip: scanners.skip,
}, () => {
  const lists = loadScannerLists(scanners.path);
  fc.assert(
    fc.property(fc.nat(0xffffff), (n) => {
      const a = `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
      assert.equal(lists.lookup(a), undefined, a);
      assert.equal(lists.lookup(`192.168.${(n >> 8) & 255}.${n & 255}`), undefined);
    }),
    { numRuns: 2000 },
  );
  assert.equal(lists.lookup('127.0.0.1'), undefined);
  assert.equal(lists.lookup('2001:db8::1'), undefined);
  assert.equal(lists.lookup('not an address'), undefined);
  const bad = lists.problems.samples.filter((p) => p.code === 'scanners.bad-line');
  assert.equal(
    lists.problems.counts.get('scanners.bad-line'),
    lists.lists.reduce((n, l) => n + l.badLines, 0),
  );
  for (const p of bad) {
    assert.ok(p.file && p.line && p.line > 0);
    const text = readFileSync(join(scanners.path, p.file), 'utf8').split('\n')[p.line - 1]!;
    assert.ok(
      text.trim() !== '' && !text.trim().startsWith('#'),
      `${p.file}:${p.line} is a real non-comment line`,
    );
  }
  // READMEs and LICENSE files are not lists.
  assert.ok(lists.lists.every((l) => /\.txt$/.test(l.file)));
});

test('nested entries: the most specific wins; equal entries keep the attributed one; IPv6 and mapped IPv4', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-scanners-'));
  try {
    mkdirSync(join(dir, 'a', 'cidr'), { recursive: true });
    writeFileSync(join(dir, 'a', 'cidr', 'censys_v4.txt'), '198.51.100.0/24\n');
    writeFileSync(join(dir, 'a', 'cidr', 'shodan_v6.txt'), '2001:db8:5::/48\n');
    writeFileSync(
      join(dir, 'mass_scanner.txt'),
      [
        '# header comment',
        '198.51.100.77 # census7.shodan.io',
        '198.0.0.0/8',
        '198.51.100.5',
        '203.0.113.9\t# unknown-org.example.net',
        '',
        '   ',
        'garbage here',
        '203.0.113.300',
        '1.2.3.4/33',
        '2001:db8:5:1::9 # x.binaryedge.ninja',
      ].join('\n'),
    );
    const lists = loadScannerLists(dir);
    assert.equal(lists.lookup('198.51.100.77')?.organisation, 'Shodan');
    assert.equal(lists.lookup('198.51.100.78')?.organisation, 'Censys');
    assert.equal(lists.lookup('198.51.101.1')?.organisation, 'unattributed');
    // An unattributed /32 inside a named range keeps the name.
    assert.equal(lists.lookup('198.51.100.5')?.organisation, 'Censys');
    assert.equal(lists.lookup('199.0.0.1'), undefined);
    assert.equal(lists.lookup('203.0.113.9')?.organisation, 'example.net');
    assert.equal(lists.lookup('2001:db8:5:1::9')?.organisation, 'BinaryEdge');
    assert.equal(lists.lookup('2001:db8:5:ffff::1')?.organisation, 'Shodan');
    assert.equal(lists.lookup('2001:db8:6::1'), undefined);
    assert.equal(lists.lookup('::ffff:198.51.100.78')?.organisation, 'Censys');
    assert.deepEqual(
      lists.lookupAll('198.51.100.77').map((l) => l.organisation),
      ['Shodan', 'Censys', 'unattributed'],
    );
    assert.equal(lists.problems.counts.get('scanners.bad-line'), 3);
    assert.deepEqual(
      lists.problems.samples.map((p) => `${p.file}:${p.line}`),
      ['mass_scanner.txt:8', 'mass_scanner.txt:9', 'mass_scanner.txt:10'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('random list files never throw, and every accepted single address is found again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-scanners-prop-'));
  try {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 60 }),
            fc.ipV4(),
            fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 40 })).map(([a, p]) => `${a}/${p}`),
            fc.ipV6(),
            fc.tuple(fc.ipV4(), fc.string({ maxLength: 20 })).map(([a, c]) => `${a} # ${c}`),
          ),
          { maxLength: 60 },
        ),
        (lines) => {
          writeFileSync(join(dir, 'other_v4.txt'), lines.join('\n'));
          const lists = loadScannerLists(dir);
          const info = lists.lists[0]!;
          const nonBlank = lines
            .flatMap((l) => l.split(/\r?\n/))
            .filter((l) => l.replace(/#.*/, '').trim() !== '');
          assert.equal(info.entries + info.badLines, nonBlank.length);
          for (const l of lines) {
            const body = l.replace(/#.*/, '').trim();
            if (/^\d+\.\d+\.\d+\.\d+$/.test(body) && !l.includes('\n')) assert.ok(lists.lookup(body), body);
          }
        },
      ),
      { numRuns: 200 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
