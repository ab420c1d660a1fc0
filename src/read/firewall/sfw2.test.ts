import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultLineContext } from '../syslog/types.js';
import { parseNetfilterMessage } from './iptables.js';

const packet = 'IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 ID=1 PROTO=TCP SPT=40000 DPT=22 SYN';

test('SuSEfirewall2 prefixes give chain, zone and verdict', () => {
  const r = parseNetfilterMessage(`SFW2-INext-DROP-DEFLT ${packet}`, 0, 'h', 'raw', defaultLineContext());
  assert.equal(r?.rule, 'SFW2-INext-DROP-DEFLT');
  assert.deepEqual([r?.attrs.sfw2Chain, r?.attrs.sfw2Zone, r?.attrs.sfw2Action], ['IN', 'ext', 'DROP-DEFLT']);
  assert.equal(r?.action, 'denied');
  const o = parseNetfilterMessage(`SFW2-OUT-ERROR ${packet}`, 0, 'h', 'raw', defaultLineContext());
  assert.deepEqual([o?.attrs.sfw2Chain, o?.attrs.sfw2Zone, o?.attrs.sfw2Action], ['OUT', undefined, 'ERROR']);
});

test('other prefixes get no SuSE fields', () => {
  for (const p of ['SuSE-FW-DROP-DEFAULT', 'SFW2-', 'PICKET-DENY', '[UFW BLOCK]']) {
    const r = parseNetfilterMessage(`${p} ${packet}`, 0, 'h', 'raw', defaultLineContext());
    assert.equal(r?.attrs.sfw2Action, undefined, p);
  }
});
