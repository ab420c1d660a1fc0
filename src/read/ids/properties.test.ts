/**
 * Garbage in for the three IDS readers: random text, mutated real lines,
 * JSON objects with the right keys and wrong values. Every line becomes a
 * record, a problem (with file and line) or nothing; no throw; every Event
 * made from a record passes the Event schema. Then a whole file with a 1 MB
 * line and invalid UTF-8 through readLogFile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { idsToEvent } from '../../normalize/ids.js';
import { eventSchema } from '../../schema/event.js';
import { createProblemLog } from '../../util/problems.js';
import { readLogFile } from '../logs.js';
import { defaultLineContext, isProblem, type LogReader } from '../syslog/types.js';
import { eveReader } from './eve.js';
import type { IdsRecord } from './record.js';
import { snortFastReader } from './snort-reader.js';
import { snort3JsonReader } from './snort3-json.js';

const tuple = '"src_ip":"10.99.1.67","src_port":40022,"dest_ip":"10.99.0.10","dest_port":22,"proto":"TCP"';
const samples: Record<string, string[]> = {
  'suricata-eve': [
    `{"timestamp":"2026-11-23T11:12:20.1+0000","flow_id":1676750115612680,"event_type":"alert",${tuple},"alert":{"action":"allowed","gid":1,"signature_id":2006546,"rev":7,"signature":"x","category":"y","severity":1},"http":{"url":"/","status":200}}`,
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"flow",${tuple},"flow":{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":60,"bytes_toclient":54,"start":"2026-11-23T11:12:20Z","state":"closed"},"tcp":{"tcp_flags_tc":"14"}}`,
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"http",${tuple},"http":{"hostname":"h","url":"/a","http_method":"GET","status":403,"length":9}}`,
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"ssh",${tuple},"ssh":{"client":{"software_version":"libssh"},"server":{"software_version":"OpenSSH"}}}`,
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"dns",${tuple},"dns":{"version":3,"type":"response","queries":[{"rrname":"a","rrtype":"A"}],"grouped":{"A":["1.2.3.4"]}}}`,
    `{"timestamp":"2026-11-23T11:13:00Z","event_type":"drop",${tuple},"drop":{"len":60}}`,
  ],
  'snort-alert': [
    '11/23-11:12:20.123456  [**] [1:1000001:3] probe [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 10.99.1.67:40022 -> 10.99.0.10:22',
    '26/11/23-11:12:20.000001 [drop] [**] [1:2000:1] "m" [**] [Priority: 3] [AppID: SSH] {TCP} 2001:db8::1:4 -> 2001:db8::2:22',
    '[**] [1:384:8] ICMP PING [**]',
    '[Priority: 3] ',
    '11/23-11:12:21.000001 10.99.1.68 -> 10.99.0.10',
    'ICMP TTL:64 TOS:0x0 ID:1 IpLen:20 DgmLen:84',
    '',
  ],
  'snort3-json': [
    '{ "timestamp" : "11/23-11:12:20.123456", "pkt_num" : 17, "proto" : "TCP", "pkt_gen" : "raw", "pkt_len" : 60, "dir" : "C2S", "src_ap" : "10.99.1.67:40022", "dst_ap" : "10.99.0.10:22", "rule" : "1:1000001:3", "action" : "allow" }',
    '{ "seconds" : 1795950740, "timestamp" : "26/11/23-11:12:20.250000", "class" : "attempted-recon", "msg" : "m", "priority" : 2, "proto" : "UDP", "sid" : 5, "src_addr" : "10.99.1.67", "src_port" : 53, "dst_addr" : "10.99.0.10", "dst_port" : 53 }',
  ],
};

const readers: LogReader[] = [eveReader, snortFastReader, snort3JsonReader];

const mutate = (lines: string[]) =>
  fc
    .tuple(fc.constantFrom(...lines), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 30 }))
    .map(([l, at, cut, ins]) => {
      const i = at % (l.length + 1);
      return l.slice(0, i) + ins + l.slice(i + cut);
    });

/** JSON objects with the keys the readers look at and values of any type. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '10.0.0.1',
    '::1',
    '2026-11-23T11:13:00Z',
    '11/23-11:12:20.5',
    '1:2:3',
    'alert',
    'flow',
    'http',
  ),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('ip', 'port', 'signature_id', 'url', 'status', 'queries', 'grouped'),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);
const keyedJson = fc
  .dictionary(
    fc.constantFrom(
      'timestamp',
      'event_type',
      'src_ip',
      'dest_ip',
      'src_port',
      'dest_port',
      'proto',
      'flow_id',
      'alert',
      'flow',
      'http',
      'ssh',
      'dns',
      'tls',
      'fileinfo',
      'anomaly',
      'tcp',
      'seconds',
      'sid',
      'gid',
      'rev',
      'rule',
      'msg',
      'src_ap',
      'dst_ap',
      'src_addr',
      'dst_addr',
      'priority',
      'class',
      'action',
      '__proto__',
      'constructor',
    ),
    anyValue,
    { maxKeys: 12 },
  )
  .map((o) => JSON.stringify(o));

for (const reader of readers) {
  const own = samples[reader.name]!;
  test(`${reader.name}: random, mutated and wrong-typed lines never throw; every Event is valid`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 300 }), mutate(own), fc.constantFrom(...own), keyedJson), {
          minLength: 1,
          maxLength: 8,
        }),
        (lines) => {
          // Several lines per run, so the full-alert state sees sequences.
          const ctx = defaultLineContext({ file: 'x.log', line: 1, fileState: new Map() });
          for (let i = 0; i < lines.length; i++) {
            ctx.line = i + 1;
            const r = reader.parseLine(lines[i]!, ctx);
            if (r === null) continue;
            if (isProblem(r)) {
              assert.equal(r.file, 'x.log');
              assert.equal(r.line, i + 1);
              assert.equal(r.stage, 'read');
              continue;
            }
            assert.equal(r.reader, 'ids');
            assert.ok(Number.isFinite(r.ts));
            const e = idsToEvent(r as unknown as IdsRecord, { file: 'x.log', line: i + 1 });
            if (e) eventSchema.parse(e);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
}

test('each sample line is a record or nothing under its own reader (the property test starts from real shapes)', () => {
  for (const reader of readers) {
    const ctx = defaultLineContext({
      file: 'x',
      line: 1,
      fileState: new Map(),
      referenceTime: Date.UTC(2026, 11, 1) / 1000,
    });
    for (const l of samples[reader.name]!) {
      const r = reader.parseLine(l, ctx);
      assert.ok(r === null || !isProblem(r), `${reader.name}: ${l} -> ${JSON.stringify(r)}`);
    }
  }
});

test('readLogFile on an eve.json with a 1 MB line, invalid UTF-8 and garbage: problems with line numbers, the rest read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-eve-'));
  const path = join(dir, 'eve.json');
  const good = samples['suricata-eve']!.join('\n');
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from(`${good}\n`),
      Buffer.from(
        `{"timestamp":"2026-11-23T11:13:00Z","event_type":"http",${tuple},"http":{"url":"/${'A'.repeat(1 << 20)}"}}\n`,
      ),
      Buffer.from(`{"timestamp":"2026-11-23T11:13:00Z","event_type":"http",${tuple},"http":{"url":"/`),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from('"}}\n{"timestamp":"2026-11-23T11:1\nnot json\n'),
      Buffer.from(`${good}\n`),
    ]),
  );
  const n = samples['suricata-eve']!.length;
  const forced = createProblemLog();
  const recs2: IdsRecord[] = [];
  const s2 = await readLogFile(path, forced, (r) => recs2.push(r as IdsRecord), { reader: eveReader });
  assert.equal(s2.lines, 2 * n + 4);
  assert.equal(s2.records, 2 * n + 1); // both copies, plus the line with U+FFFD in its URL
  assert.equal(forced.counts.get('log.line-too-long'), 1);
  assert.equal(forced.counts.get('eve.bad-json'), 1);
  assert.equal(forced.counts.get('eve.not-json'), 1);
  assert.deepEqual(
    forced.samples.map((p) => p.line).sort((a, b) => a! - b!),
    [n + 1, n + 3, n + 4],
  );
  assert.ok(recs2.some((r) => r.format === 'suricata-eve' && r.http?.url?.includes('\ufffd')));
});
