/**
 * The flow-building path alone: read, decode, flow table; no sessions, no
 * store, no output. Prints the flow count so the work cannot be optimised away.
 */
import { createDecoder } from '../src/decode/index.js';
import { createFlowTable } from '../src/flow/index.js';
import { openCapture } from '../src/read/index.js';
import { createProblemLog } from '../src/util/problems.js';

const file = process.argv[2];
if (!file) throw new Error('usage: flow-path.ts FILE');
const problems = createProblemLog();
const reader = openCapture(file, problems);
if (!reader) throw new Error(`cannot read ${file}`);
const decoder = createDecoder(problems);
let flows = 0;
const table = createFlowTable({ onFlow: () => flows++ });
let packets = 0;
for (let f = reader.next(); f; f = reader.next()) {
  packets++;
  table.packet(decoder.decode(f));
}
table.flush();
reader.close();
console.log(JSON.stringify({ packets, flows, problems: problems.total() }));
