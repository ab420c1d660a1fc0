/**
 * NetFlow decoding speed: real template + data datagrams from the logstash
 * test payloads, repeated in memory, decoded by one session; prints records/s.
 *
 *   node --import tsx bench/netflow.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNetflowSession } from '../src/read/netflow/session.js';
import { createProblemLog } from '../src/util/problems.js';
import { sharedData } from '../test/support/env.js';

const dir = sharedData('logs/netflow/logstash-codec-netflow/spec-codecs');

function measure(name: string, tpl: Uint8Array[], data: Uint8Array[], repeat: number): number {
  const problems = createProblemLog();
  let records = 0;
  let bytes = 0;
  const s = createNetflowSession({
    problems,
    onRecord: (r) => {
      records++;
      bytes += r.bytes ?? 0;
    },
  });
  for (const t of tpl) s.datagram(t, '192.0.2.1:2055', 0);
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) for (const d of data) s.datagram(d, '192.0.2.1:2055', 1);
  const secs = (performance.now() - t0) / 1000;
  const rate = records / secs;
  console.log(
    `${name}: ${records} records in ${secs.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} records/s`,
  );
  assert.equal(problems.total(), 0);
  assert.ok(bytes > 0);
  return rate;
}

if (dir.skip) throw new Error(dir.skip);
{
  const f = (n: string) => new Uint8Array(readFileSync(join(dir.path, n)));
  const v5 = measure(
    'v5 (Juniper MX80, 29 records/datagram)',
    [],
    [f('netflow5_test_juniper_mx80.dat')],
    20_000,
  );
  const v9 = measure('v9 (softflowd)', [], [f('netflow9_test_valid01.dat')], 50_000);
  const ipfix = measure(
    'IPFIX (OpenBSD pflow)',
    [f('ipfix_test_openbsd_pflow_tpl.dat')],
    [f('ipfix_test_openbsd_pflow_data.dat')],
    50_000,
  );
  console.log({ v5: Math.round(v5), v9: Math.round(v9), ipfix: Math.round(ipfix) });
}
