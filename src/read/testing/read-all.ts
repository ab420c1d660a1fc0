/** Test helper: drain a reader, copying each frame out (the reader reuses one Frame). */
import assert from 'node:assert/strict';
import type { ProblemLog } from '../../schema/problem.js';
import type { CaptureReader } from '../capture.js';

export interface SeenFrame {
  index: number;
  offset: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  interfaceId: number;
  capLen: number;
  origLen: number;
  data: number[];
}

/** Reads to the end, checking each frame's lengths are consistent. */
export function readAll(r: CaptureReader | undefined): SeenFrame[] {
  assert.ok(r, 'reader opened');
  const out: SeenFrame[] = [];
  for (let f = r.next(); f; f = r.next()) {
    assert.equal(f.data.length, f.capLen);
    assert.ok(f.origLen >= f.capLen);
    out.push({ ...f, data: [...f.data] });
  }
  assert.equal(r.next(), undefined, 'stays at end');
  return out;
}

/** The single problem with `code` (asserting there is exactly one). */
export function onlyProblem(
  log: ProblemLog,
  code: string,
): { offset?: number; frame?: number; message: string } {
  assert.equal(log.counts.get(code), 1, `${code} once in [${[...log.counts.entries()].join('; ')}]`);
  return log.samples.find((p) => p.code === code)!;
}
