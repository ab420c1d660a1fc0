import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

const v = (o: string) => accepted(o).conditions[0]!.value;

test('app-layer-protocol, stream_size, noalert', () => {
  assert.deepEqual(v('app-layer-protocol:!http;'), { negated: true, protocol: 'http' });
  assert.deepEqual(v('stream_size:server,>,100;'), { side: 'server', test: { op: '>', value: 100 } });
  assert.equal(v('noalert;'), true);
  assert.match(rejection('stream_size:middle,>,1;'), /stream_size: side must be/);
  assert.match(rejection('app-layer-protocol:a b;'), /app-layer-protocol: bad protocol/);
});

test('TLS version and state keywords', () => {
  assert.equal(v('tls.version:1.2;'), 0x0303);
  assert.deepEqual(v('ssl_version:!sslv2,tls1.0;'), [
    { negated: true, version: 'sslv2' },
    { negated: false, version: 'tls1.0' },
  ]);
  assert.deepEqual(v('ssl_state:client_hello|server_hello;'), [
    { negated: false, state: 'client_hello' },
    { negated: false, state: 'server_hello' },
  ]);
  assert.deepEqual(v('tls.fingerprint:"aa:bb";'), { negated: false, value: 'aa:bb' });
  assert.match(rejection('ssl_version:tls9;'), /ssl_version: unknown version "tls9"/);
});
