import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sniffCapture } from '../read/index.js';

/** What an input file was recognised as, by content. */
export type InputKind = 'pcap' | 'pcapng';

export interface ResolvedInput {
  path: string;
  size: number;
  mtimeMs: number;
  kind: InputKind;
}

export interface Unrecognised {
  path: string;
  reason: string;
}

/**
 * Expands files and folders (recursively, sorted, hidden entries skipped) and
 * recognises each file by its first bytes, never by its name.
 */
export function resolveInputs(paths: string[]): { inputs: ResolvedInput[]; unrecognised: Unrecognised[] } {
  const inputs: ResolvedInput[] = [];
  const unrecognised: Unrecognised[] = [];
  const head = new Uint8Array(64);
  const visit = (path: string, explicit: boolean) => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch (e) {
      unrecognised.push({ path, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (!name.startsWith('.')) visit(join(path, name), false);
      }
      return;
    }
    if (!st.isFile()) {
      if (explicit) unrecognised.push({ path, reason: 'not a regular file' });
      return;
    }
    let n = 0;
    try {
      const fd = openSync(path, 'r');
      try {
        n = readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      unrecognised.push({ path, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      return;
    }
    const kind = sniffCapture(head.subarray(0, n));
    if (kind) inputs.push({ path, size: st.size, mtimeMs: st.mtimeMs, kind });
    else
      unrecognised.push({
        path,
        reason: n === 0 ? 'empty file' : 'not a capture (this version reads pcap and pcapng)',
      });
  };
  for (const p of paths) visit(p, true);
  return { inputs, unrecognised };
}
