/**
 * Random and mutated input for the SMB parser: it never throws, never hangs,
 * keeps every file within its bound, and reports the same files however the
 * stream is cut into chunks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FileTx } from '../../../schema/app-tx.js';
import { createProblemLog } from '../../../util/problems.js';
import { createSmbParser } from './index.js';
import * as B from './testing/builders.js';

const MAX_FILE = 256;

function run(chunks: { toServer: boolean; bytes: Uint8Array; gap?: number }[]) {
  const files: FileTx[] = [];
  const events: string[] = [];
  const problems = createProblemLog(3);
  const p = createSmbParser({
    maxFileBytes: MAX_FILE,
    maxFiles: 4,
    problems,
    onFile: (f, what) => {
      events.push(`${f.id}:${what}`);
      if (what === 'done') files.push(f);
    },
  });
  for (const c of chunks) {
    if (c.gap) p.gap(c.toServer, c.gap);
    else if (c.toServer) p.toServer(c.bytes);
    else p.toClient(c.bytes);
  }
  p.end();
  return { files, events, problems, p };
}

function checkBounds(r: ReturnType<typeof run>): void {
  for (const f of r.files) {
    assert.ok(f.data.length <= MAX_FILE);
    assert.equal(f.done, true);
  }
  const ids = r.files.map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length, 'each file done once');
  assert.ok(r.p.shares.length <= 64 && r.p.namedPipes.length <= 64);
  assert.ok(r.problems.samples.length <= 3 * r.problems.counts.size);
}

/** A valid session: SMB1 and SMB2 uploads, a download, a compound. */
function session(): { toServer: boolean; bytes: Uint8Array }[] {
  const up = (b: Uint8Array) => ({ toServer: true, bytes: b });
  const down = (b: Uint8Array) => ({ toServer: false, bytes: b });
  const id = B.fileId(3);
  return [
    up(B.nbss(B.smb1({ cmd: B.SMB1.NT_CREATE_ANDX, mid: 1 }, [B.ntCreateRequest('\\one')]))),
    down(B.nbss(B.smb1({ cmd: B.SMB1.NT_CREATE_ANDX, mid: 1, reply: true }, [B.ntCreateResponse(7)]))),
    up(B.nbss(B.smb1({ cmd: B.SMB1.WRITE_ANDX, mid: 2 }, [B.writeAndX(7, 0, B.EICAR)]))),
    up(B.nbss(B.smb1({ cmd: B.SMB1.READ_ANDX, mid: 3 }, [B.readAndXRequest(7, 0, 100)]))),
    down(B.nbss(B.smb1({ cmd: B.SMB1.READ_ANDX, mid: 3, reply: true }, [B.readAndXResponse(B.EICAR)]))),
    up(B.nbss(B.smb2({ cmd: B.SMB2.CREATE, msgId: 10 }, B.create2Request('two')))),
    down(B.nbss(B.smb2({ cmd: B.SMB2.CREATE, msgId: 10, response: true }, B.create2Response(id)))),
    up(B.nbss(B.smb2({ cmd: B.SMB2.WRITE, msgId: 11 }, B.write2Request(id, 5, B.EICAR)))),
    up(B.nbss(B.smb2({ cmd: B.SMB2.WRITE, msgId: 12 }, B.write2Request(id, 0, B.EICAR.subarray(0, 5))))),
    up(
      B.nbss(
        B.compound(
          B.smb2({ cmd: B.SMB2.CREATE, msgId: 20 }, B.create2Request('three')),
          B.smb2(
            { cmd: B.SMB2.WRITE, msgId: 21, related: true },
            B.write2Request(B.FILE_ID_CHAIN, 0, B.EICAR),
          ),
        ),
      ),
    ),
    down(B.nbss(B.smb2({ cmd: B.SMB2.CREATE, msgId: 20, response: true }, B.create2Response(B.fileId(4))))),
  ];
}

test('random bytes in both directions, with gaps: no throw, bounded', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ toServer: fc.boolean(), bytes: fc.uint8Array({ maxLength: 300 }), gap: fc.nat(40) }),
        { maxLength: 30 },
      ),
      (chunks) => checkBounds(run(chunks.map((c) => ({ ...c, gap: c.gap > 35 ? c.gap : 0 })))),
    ),
    { numRuns: 1500 },
  );
});

test('random bytes behind a valid NBSS header and SMB1/SMB2 id: no throw, bounded', () => {
  const body = fc.tuple(fc.constantFrom(0xff, 0xfe), fc.uint8Array({ minLength: 31, maxLength: 400 }));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), body), { maxLength: 20 }), (msgs) => {
      const chunks = msgs.map(([toServer, [magic, rest]]) => ({
        toServer,
        bytes: B.nbss(B.concat(Uint8Array.of(magic, 0x53, 0x4d, 0x42), rest)),
      }));
      checkBounds(run(chunks));
    }),
    { numRuns: 1500 },
  );
});

test('a valid session with random bytes mutated: no throw, bounded', () => {
  const base = session();
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 12,
      }),
      (muts) => {
        const chunks = base.map((c) => ({ toServer: c.toServer, bytes: c.bytes.slice() }));
        for (const [which, at, v] of muts) {
          const c = chunks[which % chunks.length]!;
          c.bytes[at % c.bytes.length] = v;
        }
        checkBounds(run(chunks));
      },
    ),
    { numRuns: 1500 },
  );
});

test('the same files however each direction is cut into chunks', () => {
  const base = session();
  const whole = run(base);
  assert.deepEqual(whole.files.map((f) => new TextDecoder().decode(f.name)).sort(), [
    '\\one',
    '\\one',
    'three',
    'two',
  ]);
  const sig = (r: ReturnType<typeof run>) =>
    r.files
      .map((f) => `${new TextDecoder().decode(f.name)}|${f.toServer}|${Buffer.from(f.data).toString('hex')}`)
      .sort();
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }), (cuts) => {
      const chunks: { toServer: boolean; bytes: Uint8Array }[] = [];
      let k = 0;
      for (const c of base) {
        for (let i = 0; i < c.bytes.length; ) {
          const n = cuts[k++ % cuts.length]!;
          chunks.push({ toServer: c.toServer, bytes: c.bytes.subarray(i, i + n) });
          i += n;
        }
      }
      assert.deepEqual(sig(run(chunks)), sig(whole));
    }),
    { numRuns: 300 },
  );
});
