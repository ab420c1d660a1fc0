import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  compareVersions,
  leadingVersion,
  parseVersionRange,
  type VersionRange,
  versionInRange,
} from './version.js';

function range(text: string): VersionRange {
  const r = parseVersionRange(text);
  assert.notEqual(typeof r, 'string', `${text}: ${r}`);
  return r as VersionRange;
}

test('versions compare segment by segment, numbers as numbers', () => {
  assert.ok(compareVersions('3.4', '3.4.5') < 0);
  assert.equal(compareVersions('3.4', '3.4.0'), 0);
  assert.ok(compareVersions('3.10', '3.9') > 0);
  assert.ok(compareVersions('9.2p1', '9.2') > 0, 'OpenSSH portable suffix comes after the release');
  assert.ok(compareVersions('3.4.6-rc1', '3.4.6') < 0, 'a release candidate comes before its release');
  assert.ok(compareVersions('3.4.6-rc1', '3.4.5') > 0);
  assert.ok(compareVersions('1.22.1', '1.22.10') < 0);
});

test('Joomla CVE-2015-8562 range: 1.5 through 3.4.5', () => {
  const r = range('>=1.5 <=3.4.5');
  for (const v of ['1.5', '1.5.0', '1.5.26', '2.5.28', '3.0.0', '3.4.1', '3.4.5'])
    assert.ok(versionInRange(v, r), `${v} is affected`);
  for (const v of ['1.0.15', '1.4.9', '3.4.6', '3.4.6-rc1', '3.5.0', '4.0'])
    assert.ok(!versionInRange(v, r), `${v} is not affected`);
});

test('alternatives, spans, exact versions and comparators with spaces', () => {
  const r = range('<2.0 || >=3.1 <3.2');
  assert.ok(versionInRange('1.9.9', r));
  assert.ok(!versionInRange('2.5', r));
  assert.ok(versionInRange('3.1.4', r));
  assert.ok(!versionInRange('3.2', r));
  const span = range('1.5 - 3.4.5');
  assert.ok(versionInRange('2.0', span));
  assert.ok(!versionInRange('3.4.6', span));
  const exact = range('6.0');
  assert.ok(versionInRange('6.0', exact));
  assert.ok(!versionInRange('7.5', exact));
  assert.ok(versionInRange('2.4', range('>= 2.4 < 2.5')));
});

test('bad ranges are errors naming the bad part', () => {
  assert.match(parseVersionRange('>=1.5 <=banana') as string, /banana/);
  assert.match(parseVersionRange('>=1.5 ||') as string, /empty alternative/);
  assert.equal(typeof parseVersionRange('~>1.2'), 'string');
});

test('leadingVersion reads the version right after a product token', () => {
  assert.equal(leadingVersion('/1.22.1'), '1.22.1');
  assert.equal(leadingVersion('_9.2p1 Debian-2'), '9.2p1');
  assert.equal(leadingVersion('! - Open Source Content Management'), undefined);
  assert.equal(leadingVersion(' 1.5 - Open Source'), '1.5');
});

test('property: comparison is reflexive, antisymmetric and never throws', () => {
  const version = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.array(fc.nat(50), { minLength: 1, maxLength: 5 }).map((a) => a.join('.')),
  );
  fc.assert(
    fc.property(version, version, (a, b) => {
      assert.equal(compareVersions(a, a), 0);
      assert.equal(Math.sign(compareVersions(a, b)), -Math.sign(compareVersions(b, a)) || 0);
      const r = parseVersionRange(`>=${b}`);
      if (typeof r !== 'string') assert.equal(versionInRange(a, r), compareVersions(a, b) >= 0);
    }),
    { numRuns: 500 },
  );
});
