import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAddress } from './addresses.js';
import { compilePort } from './ports.js';
import { applyVarOverrides, applyVarsFile, defaultVars } from './variables.js';

const ip = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

test('HOME_NET and EXTERNAL_NET defaults', () => {
  const home = compileAddress('$HOME_NET', defaultVars());
  assert.ok(!('error' in home));
  assert.deepEqual(home.v4, [
    [ip('10.0.0.0'), ip('10.255.255.255')],
    [ip('172.16.0.0'), ip('172.31.255.255')],
    [ip('192.168.0.0'), ip('192.168.255.255')],
  ]);
  assert.equal(home.v6.length, 0);
  const ext = compileAddress('$EXTERNAL_NET', defaultVars());
  assert.ok(!('error' in ext));
  assert.deepEqual(ext.v4[0], [0, ip('9.255.255.255')]);
  assert.equal(ext.v6.length, 1, 'all of IPv6 is external');
});

test('lists, negation inside lists, ranges, IPv6, netmask', () => {
  const a = compileAddress('[10.0.0.0/8,!10.1.0.0/16,2001:db8::/32]', defaultVars());
  assert.ok(!('error' in a));
  assert.deepEqual(a.v4, [
    [ip('10.0.0.0'), ip('10.0.255.255')],
    [ip('10.2.0.0'), ip('10.255.255.255')],
  ]);
  assert.equal(a.v6[0]![0], 0x20010db8n << 96n);
  const b = compileAddress('1.2.3.4-1.2.3.10', defaultVars());
  assert.ok(!('error' in b) && b.v4[0]![1] - b.v4[0]![0] === 6);
  const c = compileAddress('10.0.0.0/255.0.0.0', defaultVars());
  assert.ok(!('error' in c) && c.v4[0]![1] === ip('10.255.255.255'));
  const any = compileAddress('any', defaultVars());
  assert.ok(!('error' in any) && any.any);
});

test('address errors', () => {
  const err = (s: string) => (compileAddress(s, defaultVars()) as { error: string }).error;
  assert.match(err('$NOPE'), /undefined variable \$NOPE/);
  assert.match(err('!any'), /matches nothing/);
  assert.match(err('[1.2.3.4,!1.2.3.4]'), /matches no address/);
  assert.match(err('300.1.1.1'), /bad address/);
  assert.match(err('[1.2.3.4'), /unclosed/);
  assert.match(err('$HTTP_PORTS'), /is a port variable/);
  assert.match(err(`${'['.repeat(40)}1.2.3.4${']'.repeat(40)}`), /nested deeper/);
});

test('ports', () => {
  const p = (s: string) => compilePort(s, defaultVars());
  assert.deepEqual((p('[80,1024:]') as { ranges: unknown }).ranges, [
    [80, 80],
    [1024, 65535],
  ]);
  assert.deepEqual((p('$SHELLCODE_PORTS') as { ranges: unknown }).ranges, [
    [0, 79],
    [81, 65535],
  ]);
  assert.deepEqual((p('$FILE_DATA_PORTS') as { ranges: unknown }).ranges, [
    [80, 80],
    [110, 110],
    [143, 143],
  ]);
  assert.deepEqual((p(':1023') as { ranges: unknown }).ranges, [[0, 1023]]);
  assert.match((p('70000') as { error: string }).error, /out of range/);
  assert.match((p('$NOPE') as { error: string }).error, /undefined variable \$NOPE/);
  assert.match((p('[1:100,!1:100]') as { error: string }).error, /matches no port/);
});

test('vars file and --var overrides', () => {
  const v = applyVarsFile(
    defaultVars(),
    'vars:\n  address-groups:\n    HOME_NET: "[10.0.0.0/8]"\n  port-groups:\n    HTTP_PORTS: "[80,8080]"\nDNS_SERVERS=1.1.1.1\n',
  );
  assert.equal(v.addresses.get('HOME_NET'), '[10.0.0.0/8]');
  assert.equal(v.ports.get('HTTP_PORTS'), '[80,8080]');
  assert.equal(v.addresses.get('DNS_SERVERS'), '1.1.1.1');
  applyVarOverrides(v, ['HOME_NET=192.0.2.0/24', 'SSH_PORTS=2222']);
  assert.equal(v.addresses.get('HOME_NET'), '192.0.2.0/24');
  assert.equal(v.ports.get('SSH_PORTS'), '2222');
  assert.throws(() => applyVarOverrides(v, ['nonsense']), /expected NAME=value/);
  assert.throws(() => applyVarsFile(v, 'what is this', 'x.yaml'), /x.yaml:1/);
});
