/**
 * Nmap XML (`nmap -oX`) as asset inventory: a streaming reader that hands on
 * one Asset per host as soon as the host's record closes. Bad input never
 * throws: problems go to the ProblemLog with the file and line, and hosts
 * completed before a fatal error are kept.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Asset } from '../../schema/asset.js';
import type { ProblemLog } from '../../schema/problem.js';
import { createNmapDocument, type NmapRunInfo } from './nmap-document.js';
import { createXmlStream, type XmlLimits } from './xml-stream.js';

export type { NmapRunInfo } from './nmap-document.js';

export interface NmapReadSummary {
  run: NmapRunInfo;
  /** Complete <host> records seen. */
  hosts: number;
  /** Assets handed on (hosts without a usable IP address are not). */
  assets: number;
  /** Lines read (the parser's position at the end). */
  lines: number;
  /** True when reading stopped before the end of the input (see the problems). */
  stopped: boolean;
}

export interface NmapXmlParser {
  write(chunk: Uint8Array): void;
  end(): NmapReadSummary;
  /** True once a fatal problem stopped reading: later input is ignored. */
  readonly stopped: boolean;
}

export interface NmapReadOptions {
  /** Names the input in problems and in each asset's source. */
  file?: string;
  problems: ProblemLog;
  onAsset: (a: Asset) => void;
  limits?: Partial<XmlLimits>;
}

/**
 * A push parser: feed it bytes in chunks of any size, then end it.
 *
 * @example
 * const p = createNmapXmlParser({ file: 'scan.xml', problems, onAsset: (a) => assets.push(a) });
 * p.write(readFileSync('scan.xml'));
 * const { hosts } = p.end();
 */
export function createNmapXmlParser(opts: NmapReadOptions): NmapXmlParser {
  let xml: ReturnType<typeof createXmlStream> | undefined;
  const doc = createNmapDocument({
    file: opts.file,
    problems: opts.problems,
    onAsset: opts.onAsset,
    stop: (code, message) => xml?.stop(code, message),
    line: () => xml?.line ?? 0,
  });
  xml = createXmlStream(doc, {
    file: opts.file,
    problems: opts.problems,
    prefix: 'nmap',
    limits: opts.limits,
  });
  const stream = xml;
  return {
    write: (chunk) => stream.write(chunk),
    get stopped() {
      return stream.stopped;
    },
    end() {
      stream.end();
      return {
        run: doc.run,
        hosts: doc.hosts,
        assets: doc.assets,
        lines: stream.line,
        stopped: stream.stopped,
      };
    },
  };
}

const CHUNK = 1 << 20;

/**
 * Reads an Nmap XML file in 1 MiB chunks. `between` runs after each chunk
 * (e.g. to write held assets to a store), so memory stays bounded.
 *
 * @example
 * const s = await readNmapXmlFile('scan.xml', { problems, onAsset: (a) => batch.push(a) });
 */
export async function readNmapXmlFile(
  path: string,
  opts: Omit<NmapReadOptions, 'file'> & { between?: () => Promise<void> },
): Promise<NmapReadSummary> {
  const parser = createNmapXmlParser({ ...opts, file: path });
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(CHUNK);
    for (let n = readSync(fd, buf); n > 0 && !parser.stopped; n = readSync(fd, buf)) {
      parser.write(buf.subarray(0, n));
      await opts.between?.();
    }
  } finally {
    closeSync(fd);
  }
  return parser.end();
}
