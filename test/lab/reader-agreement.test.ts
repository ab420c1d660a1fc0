/**
 * The readers agree with the capture on examples/lab (committed; no root).
 * The capture is Picket's own read of capture.pcap (decoder, flow table, HTTP
 * sessions); the logs are Picket's events from analyze(). Each source gets
 * the invariant its place in the lab calls for (test/lab/README.md):
 *
 * - firewall.log: the sensor sits BEHIND the firewall, so a denied SYN must be
 *   ABSENT from the capture, while the line's time lies within the capture's
 *   time span ± 2 s;
 * - auth.log: each Failed/Accepted line's client address and port are an SSH
 *   connection to 10.99.0.11:22 whose time span contains the line's second;
 * - access.log: each line is an HTTP transaction of the capture from the same
 *   client with the same method, URI and status, within ± 1 s;
 * - ../lab-nfdump/flows.csv (the lab's NetFlow as nfdump CSV): each row (one direction of a connection) is a capture
 *   flow with the same addresses, ports and protocol, its start within ± 1 s.
 * Every check is exact (100%) unless an exception is listed with its reason.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAppSession } from '../../src/decode/app/session.js';
import { createDecoder } from '../../src/decode/index.js';
import { createFlowTable } from '../../src/flow/index.js';
import { analyzeToEvents } from '../../src/pipeline/netflow-testing.js';
import { openCapture } from '../../src/read/index.js';
import type { FlowRecord } from '../../src/schema/flow.js';
import type { HttpTransaction } from '../../src/schema/session.js';
import { createProblemLog } from '../../src/util/problems.js';
import { repoRoot } from '../support/env.js';

const lab = join(repoRoot, 'examples', 'lab');
const INSIDE = /^10\.99\.0\.(\d+)$/;

/** The capture as Picket reads it: every flow and every HTTP transaction. */
function readCapture(path: string) {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  assert.ok(reader, 'capture opens');
  const flows: FlowRecord[] = [];
  const http: HttpTransaction[] = [];
  const decoder = createDecoder(problems, { file: path });
  const table = createFlowTable({
    source: path,
    observe: (proto) =>
      proto === 6 || proto === 17
        ? createAppSession({ problems, file: path, onHttp: (tx) => http.push(tx) })
        : undefined,
    onFlow: (f) => flows.push(f), // a fresh record each time (addresses are lazy getters: never spread)
  });
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let f = reader.next(); f; f = reader.next()) {
    const ts = f.tsSec + f.tsNsec / 1e9;
    first = Math.min(first, ts);
    last = Math.max(last, ts);
    table.packet(decoder.decode(f));
  }
  table.flush();
  reader.close();
  return { flows, http, first, last, problems };
}

const capture = readCapture(join(lab, 'capture.pcap'));
const logs = await analyzeToEvents(
  ['firewall.log', 'auth.log', 'access.log', '../lab-nfdump/flows.csv'].map((f) => join(lab, f)),
);
const from = (file: string) => logs.events.filter((e) => e.source.file === join(lab, file));

test('the lab inputs read cleanly', () => {
  assert.equal(capture.problems.total(), 0, JSON.stringify(capture.problems.samples));
  assert.equal(logs.summary.problems.total, 0, JSON.stringify(logs.summary.problems.samples));
  assert.ok(capture.flows.length > 50 && capture.http.length > 5);
});

test('firewall denies: every denied TCP SYN to an inside address is absent from the capture, in its time span', () => {
  const denies = from('firewall.log').filter(
    (e) => e.type === 'firewall-deny' && e.proto === 'tcp' && INSIDE.test(e.dst ?? ''),
  );
  assert.ok(denies.length >= 20, `${denies.length} deny lines`);
  const seen = new Set(capture.flows.map((f) => `${f.origH}|${f.origP}|${f.respH}|${f.respP}`));
  const seenDst = new Set(capture.flows.map((f) => `${f.origH}|${f.respH}|${f.respP}`));
  const exceptions: string[] = [];
  for (const e of denies) {
    const what = `${e.src}:${e.srcPort} -> ${e.dst}:${e.dstPort}`;
    if (seen.has(`${e.src}|${e.srcPort}|${e.dst}|${e.dstPort}`)) exceptions.push(`${what} is in the capture`);
    // Not even another attempt from that source to that service got through.
    else if (seenDst.has(`${e.src}|${e.dst}|${e.dstPort}`))
      exceptions.push(`${what}: the source reached that service in the capture`);
    if (e.ts < capture.first - 2 || e.ts > capture.last + 2)
      exceptions.push(`${what} at ${e.ts} outside the capture's ${capture.first}..${capture.last}`);
  }
  assert.deepEqual(exceptions, []);
});

test('sshd: every Failed/Accepted line is an SSH connection of the capture that spans its second', () => {
  const auth = from('auth.log').filter((e) => e.type === 'login-failure' || e.type === 'login-success');
  assert.ok(auth.length >= 20, `${auth.length} auth lines`);
  const exceptions: string[] = [];
  for (const e of auth) {
    const f = capture.flows.find(
      (c) => c.origH === e.src && c.origP === e.srcPort && c.respH === '10.99.0.11' && c.respP === 22,
    );
    if (!f) {
      exceptions.push(`${e.type} ${e.src}:${e.srcPort}: no SSH connection`);
      continue;
    }
    // syslog stamps whole seconds: the line's second overlaps [start, end].
    if (!(e.ts >= Math.floor(f.ts) && e.ts < f.ts + f.duration + 1))
      exceptions.push(`${e.type} ${e.src}:${e.srcPort} at ${e.ts}, connection ${f.ts}..${f.ts + f.duration}`);
  }
  assert.deepEqual(exceptions, []);
  assert.ok(auth.some((e) => e.type === 'login-success' && e.src === '10.99.1.80'));
});

test('nginx: every access line is an HTTP transaction of the capture (client, method, URI, status, ± 1 s)', () => {
  const access = from('access.log').filter((e) => e.type === 'web-access');
  assert.ok(access.length >= 30, `${access.length} access lines`);
  const left = [...capture.http];
  const exceptions: string[] = [];
  for (const e of access) {
    const at = left.findIndex(
      (t) =>
        t.origH === e.src &&
        t.respH === '10.99.0.10' &&
        t.method === e.http?.method &&
        t.uri === e.http?.uri &&
        t.statusCode === e.http?.status &&
        Math.abs(t.ts - e.ts) <= 1,
    );
    if (at < 0) exceptions.push(`${e.src} ${e.http?.method} ${e.http?.uri} ${e.http?.status} at ${e.ts}`);
    else left.splice(at, 1);
  }
  assert.deepEqual(exceptions, []);
});

test('nfdump CSV: every row is one direction of a capture flow (addresses, ports, protocol, start ± 1 s)', () => {
  const rows = from('../lab-nfdump/flows.csv');
  assert.ok(rows.length >= 100, `${rows.length} rows`);
  const exceptions: string[] = [];
  const undated: string[] = [];
  for (const e of rows) {
    const icmp = e.proto === 'icmp';
    const same = (c: FlowRecord) => {
      if (c.proto !== e.proto) return '';
      if (icmp)
        return c.origH === e.src && c.respH === e.dst
          ? 'fwd'
          : c.origH === e.dst && c.respH === e.src
            ? 'rev'
            : '';
      if (c.origH === e.src && c.origP === e.srcPort && c.respH === e.dst && c.respP === e.dstPort)
        return 'fwd';
      if (c.origH === e.dst && c.origP === e.dstPort && c.respH === e.src && c.respP === e.srcPort)
        return 'rev';
      return '';
    };
    // nfdump prints whole seconds (ts is the start's second), so "start ± 1 s" means the capture's start
    // lies in [ts - 1, ts + 2). A reverse row starts at the first reply, within the connection.
    const inTime = (c: FlowRecord, dir: string) =>
      dir === 'fwd' ? c.ts >= e.ts - 1 && c.ts < e.ts + 2 : e.ts + 2 > c.ts && e.ts - 1 <= c.ts + c.duration;
    const what = `${e.proto} ${e.src}:${e.srcPort ?? ''} -> ${e.dst}:${e.dstPort ?? ''}`;
    const byTuple = capture.flows.filter((c) => same(c) !== '');
    if (byTuple.length === 0) exceptions.push(`${what}: no such flow in the capture`);
    else if (e.ts === 0) undated.push(what);
    else if (!byTuple.some((c) => inTime(c, same(c))))
      exceptions.push(`${what} at ${e.ts}: capture starts ${byTuple.map((c) => c.ts).join(', ')}`);
  }
  assert.deepEqual(exceptions, []);
  // Known: softflowd -a exported the capture's first connection (benign-web-1, the first packet of the
  // file) with zero times, which nfdump prints as 1970-01-01 00:00:00. Both directions match by tuple.
  assert.deepEqual(undated.sort(), [
    'tcp 10.99.0.10:80 -> 10.99.1.80:51418',
    'tcp 10.99.1.80:51418 -> 10.99.0.10:80',
  ]);
  const first = capture.flows.reduce((a, c) => (c.ts < a.ts ? c : a));
  assert.equal(`${first.origH}:${first.origP}`, '10.99.1.80:51418', 'the undated flow is the first one');
});
