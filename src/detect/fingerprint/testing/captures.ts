/**
 * Test helpers: run a capture file through the real reader, decoder, flow
 * table and application sessions, feeding the fingerprinters.
 */
import { createAppSession } from '../../../decode/app/session.js';
import { createDecoder } from '../../../decode/index.js';
import { createReassemblyStats } from '../../../decode/reassembly.js';
import { createFlowTable } from '../../../flow/index.js';
import { openCapture } from '../../../read/index.js';
import { IpProto } from '../../../schema/packet.js';
import type { HttpTransaction, SshBanner } from '../../../schema/session.js';
import { createProblemLog } from '../../../util/problems.js';
import { createPacketFingerprinter, type PacketFingerprinterOptions } from '../packet.js';

/** Packet fingerprints of a capture file. */
export function fingerprintCapture(path: string, opts: PacketFingerprinterOptions = {}) {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`cannot open ${path}`);
  const decoder = createDecoder(problems, { file: path });
  const fp = createPacketFingerprinter({ file: path, ...opts });
  try {
    for (let f = reader.next(); f; f = reader.next()) fp.packet(decoder.decode(f));
  } finally {
    reader.close();
  }
  fp.finish();
  return fp;
}

/** HTTP transactions and SSH banners of a capture file, as the analyze pipeline gets them. */
export function sessionsOfCapture(path: string): { http: HttpTransaction[]; ssh: SshBanner[] } {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`cannot open ${path}`);
  const decoder = createDecoder(problems, { file: path });
  const http: HttpTransaction[] = [];
  const ssh: SshBanner[] = [];
  const sessionOpts = {
    problems,
    file: path,
    stats: createReassemblyStats(),
    onHttp: (tx: HttpTransaction) => http.push(tx),
    onSsh: (b: SshBanner) => ssh.push(b),
  };
  const table = createFlowTable({
    source: path,
    observe: (proto) =>
      proto === IpProto.TCP || proto === IpProto.UDP ? createAppSession(sessionOpts) : undefined,
    onFlow: () => {},
  });
  try {
    for (let f = reader.next(); f; f = reader.next()) table.packet(decoder.decode(f));
    table.flush();
  } finally {
    reader.close();
  }
  return { http, ssh };
}
