/**
 * `picket scanners install DIR` keeps the user's research-scanner lists
 * beside the store (as `rules install` does for rules), and
 * `picket scanners check ADDR...` says which lists name an address.
 * Picket ships no list: the user fetches them (OpenFilters
 * internet-scanners, maltrail mass_scanner, wdes security ...).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadScannerLists, type ScannerLists } from '../../detect/reputation/index.js';
import { DEFAULT_STORE_PATH } from '../../store/index.js';
import { parseAddress } from '../../util/ip.js';
import { formatProblem } from '../../util/problems.js';
import { CliError, ExitCode } from './exit-codes.js';

/** Where `scanners install` keeps the lists: beside the store's database. */
export function installedScannersDir(db: string): string {
  return join(dirname(resolve(db.replace(/^sqlite:/, ''))), 'scanners');
}

/**
 * The installed lists, or undefined when none are installed (callers then run without labels).
 * @example loadInstalledScanners('.picket/picket.db')?.lookup('162.142.125.10')?.organisation // 'Censys'
 */
export function loadInstalledScanners(db: string): ScannerLists | undefined {
  const dir = installedScannersDir(db);
  if (!existsSync(dir) || readdirSync(dir).length === 0) return undefined;
  return loadScannerLists(dir);
}

/** Copies a folder (or one file) of scanner lists into the store folder, replacing the lists there. */
export function installScannerLists(
  from: string,
  db: string,
): { dir: string; lists: number; entries: number; badLines: number } {
  if (!existsSync(from))
    throw new CliError(
      `not found: ${from}`,
      ExitCode.NO_INPUT,
      'give a folder of scanner lists (one address or CIDR per line)',
    );
  const probe = loadScannerLists(from);
  if (probe.entries === 0)
    throw new CliError(
      `no scanner list entries in ${from}`,
      ExitCode.NO_INPUT,
      'lists are .txt files with one address or CIDR per line, # comments allowed',
    );
  const dir = installedScannersDir(db);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (statSync(from).isDirectory()) cpSync(from, dir, { recursive: true });
  else cpSync(from, join(dir, basename(from)));
  const badLines = probe.lists.reduce((n, l) => n + l.badLines, 0);
  return { dir, lists: probe.lists.length, entries: probe.entries, badLines };
}

/**
 * Adds the `scanners` command group.
 * @example registerScannersCommand(program) // picket scanners check 162.142.125.10
 */
export function registerScannersCommand(program: Command): void {
  const scanners = program
    .command('scanners')
    .description('research-scanner lists (Censys, Shodan, Shadowserver ...) that label scanning sources');
  scanners
    .command('install')
    .description('keep a folder of scanner lists beside the store; later runs label sources with it')
    .argument('<dir>', 'folder of lists (searched recursively for .txt files), or one list file')
    .option('--db <path>', 'store location', DEFAULT_STORE_PATH)
    .option('--json', 'print the result as JSON')
    .action((from: string, o) => {
      const r = installScannerLists(from, o.db);
      if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else
        process.stdout.write(
          `installed ${r.lists} lists (${r.entries} entries${r.badLines ? `, ${r.badLines} bad lines skipped` : ''}) from ${from} into ${r.dir}\n`,
        );
    });
  scanners
    .command('check')
    .description('say which scanner lists name each address')
    .argument('<addr...>', 'IPv4 or IPv6 addresses')
    .option('--lists <dir>', 'read these lists instead of the installed ones')
    .option('--db <path>', 'store location (finds the installed lists)', DEFAULT_STORE_PATH)
    .option('--json', 'print JSON lines, one per address')
    .action((addrs: string[], o) => {
      const lists = o.lists ? loadFrom(o.lists) : loadInstalledScanners(o.db);
      if (!lists)
        throw new CliError(
          `no scanner lists installed beside ${o.db}`,
          ExitCode.NO_INPUT,
          'install some with `picket scanners install DIR`, or name them with --lists DIR',
        );
      for (const addr of addrs) {
        const all = lists.lookupAll(addr);
        const best = lists.lookup(addr);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ addr, label: best ?? null, listedBy: all })}\n`);
          continue;
        }
        if (!best && all.length === 0) {
          const valid = parseAddress(addr.trim()) !== undefined;
          process.stdout.write(`${addr}: ${valid ? 'not listed' : 'not listed (is it an address?)'}\n`);
          continue;
        }
        process.stdout.write(`${addr}: ${best?.organisation ?? 'unattributed'} (${best?.list ?? '-'})\n`);
        for (const l of all) process.stdout.write(`  ${l.entry.padEnd(22)} ${l.organisation} — ${l.list}\n`);
      }
      const bad = lists.problems.total();
      const first = lists.problems.samples[0];
      if (bad > 0 && first)
        process.stderr.write(
          `warning: ${bad} bad lines in the scanner lists, first: ${formatProblem(first)}\n`,
        );
    });
}

function loadFrom(dir: string): ScannerLists {
  if (!existsSync(dir))
    throw new CliError(`not found: ${dir}`, ExitCode.NO_INPUT, 'give a folder of scanner lists');
  return loadScannerLists(dir);
}
