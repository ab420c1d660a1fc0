/**
 * Packed events: the rows the writer thread inserts equal the ones the
 * inline writer makes, for any text; through the thread, events read back
 * exactly and a bad one is named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { Event } from '../../schema/event.js';
import { forEachPackedEvent, packEvents, packedEventUid } from './event-pack.js';
import { openSqliteStore } from './open.js';
import { eventParams } from './rows.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-event-pack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function event(i: number, over: Partial<Event> = {}): Event {
  return {
    ts: 1_795_432_340 + i / 7,
    uid: `Lpack${String(i).padStart(6, '0')}`,
    type: 'login-failure',
    classUid: 3002,
    activityId: 1,
    src: `10.0.${(i >> 8) & 255}.${i & 255}`,
    dst: '192.0.2.1',
    dstPort: 22,
    message: `Failed password for root #${i}`,
    source: { kind: 'sshd', format: 'openssh', line: i + 1, sender: '127.0.0.1' },
    attrs: { pid: 1000 + i },
    ...over,
  };
}

test('packing gives the inline writer its exact rows, for any text and absent dst or port', () => {
  const text = fc.string({ unit: 'binary', maxLength: 16 });
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          uid: text.filter((s) => s.length > 0),
          src: text,
          dst: fc.option(text, { nil: undefined }),
          dstPort: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
          message: text,
        }),
        { maxLength: 20 },
      ),
      fc.nat({ max: 20 }),
      (parts, cut) => {
        const events = parts.map((p, i) => {
          const e = event(i, { uid: p.uid, src: p.src, message: p.message });
          if (p.dst === undefined) delete e.dst;
          else e.dst = p.dst;
          if (p.dstPort === undefined) delete e.dstPort;
          else e.dstPort = p.dstPort;
          return e;
        });
        const from = Math.min(cut, events.length);
        const packed = packEvents(events, from, events.length);
        const seen: unknown[][] = [];
        forEachPackedEvent(packed, (params, i) => {
          seen.push([...params]);
          assert.equal(packedEventUid(packed, i), events[from + i]!.uid);
        });
        assert.deepEqual(seen, events.slice(from).map(eventParams));
      },
    ),
  );
});

test('through the writer thread, events in several batches read back exactly', async () => {
  const store = openSqliteStore(join(dir, 'a', 'picket.db'), { writer: 'worker', batchSize: 1000 });
  const events = Array.from({ length: 2500 }, (_, i) => event(i));
  delete events[7]!.dst;
  delete events[7]!.dstPort;
  events[8]!.message = 'non-ASCII \u202e\u{1F600} and "quotes"';
  await store.writeEvents(events);
  assert.equal((await store.stats()).events, 2500);
  assert.deepEqual(await store.events({ limit: 3000 }), events);
  await store.close();
});

test('a row the table refuses fails its write and is named, through the thread', async () => {
  const store = openSqliteStore(join(dir, 'b', 'picket.db'), { writer: 'worker', batchSize: 1000 });
  const broken = event(1, { uid: 'Lbroken', ts: 'soon' as unknown as number });
  await store.writeEvents([event(0), broken]);
  await assert.rejects(store.flush(), /cannot write event Lbroken/);
  assert.equal((await store.stats()).events, 0, 'the batch is all or nothing');
  await store.close();
});
