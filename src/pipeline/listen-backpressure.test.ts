/**
 * When the store cannot keep up: TCP senders are paused (nothing lost); UDP
 * datagrams that do not fit the backlog are dropped and counted (syslog), or
 * decoded for their templates with their records dropped and counted (NetFlow). The store here is the real one behind a gate
 * that holds its writes until the test opens it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Bytes, concat, set, templateRecord, v9 } from '../read/netflow/testing/build.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { createProblemLog } from '../util/problems.js';
import { startListeners } from './listen.js';
import { connectTcp, endTcp, sendUdp, udpSender, waitFor } from './listen-testing.js';

/** The real store, with event writes held until `open()`. */
function gated(inner: Store): { store: Store; open: () => void } {
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  return {
    store: {
      ...inner,
      writeEvents: async (events) => {
        await gate;
        return inner.writeEvents(events);
      },
    },
    open: () => open(),
  };
}

const tpl = templateRecord(256, [
  [8, 4],
  [12, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [2, 4],
  [1, 4],
]);
const flow = (i: number) =>
  new Bytes()
    .u32(0x0a000000 + i)
    .u32(0x0a000001)
    .u16(40000 + i)
    .u16(22)
    .u8(6)
    .u32(1)
    .u32(60)
    .bytes();
const records = (from: number, n: number) => concat(...Array.from({ length: n }, (_, i) => flow(from + i)));

test('a full queue pauses TCP, drops and counts UDP and NetFlow records; TCP loses nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-listen-bp-'));
  const real = await openStore(join(dir, 'p.db'));
  const { store, open } = gated(real);
  const l = await startListeners({
    syslogTcp: { host: '127.0.0.1', port: 0 },
    syslogUdp: { host: '127.0.0.1', port: 0 },
    netflowUdp: { host: '127.0.0.1', port: 0 },
    store,
    problems: createProblemLog(),
    maxQueue: 100,
    // No room to hold datagrams while the queue is full: they are dropped (syslog) or decoded
    // for their templates with their records dropped (NetFlow).
    udpBacklogBytes: 1,
  });
  try {
    const [udp, tcp, nf] = l.stats().collectors;
    const total = 3000;
    const line = (i: number) =>
      `<38>Nov 23 11:12:20 lab-ssh sshd[9]: Failed password for root from 10.1.${i >> 8}.${i & 255} port ${10000 + i} ssh2\n`;
    const s = await connectTcp(tcp!.address);
    // Everything at once: the client buffers what the paused collector does not read.
    s.write(Array.from({ length: total }, (_, i) => line(i)).join(''));
    await waitFor(
      () => (l.stats().collectors[1]!.connections!.pauses ?? 0) > 0,
      'the TCP collector to pause',
    );
    const whilePaused = l.stats();
    assert.ok(whilePaused.collectors[1]!.received < total, 'paused before reading everything');
    assert.ok(whilePaused.queue.depth >= 100);

    const dropped = await sendUdp(udp!.address, [line(1), line(2), line(3)]);
    await waitFor(() => l.stats().collectors[0]!.received === dropped, 'the UDP datagrams');
    // Template and data in one datagram, then data alone: all records dropped, the template kept.
    const exporter = udpSender(nf!.address);
    await exporter.send([v9([set(0, tpl), set(256, records(0, 5))], { seq: 1 })]);
    await waitFor(() => l.stats().collectors[2]!.received === 1, 'the NetFlow datagram');
    const full = l.stats();
    assert.equal(full.collectors[0]!.dropped, dropped);
    assert.equal(full.collectors[2]!.dropped, 5);

    open();
    await waitFor(() => l.stats().collectors[1]!.received === total, 'every TCP message after resuming');
    await endTcp(s);
    await waitFor(() => l.stats().queue.depth === 0, 'the queue to empty');
    // Now there is room: data without its template decodes with the one learned while dropping.
    await exporter.send([v9([set(256, records(100, 7))], { seq: 2 })]);
    exporter.close();
    await waitFor(() => l.stats().collectors[2]!.events === 7, 'the NetFlow records');
    const final = await l.close();
    const [u, t, n] = final.collectors;
    assert.equal(t!.events, total);
    assert.equal(t!.dropped, 0);
    assert.equal(u!.events, 0);
    assert.equal(n!.parsed, 12);
    assert.equal(n!.rejected, 0);
    assert.equal(
      await real.countEvents().then((c) => Object.values(c).reduce((a, b) => a + b, 0)),
      total + 7,
    );
    assert.ok(final.queue.highWater >= 100);
    assert.equal(final.queue.depth, 0);
  } finally {
    open();
    await l.close();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
