/**
 * Test support for NetFlow inputs: analyze() into a temporary folder with its
 * events read back, and a minimal little-endian pcap record splitter/writer
 * for building captures out of real ones (cut frames, mixed traffic).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../schema/event.js';
import { type AnalyzeSummary, analyze } from './analyze.js';

/** Runs analyze() on `inputs` and returns its summary and every event it wrote. */
export async function analyzeToEvents(
  inputs: string[],
): Promise<{ summary: AnalyzeSummary; events: Event[] }> {
  const out = mkdtempSync(join(tmpdir(), 'picket-nf-analyze-'));
  try {
    const summary = await analyze({ inputs, outDir: out });
    const text = readFileSync(join(out, 'events.jsonl'), 'utf8');
    const events = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Event);
    return { summary, events };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A flow event's identity and counts, for comparing with other decoders. */
export function flowKey(e: {
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  proto?: string;
  packets?: number;
  bytes?: number;
}): string {
  return `${e.src}|${e.srcPort ?? 0}|${e.dst}|${e.dstPort ?? 0}|${e.proto}|${e.packets}|${e.bytes}`;
}

export interface PcapRecord {
  /** The 16-byte record header, as read. */
  header: Uint8Array;
  data: Uint8Array;
}

/** Splits a little-endian microsecond pcap into its global header and records (test inputs only). */
export function splitPcap(input: Uint8Array): { global: Uint8Array; records: PcapRecord[] } {
  const bytes = new Uint8Array(input); // a copy: Buffer's slice() would be a view
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== 0xa1b2c3d4)
    throw new Error('splitPcap: not a little-endian microsecond pcap');
  const records: PcapRecord[] = [];
  let o = 24;
  while (o + 16 <= bytes.length) {
    const capLen = dv.getUint32(o + 8, true);
    records.push({ header: bytes.slice(o, o + 16), data: bytes.slice(o + 16, o + 16 + capLen) });
    o += 16 + capLen;
  }
  return { global: bytes.slice(0, 24), records };
}

/** Joins a global header and records into pcap bytes; each record's captured length is its data's. */
export function joinPcap(global: Uint8Array, records: readonly PcapRecord[]): Uint8Array {
  const parts: Uint8Array[] = [global];
  for (const r of records) {
    const h = new Uint8Array(r.header);
    const dv = new DataView(h.buffer);
    dv.setUint32(8, r.data.length, true);
    if (dv.getUint32(12, true) < r.data.length) dv.setUint32(12, r.data.length, true);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}
