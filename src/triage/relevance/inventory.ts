/**
 * The user's own inventory (inventory.yaml beside the store, or --inventory
 * FILE): which addresses or blocks run which products, and which do not.
 * It outranks everything observed for versions, and its "does not run"
 * statements let relevance say "not applicable" — unless traffic, a scan or
 * `picket verify` shows the product after all (then the observation wins and
 * the verdict says the inventory is out of date).
 *
 * @example inventory.yaml
 * version: 1
 * assets:
 *   - address: 10.99.0.10
 *     name: lab web server
 *     runs:
 *       - { product: nginx, version: 1.22.1, port: 80 }
 *     doesNotRun: [joomla, wordpress]
 *   - address: 10.99.0.0/27
 *     doesNotRun: [cisco-ios, zyxel-zynos]
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Catalogue } from './catalogue.js';
import { normaliseName } from './catalogue.js';
import { type AddressBlock, blockContains, parseBlock } from './cidr.js';
import { type AssetKnowledge, emptyKnowledge } from './claims.js';
import { type ConfigError, formatConfigErrors, parseYamlConfig } from './yaml-config.js';

const productName = z.string().min(1).max(100);
const port = z.number().int().min(0).max(65535);

const runsSchema = z.strictObject({
  product: productName,
  version: z.union([z.string().min(1).max(64), z.number()]).optional(),
  port: port.optional(),
  note: z.string().max(500).optional(),
});

const absentSchema = z.union([productName, z.strictObject({ product: productName, port: port.optional() })]);

const entrySchema = z.strictObject({
  /** One address or a CIDR block. */
  address: z.string().min(1).max(64),
  name: z.string().max(200).optional(),
  runs: z.array(runsSchema).max(256).default([]),
  doesNotRun: z.array(absentSchema).max(256).default([]),
});

export const inventorySchema = z.strictObject({
  version: z.literal(1),
  assets: z.array(entrySchema).max(100_000).default([]),
});

interface InventoryEntry {
  block: AddressBlock;
  name?: string;
  line?: number;
  runs: { product: string; version?: string; port?: number; line?: number }[];
  doesNotRun: { product: string; port?: number; line?: number }[];
}

export interface Inventory {
  file: string;
  entries: readonly InventoryEntry[];
  /** What the inventory says about one address; the most specific block speaks first. */
  knowledgeOf(address: string): AssetKnowledge;
}

export type InventoryResult =
  | { ok: true; inventory: Inventory; warnings: ConfigError[] }
  | { ok: false; errors: ConfigError[] };

/**
 * Parses an inventory. Product names resolve through the catalogue's aliases
 * (Joomla_CMS → joomla); names the catalogue lacks are kept and warned about.
 *
 * @example
 * const r = parseInventory(text, 'inventory.yaml', catalogue);
 * if (r.ok) r.inventory.knowledgeOf('10.99.0.10').absent // [{ product: 'joomla', ... }]
 */
export function parseInventory(text: string, file: string, catalogue?: Catalogue): InventoryResult {
  const r = parseYamlConfig(text, inventorySchema);
  if (!r.ok) return r;
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const resolve = (name: string, line: number | undefined) => {
    const known = catalogue?.product(name);
    if (!known && catalogue)
      warnings.push({
        line,
        message: `"${name}" is not in the product catalogue; it is kept, but no rule will be matched to it by alias`,
      });
    return known?.id ?? normaliseName(name);
  };
  const entries: InventoryEntry[] = [];
  r.value.assets.forEach((a, i) => {
    const line = r.lineAt(['assets', i]);
    const block = parseBlock(a.address);
    if (!block) {
      errors.push({
        line: r.lineAt(['assets', i, 'address']),
        message: `assets.${i}.address: "${a.address}" is not an address or CIDR block`,
      });
      return;
    }
    const entry: InventoryEntry = { block, runs: [], doesNotRun: [] };
    if (line !== undefined) entry.line = line;
    if (a.name !== undefined) entry.name = a.name;
    a.runs.forEach((p, j) => {
      const l = r.lineAt(['assets', i, 'runs', j]);
      const run: InventoryEntry['runs'][number] = { product: resolve(p.product, l) };
      if (p.version !== undefined) run.version = String(p.version);
      if (p.port !== undefined) run.port = p.port;
      if (l !== undefined) run.line = l;
      entry.runs.push(run);
    });
    a.doesNotRun.forEach((p, j) => {
      const l = r.lineAt(['assets', i, 'doesNotRun', j]);
      const name = typeof p === 'string' ? p : p.product;
      const absent: InventoryEntry['doesNotRun'][number] = { product: resolve(name, l) };
      if (typeof p !== 'string' && p.port !== undefined) absent.port = p.port;
      if (l !== undefined) absent.line = l;
      entry.doesNotRun.push(absent);
    });
    for (const run of entry.runs)
      if (
        entry.doesNotRun.some(
          (d) => d.product === run.product && (d.port === undefined || d.port === run.port),
        )
      )
        errors.push({
          line: run.line,
          message: `assets.${i}: ${run.product} is listed both in runs and in doesNotRun`,
        });
    entries.push(entry);
  });
  if (errors.length) return { ok: false, errors };
  // Most specific first: a /32 line outranks its /24.
  const sorted = [...entries].sort((x, y) => y.block.prefix - x.block.prefix);
  return {
    ok: true,
    inventory: { file, entries: sorted, knowledgeOf: (addr) => knowledgeOf(sorted, file, addr) },
    warnings,
  };
}

function knowledgeOf(entries: readonly InventoryEntry[], file: string, address: string): AssetKnowledge {
  const k = emptyKnowledge(address);
  const decided = new Set<string>();
  const ref = (line: number | undefined) => (line === undefined ? file : `${file}:${line}`);
  for (const e of entries) {
    if (!blockContains(e.block, address)) continue;
    const local = new Set<string>();
    const where = e.name ? `${e.block.text} (${e.name})` : e.block.text;
    for (const r of e.runs) {
      if (decided.has(r.product)) continue;
      local.add(r.product);
      const note = `inventory: ${where} runs ${r.product}${r.version ? ` ${r.version}` : ''}${r.port !== undefined ? ` on port ${r.port}` : ''}`;
      k.present.push({
        product: r.product,
        ...(r.version !== undefined && { version: r.version }),
        ...(r.port !== undefined && { port: r.port }),
        source: 'inventory',
        evidence: { kind: 'asset', ref: ref(r.line), note },
      });
    }
    for (const d of e.doesNotRun) {
      if (decided.has(d.product)) continue;
      local.add(d.product);
      const note = `inventory: ${where} does not run ${d.product}${d.port !== undefined ? ` on port ${d.port}` : ''}`;
      k.absent.push({
        product: d.product,
        ...(d.port !== undefined && { port: d.port }),
        source: 'inventory',
        kind: 'statement',
        evidence: { kind: 'asset', ref: ref(d.line), note },
      });
    }
    // The most specific block that mentions a product decides about it.
    for (const product of local) decided.add(product);
  }
  return k;
}

/**
 * Reads an inventory file; an unusable one throws with `file:line` messages
 * (configuration errors), a missing default one is simply absent.
 *
 * @example
 * const inv = loadInventory('inventory.yaml', catalogue); // undefined when the file does not exist and optional
 */
export function loadInventory(
  path: string,
  catalogue?: Catalogue,
  opts: { optional?: boolean; onWarning?: (message: string) => void } = {},
): Inventory | undefined {
  if (opts.optional && !existsSync(path)) return undefined;
  const r = parseInventory(readFileSync(path, 'utf8'), path, catalogue);
  if (!r.ok) throw new Error(`invalid inventory:\n${formatConfigErrors(path, r.errors)}`);
  if (r.warnings.length) opts.onWarning?.(formatConfigErrors(path, r.warnings));
  return r.inventory;
}
