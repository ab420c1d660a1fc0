import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event } from '../../schema/event.js';
import { createAddressSummaries } from './address-summary.js';

function ev(over: Partial<Event>): Event {
  return {
    ts: 1795432331,
    uid: `L${Math.random()}`,
    type: 'login-failure',
    classUid: 3002,
    activityId: 1,
    src: '10.99.1.67',
    dst: '10.99.0.11',
    message: 'Failed password for root',
    source: { kind: 'sshd', format: 'openssh' },
    ...over,
  };
}

test('events are counted per address by type and source kind, alerts by signature with times', () => {
  const acc = createAddressSummaries();
  acc.event(ev({ ts: 10 }));
  acc.event(ev({ ts: 12, type: 'invalid-user' }));
  const alert = {
    type: 'ids-alert' as const,
    classUid: 2004 as const,
    source: { kind: 'pcap' as const, format: 'picket-rules' },
  };
  acc.event(ev({ ts: 11, ...alert, message: 'ET SCAN libssh', severityId: 2, attrs: { sid: 2006546 } }));
  acc.event(ev({ ts: 15, ...alert, message: 'ET SCAN libssh', severityId: 3, attrs: { sid: 2006546 } }));
  acc.connection('10.99.1.67', '10.99.0.12', 9, true);
  const s = acc.summaries().get('10.99.1.67')!;
  assert.deepEqual(s.eventsByType, {
    'login-failure': 1,
    'invalid-user': 1,
    'ids-alert': 2,
    'connection-refused': 1,
  });
  assert.deepEqual(s.eventsBySourceKind, { sshd: 2, pcap: 3 });
  assert.equal(s.firstSeen, 9);
  assert.equal(s.lastSeen, 15);
  assert.deepEqual(s.targets, ['10.99.0.11', '10.99.0.12']);
  assert.deepEqual(s.alerts, [
    {
      sid: 2006546,
      msg: 'ET SCAN libssh',
      count: 2,
      severityId: 3,
      firstSeen: 11,
      lastSeen: 15,
      sourceKinds: ['pcap'],
    },
  ]);
});

test('addresses past the bound are dropped and counted, never grown', () => {
  const acc = createAddressSummaries({ maxAddresses: 3, maxTargets: 2 });
  for (let i = 0; i < 10; i++) acc.event(ev({ src: `192.0.2.${i}`, dst: `10.0.0.${i}` }));
  for (let i = 0; i < 5; i++) acc.event(ev({ src: '192.0.2.0', dst: `10.1.0.${i}` }));
  assert.deepEqual(acc.stats(), { addresses: 3, dropped: 7 });
  assert.equal(acc.summaries().get('192.0.2.0')?.targets.length, 2);
});
