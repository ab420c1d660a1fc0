/**
 * Every real capture in the shared data must read with zero problems and give
 * exactly tshark's frames: count, timestamps and lengths. The pcaps are also
 * merged with mergecap into pcapng and nanosecond pcap, so the pcapng reader is
 * checked against a real writer too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { needTools, sharedData } from '../../test/support/env.js';
import { createProblemLog, formatProblem } from '../util/problems.js';
import { openCapture, sniffCapture } from './index.js';

const run = promisify(execFile);
const pcaps = sharedData('pcaps');
const verify = sharedData('verify/tests');
const noTools = needTools('tshark');

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (sniffCapture(readFileSync(p).subarray(0, 12))) out.push(p);
  }
  return out;
}

function captures(): string[] {
  const files = walk(pcaps.path, []);
  for (const t of readdirSync(verify.path)) {
    const dir = join(verify.path, t);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.pcap')) files.push(join(dir, f));
  }
  return files;
}

/** tshark's view: one "sec.nsec len caplen" line per frame. */
async function tsharkFrames(path: string): Promise<string[]> {
  const { stdout } = await run(
    'tshark',
    ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.replace(/\t/g, ' '));
}

function ourFrames(path: string, chunkSize?: number): string[] {
  const log = createProblemLog();
  const r = openCapture(path, log, chunkSize ? { chunkSize } : undefined);
  const out: string[] = [];
  for (let f = r?.next(); f; f = r!.next()) {
    assert.equal(f.data.length, f.capLen);
    out.push(`${f.tsSec}.${String(f.tsNsec).padStart(9, '0')} ${f.origLen} ${f.capLen}`);
  }
  r?.close();
  assert.equal(log.total(), 0, `${path}: ${log.samples.map(formatProblem).join('\n')}`);
  return out;
}

/** Runs `fn` over items with a few in flight (tshark is the slow part). */
async function eachParallel<T>(items: T[], fn: (t: T) => Promise<void>, width = 3): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const skip = pcaps.skip || verify.skip || noTools;

test('every shared capture reads like tshark: frame count, timestamps, lengths', { skip }, async () => {
  const files = captures();
  assert.ok(files.length > 80, `found ${files.length} captures`);
  let frames = 0;
  await eachParallel(files, async (path) => {
    const want = await tsharkFrames(path);
    const got = ourFrames(path);
    assert.equal(got.length, want.length, `${path} frame count`);
    assert.deepEqual(got, want, path);
    frames += got.length;
  });
  assert.ok(frames > 10_000, `compared ${frames} frames`);
});

test('merged by mergecap into pcapng (one interface per link type) and nanosecond pcap, read like tshark', {
  skip: skip || needTools('mergecap'),
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-mergecap-'));
  try {
    const ng = join(dir, 'merged.pcapng');
    await run('mergecap', ['-F', 'pcapng', '-w', ng, ...captures()]);
    const want = await tsharkFrames(ng);
    assert.deepEqual(ourFrames(ng, 4096), want);
    const r = openCapture(ng, createProblemLog());
    const linkTypes = new Set<number>();
    const interfaces = new Set<number>();
    for (let f = r?.next(); f; f = r!.next()) {
      linkTypes.add(f.linkType);
      interfaces.add(f.interfaceId);
    }
    r?.close();
    assert.ok(linkTypes.size >= 4, `link types ${[...linkTypes]}`);
    assert.ok(interfaces.size >= 4, `interfaces ${[...interfaces]}`);

    // the pcaps folder is all Ethernet, so it fits one nanosecond pcap
    const ns = join(dir, 'merged-ns.pcap');
    await run('mergecap', ['-F', 'nsecpcap', '-w', ns, ...walk(pcaps.path, [])]);
    assert.deepEqual(ourFrames(ns, 1000), await tsharkFrames(ns));
    assert.equal(openCapture(ns, createProblemLog())?.nanosecond, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
