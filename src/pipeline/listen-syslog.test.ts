/**
 * The syslog collectors on loopback, with the real store: the lab's logs sent
 * live must give the same events as the same files read from disk, with the
 * sender kept; garbage, over-long lines and broken connections are counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../test/support/env.js';
import type { Event } from '../schema/event.js';
import { openStore } from '../store/index.js';
import { createProblemLog } from '../util/problems.js';
import { type ListenStats, startListeners } from './listen.js';
import type { CollectorStats } from './listen-stats.js';
import {
  connectTcp,
  endTcp,
  fileEvents,
  keyCounts,
  octetFrame,
  sendUdp,
  waitFor,
  writeAll,
} from './listen-testing.js';

const lab = join(repoRoot, 'examples', 'lab');
const linesOf = (f: string) => readFileSync(join(lab, f), 'utf8').split('\n').filter(Boolean);
// What the senders put in front of each line: a PRI, and for the web server rsyslog's "host tag:" header.
const auth = linesOf('auth.log').map((l) => `<38>${l}`);
const firewall = linesOf('firewall.log').map((l) => `<4>${l}`);
const access = linesOf('access.log').map((l) => `<190>Nov 23 11:12:20 lab-web nginx: ${l}`);
const errors = linesOf('error.log').map((l) => `<187>Nov 23 11:12:20 lab-web nginx: ${l}`);

async function tempStore() {
  const dir = mkdtempSync(join(tmpdir(), 'picket-listen-'));
  const store = await openStore(join(dir, 'p.db'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function reference(files: string[]): Promise<Event[]> {
  const out: Event[] = [];
  for (const f of files) out.push(...(await fileEvents(join(lab, f))));
  return out;
}

/** Every message ends up parsed, rejected or dropped; parsed ones make an event or are counted without. */
function assertAccounted(c: CollectorStats): void {
  assert.equal(
    c.received,
    c.parsed + c.rejected + c.dropped,
    `accounting of ${c.kind}: ${JSON.stringify(c)}`,
  );
  assert.equal(c.parsed, c.events + c.withoutEvent);
  assert.equal(
    Object.values(c.rejectedBy).reduce((a, b) => a + b, 0),
    c.rejected,
  );
}

test('syslog over UDP: the lab logs sent live make the same events as the files, with the sender', async () => {
  const { store, dispose } = await tempStore();
  const problems = createProblemLog();
  const l = await startListeners({ syslogUdp: { host: '127.0.0.1', port: 0 }, store, problems });
  try {
    const at = l.stats().collectors[0]!.address;
    const garbage: (string | Buffer)[] = [
      'not a syslog line at all',
      Buffer.alloc(0),
      Buffer.from([0x3c, 0x33, 0x38, 0x3e, 0xff, 0xfe, 0xc3, 0x28, 0x0a]),
      '<78>1 2026-11-23T11:12:20Z lab-ssh CRON 123 - - (root) CMD (run-parts /etc/cron.hourly)',
    ];
    const messages = [...auth, ...firewall, ...access, ...errors, ...garbage];
    const sent = await sendUdp(at, messages);
    assert.equal(sent, messages.length, 'loopback accepted every datagram');
    await waitFor(() => l.stats().collectors[0]!.received === sent, 'all datagrams to arrive');
    const final = await l.close();
    const c = final.collectors[0]!;
    assertAccounted(c);
    assert.equal(c.dropped, 0);
    assert.equal(c.kernelDropped, 0);
    assert.deepEqual(c.rejectedBy, { 'syslog.no-header': 2, 'syslog-udp.empty': 1 });
    const want = await reference(['auth.log', 'firewall.log', 'access.log', 'error.log']);
    const got = await store.events({ limit: 100_000 });
    assert.equal(got.length, want.length);
    assert.equal(c.events, got.length);
    assert.deepEqual(keyCounts(got), keyCounts(want));
    for (const e of got) {
      assert.equal(e.source.sender, '127.0.0.1');
      assert.equal(e.source.file, `syslog-udp:${at}`);
    }
    const kinds = new Set(got.map((e) => e.source.kind));
    assert.deepEqual([...kinds].sort(), ['firewall', 'sshd', 'weblog']);
    assert.equal(final.store.events, got.length);
    assert.ok(problems.samples.every((p) => p.file?.includes('from 127.0.0.1')));
  } finally {
    await l.close();
    await dispose();
  }
});

test('syslog over TCP: both framings, garbage, a 1 MB line, a client gone mid-frame, a broken count', async () => {
  const { store, dispose } = await tempStore();
  const problems = createProblemLog();
  const l = await startListeners({ syslogTcp: { host: '127.0.0.1', port: 0 }, store, problems });
  try {
    const at = l.stats().collectors[0]!.address;
    // 1: newline framing, with a garbage line and a 1 MB line in the middle
    const a = await connectTcp(at);
    await writeAll(a, `${auth.join('\n')}\nthis is no syslog line\n`);
    await writeAll(a, `<38>Nov 23 11:12:20 lab-ssh sshd[1]: ${'A'.repeat(1 << 20)}\n`);
    await writeAll(a, `${firewall.join('\r\n')}\r\n`);
    await endTcp(a);
    // 2: octet counting
    const b = await connectTcp(at);
    await writeAll(b, access.map(octetFrame).join(''));
    await endTcp(b);
    // 3: a complete frame, then the client vanishes in the middle of the next
    const c = await connectTcp(at);
    await writeAll(c, `${octetFrame(errors[0]!)}${Buffer.byteLength(errors[1]!)} ${errors[1]!.slice(0, 30)}`);
    await new Promise((r) => setTimeout(r, 50));
    c.destroy();
    // 4: the octet count is broken: the collector closes the connection
    const d = await connectTcp(at);
    const closedByPeer = new Promise<void>((r) => d.once('close', () => r()));
    d.on('error', () => {});
    d.write(`${octetFrame(errors[2]!)}zz ${errors[3]}`);
    await closedByPeer;
    await waitFor(() => {
      const conns = l.stats().collectors[0]!.connections!;
      return conns.total === 4 && conns.open === 0;
    }, 'all four connections to close');
    const final = await l.close();
    const s = final.collectors[0]!;
    assertAccounted(s);
    assert.deepEqual(s.rejectedBy, {
      'syslog.no-header': 1,
      'syslog-tcp.frame-too-long': 1,
      'syslog-tcp.truncated-frame': 1,
      'syslog-tcp.bad-octet-count': 1,
    });
    assert.equal(s.connections!.closedForBadFraming, 1);
    assert.ok(s.bytes > 1 << 20);
    const want = [
      ...(await reference(['auth.log', 'firewall.log', 'access.log'])),
      ...(await reference(['error.log'])).filter((_, i) => i === 0 || i === 2),
    ];
    const got = await store.events({ limit: 100_000 });
    assert.deepEqual(keyCounts(got), keyCounts(want));
    assert.ok(got.every((e) => e.source.sender === '127.0.0.1'));
    const tooLong = problems.samples.find((p) => p.code === 'syslog-tcp.frame-too-long')!;
    assert.match(tooLong.file!, /^syslog-tcp:127\.0\.0\.1:\d+ from 127\.0\.0\.1:\d+$/);
    assert.equal(tooLong.offset, Buffer.byteLength(`${auth.join('\n')}\nthis is no syslog line\n`));
  } finally {
    await l.close();
    await dispose();
  }
});

test('IPv6 loopback: the sender is kept in its own form', async (t) => {
  const { store, dispose } = await tempStore();
  let l: Awaited<ReturnType<typeof startListeners>> | undefined;
  try {
    try {
      l = await startListeners({ syslogTcp: { host: '::1', port: 0 }, store, problems: createProblemLog() });
    } catch (e) {
      t.skip(`no IPv6 loopback here: ${(e as Error).message}`);
      return;
    }
    const at = l.stats().collectors[0]!.address;
    assert.match(at, /^\[::1\]:\d+$/);
    const s = await connectTcp(at);
    await writeAll(s, `${auth.slice(0, 10).join('\n')}\n`);
    await endTcp(s);
    await waitFor(() => l!.stats().collectors[0]!.connections!.open === 0, 'the connection to close');
    const final: ListenStats = await l.close();
    const got = await store.events({ limit: 100 });
    assert.equal(got.length, final.collectors[0]!.events);
    assert.ok(got.length > 0 && got.every((e) => e.source.sender === '::1'));
  } finally {
    await l?.close();
    await dispose();
  }
});
