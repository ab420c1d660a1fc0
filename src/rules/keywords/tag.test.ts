import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('tag forms; the rule is partial because tagging is not exported yet', () => {
  const r = accepted('tag:session,10,packets;');
  assert.deepEqual(r.conditions[0]!.value, { scope: 'session', count: 10, metric: 'packets' });
  assert.equal(r.support, 'partial');
  assert.equal(r.ignored[0]!.keyword, 'tag');
  assert.deepEqual(accepted('tag:host,60,seconds,src;').conditions[0]!.value, {
    scope: 'host',
    count: 60,
    metric: 'seconds',
    direction: 'src',
  });
  assert.match(rejection('tag:world,1,packets;'), /tag: scope must be session or host/);
  assert.match(rejection('tag:session,1,years;'), /tag: metric must be packets, seconds or bytes/);
});
