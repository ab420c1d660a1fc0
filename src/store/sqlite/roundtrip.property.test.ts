/**
 * Property: whatever text an attacker put on the wire (any Unicode, NUL,
 * quotes, JSON and SQL metacharacters) and whatever numbers a flow carries,
 * a stored record reads back identical. Values are bound, never spliced into SQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { FlowRecord } from '../../schema/flow.js';
import type { HttpTransaction } from '../../schema/session.js';
import { openSqliteStore } from './open.js';
import { syntheticFlow, syntheticHttp } from './testing/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-prop-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = openSqliteStore(join(dir, 'p.db'));
after(() => store.close());

// Well-formed text only: SQLite stores UTF-8, which cannot hold a lone surrogate.
const text = fc.string({ unit: 'binary', maxLength: 200 });
const header = fc.tuple(text, text);
let seq = 0;

test('any HTTP text round-trips exactly', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        method: text,
        uri: text,
        userAgent: text,
        requestHeaders: fc.array(header, { maxLength: 8 }),
      }),
      fc.record({
        statusMsg: text,
        responseBodyPrefix: text,
        responseHeaders: fc.array(header, { maxLength: 8 }),
      }),
      async (req, res) => {
        const tx: HttpTransaction = { ...syntheticHttp(`h${seq++}`, 0), ...req, ...res };
        await store.writeHttp([tx]);
        assert.deepEqual(await store.httpFor(tx.uid), [tx]);
      },
    ),
    { numRuns: 300 },
  );
});

test('any flow field values round-trip exactly, and a rewrite never duplicates', async () => {
  const int = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        uid: text,
        // -0 reads back as 0 (SQLite stores whole REALs as integers); a timestamp never needs the sign of zero.
        ts: fc.double({ noNaN: true }).filter((x) => !Object.is(x, -0)),
        origH: text,
        respH: text,
        origP: int,
        respBytes: int,
        history: text,
        service: text,
      }),
      fc.option(int, { nil: undefined }),
      fc.option(text, { nil: undefined }),
      async (fields, vlan, source) => {
        const f: FlowRecord = { ...syntheticFlow('p', 1), ...fields };
        if (vlan !== undefined) f.vlan = vlan;
        if (source !== undefined) f.source = source;
        const before = (await store.stats()).flows;
        const existed = (await store.flow(f.uid)) !== undefined;
        await store.writeFlows([f, f]);
        assert.deepEqual(await store.flow(f.uid), f);
        assert.equal((await store.stats()).flows, before + (existed ? 0 : 1));
      },
    ),
    { numRuns: 300 },
  );
});
