/**
 * Test support: the flows (as FlowRecords) of a capture file, through the
 * real reader, decoder and flow table.
 */
import { type AppSessionOptions, createAppSession } from '../../decode/app/session.js';
import { createDecoder } from '../../decode/index.js';
import { createFlowTable } from '../../flow/index.js';
import { openCapture } from '../../read/index.js';
import type { FlowRecord } from '../../schema/flow.js';
import { type DecodedPacket, IpProto } from '../../schema/packet.js';
import type { HttpTransaction, SshBanner } from '../../schema/session.js';
import { createProblemLog } from '../../util/problems.js';

/**
 * @example
 * const flows = captureFlows('examples/lab/capture.pcap');
 */
export function captureFlows(
  path: string,
  on: { packet?(p: DecodedPacket): void; http?(tx: HttpTransaction): void; ssh?(b: SshBanner): void } = {},
): FlowRecord[] {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`${path}: not a capture (${[...problems.counts.keys()].join(', ')})`);
  const decoder = createDecoder(problems, { file: path });
  const flows: FlowRecord[] = [];
  const sessionOpts: AppSessionOptions = { problems, file: path, onHttp: on.http, onSsh: on.ssh };
  const table = createFlowTable({
    source: path,
    observe: (proto) =>
      proto === IpProto.TCP || proto === IpProto.UDP ? createAppSession(sessionOpts) : undefined,
    onFlow: (f) => flows.push(f),
  });
  try {
    for (let frame = reader.next(); frame; frame = reader.next()) {
      const p = decoder.decode(frame);
      table.packet(p);
      on.packet?.(p);
    }
    table.flush();
  } finally {
    reader.close();
  }
  return flows;
}
