import { readNmapXmlFile } from '../read/nmap/index.js';
import type { Asset } from '../schema/asset.js';
import type { ProblemLog } from '../schema/problem.js';
import type { Store } from '../store/store.js';

/** Assets held before a store write; a 1 MiB chunk of XML holds at most a few thousand hosts. */
const BATCH = 1000;

export interface NmapInputResult {
  format: 'nmap-xml';
  /** Complete <host> records read, and the assets they made (hosts without an IP address make none). */
  hosts: number;
  assets: number;
}

/**
 * Reads an Nmap XML file as asset inventory into the store, in batches as
 * the file streams, so memory stays bounded whatever the file's size.
 *
 * @example
 * const r = await analyzeNmapXml('scan.xml', { problems, store }); // r.assets hosts stored
 */
export async function analyzeNmapXml(
  path: string,
  ctx: { problems: ProblemLog; store?: Store; onAsset?: (a: Asset) => void },
): Promise<NmapInputResult> {
  let pending: Asset[] = [];
  const flush = async () => {
    if (ctx.store && pending.length) await ctx.store.writeAssets(pending);
    pending = [];
  };
  const s = await readNmapXmlFile(path, {
    problems: ctx.problems,
    onAsset: (a) => {
      ctx.onAsset?.(a);
      if (ctx.store) pending.push(a);
    },
    between: async () => {
      if (pending.length >= BATCH) await flush();
    },
  });
  await flush();
  return { format: 'nmap-xml', hosts: s.hosts, assets: s.assets };
}
