import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

const v = (o: string) => accepted(o).conditions[0]!.value;

test('flags with modifiers, masks and Snort 1/2 spellings', () => {
  assert.deepEqual(v('flags:S,12;'), { modifier: '', flags: 'S', mask: 'CE' });
  assert.deepEqual(v('flags:+SA;'), { modifier: '+', flags: 'SA', mask: '' });
  assert.deepEqual(v('flags:FPU*;'), { modifier: '*', flags: 'FPU', mask: '' });
  assert.deepEqual(v('flags:!0;'), { modifier: '!', flags: '0', mask: '' });
  assert.match(rejection('flags:SX;'), /flags: unknown flag in "SX"/);
  assert.match(rejection('flags:0S;'), /flags: "0" \(no flags\) cannot be combined/);
});

test('numeric header fields', () => {
  assert.deepEqual(v('itype:8;'), { op: '=', value: 8 });
  assert.deepEqual(v('icode:>3;'), { op: '>', value: 3 });
  assert.deepEqual(v('ttl:<5;'), { op: '<', value: 5 });
  assert.deepEqual(v('ttl:1-3;'), { op: 'range', value: 1, max: 3 });
  assert.deepEqual(v('window:!1024;'), { op: '!=', value: 1024 });
  assert.deepEqual(v('seq:0;'), { op: '=', value: 0 });
  assert.deepEqual(v('ack:0;'), { op: '=', value: 0 });
  assert.deepEqual(v('id:31337;'), { op: '=', value: 31337 });
  assert.deepEqual(v('tos:0x10;'), { op: '=', value: 16 });
  assert.deepEqual(v('icmp_id:0;'), { op: '=', value: 0 });
  assert.deepEqual(v('icmp_seq:0;'), { op: '=', value: 0 });
  assert.deepEqual(v('fragoffset:>0;'), { op: '>', value: 0 });
  assert.match(rejection('itype:300;'), /itype: 300 out of range 0-255/);
});

test('ip_proto, ipopts, fragbits, sameip', () => {
  assert.deepEqual(v('ip_proto:!tcp;'), { op: '!=', value: 6 });
  assert.deepEqual(v('ip_proto:47;'), { op: '=', value: 47 });
  assert.equal(v('ipopts:lsrr;'), 'lsrr');
  assert.deepEqual(v('fragbits:M+;'), { modifier: '+', bits: 'M' });
  assert.equal(v('sameip;'), true);
  assert.match(rejection('ipopts:bogus;'), /ipopts: unknown option "bogus"/);
  assert.match(rejection('fragbits:X;'), /fragbits: bad fragbits "X"/);
});
