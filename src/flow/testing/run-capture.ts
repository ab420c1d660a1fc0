/**
 * Test helper: reads a capture with the real reader and decoder and returns
 * the flow records the table emits.
 */
import { createDecoder } from '../../decode/index.js';
import { openCapture } from '../../read/index.js';
import type { FlowRecord } from '../../schema/flow.js';
import { createProblemLog } from '../../util/problems.js';
import { createFlowTable, type FlowTableOptions } from '../index.js';

export function flowsOf(path: string, opts: Partial<FlowTableOptions> = {}): FlowRecord[] {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`cannot open ${path}: ${problems.samples.map((p) => p.message).join('; ')}`);
  const decoder = createDecoder(problems);
  const out: FlowRecord[] = [];
  const table = createFlowTable({ ...opts, onFlow: (f) => out.push(f) });
  try {
    for (let frame = reader.next(); frame; frame = reader.next()) table.packet(decoder.decode(frame));
  } finally {
    reader.close();
  }
  table.flush();
  return out;
}
