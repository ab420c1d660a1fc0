import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sniffCapture } from '../read/index.js';
import { pickReader } from '../read/logs.js';
import { isNfcapdHeader } from '../read/netflow/nfcapd.js';
import type { LogReader } from '../read/syslog/types.js';
import { captureHasExports, isExportPayloadFile } from './netflow-sniff.js';

/**
 * What an input file was recognised as, by content. 'netflow-capture': a pcap
 * or pcapng whose first frames include NetFlow/IPFIX export datagrams;
 * 'netflow-payload': raw export payload bytes (one datagram, or several in a row).
 */
export type InputKind =
  | 'pcap'
  | 'pcapng'
  | 'log'
  | 'nfdump-csv'
  | 'nfcapd'
  | 'nmap-xml'
  | 'netflow-capture'
  | 'netflow-payload';

export interface ResolvedInput {
  path: string;
  size: number;
  mtimeMs: number;
  kind: InputKind;
  /** For text logs: the reader its first lines call for. */
  logReader?: LogReader;
  /** For payload files: the folder's payload files, read as one exporter (templates shared). */
  netflowGroup?: { exporter: string; files: readonly string[] };
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
  const head = new Uint8Array(8192);
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
    if (kind) {
      inputs.push({
        path,
        size: st.size,
        mtimeMs: st.mtimeMs,
        kind: captureHasExports(path) ? 'netflow-capture' : kind,
      });
      return;
    }
    if (isNmapXml(head.subarray(0, n))) {
      inputs.push({ path, size: st.size, mtimeMs: st.mtimeMs, kind: 'nmap-xml' });
      return;
    }
    // nfdump's binary files (nfcapd, nfpcapd, nfdump -w): magic 0xA50C, layout 1 or 2.
    if (isNfcapdHeader(head.subarray(0, n))) {
      inputs.push({ path, size: st.size, mtimeMs: st.mtimeMs, kind: 'nfcapd' });
      return;
    }
    if (isNfdumpCsv(head.subarray(0, n))) {
      inputs.push({ path, size: st.size, mtimeMs: st.mtimeMs, kind: 'nfdump-csv' });
      return;
    }
    if (isExportPayloadFile(head.subarray(0, n), st.size)) {
      inputs.push({ path, size: st.size, mtimeMs: st.mtimeMs, kind: 'netflow-payload' });
      return;
    }
    const logReader = n > 0 ? sniffLog(head.subarray(0, n)) : undefined;
    if (logReader) inputs.push({ path, size: st.size, mtimeMs: st.mtimeMs, kind: 'log', logReader });
    else
      unrecognised.push({
        path,
        reason:
          n === 0
            ? 'empty file'
            : 'not a recognised format (captures: pcap, pcapng; logs: firewall, sshd, web server, syslog, Suricata EVE, Snort alerts, Zeek; NetFlow/IPFIX as export captures, raw payloads, nfcapd files or nfdump CSV; Nmap XML)',
      });
  };
  for (const p of paths) visit(p, true);
  groupPayloads(inputs);
  return { inputs, unrecognised };
}

/** Payload files of one folder share one exporter, so templates in one serve data in the others. */
function groupPayloads(inputs: ResolvedInput[]): void {
  const byDir = new Map<string, string[]>();
  for (const i of inputs) {
    if (i.kind !== 'netflow-payload') continue;
    const dir = dirname(i.path);
    const files = byDir.get(dir) ?? [];
    files.push(i.path);
    byDir.set(dir, files);
  }
  for (const i of inputs) {
    if (i.kind !== 'netflow-payload') continue;
    const dir = dirname(i.path);
    i.netflowGroup = { exporter: `file:${dir}`, files: byDir.get(dir)! };
  }
}

/** A text log's reader from its first lines; binary data (a NUL byte) is never a log. */
function sniffLog(head: Uint8Array): LogReader | undefined {
  if (head.includes(0)) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const lines = text.split('\n');
  if (lines.length > 1) lines.pop(); // the last line may be cut by the head's end
  return pickReader(lines.filter((l) => l.trim() !== '').slice(0, 20));
}

/**
 * Nmap's XML (`nmap -oX`): an XML declaration first (after an optional BOM
 * and blank space), then Nmap's DOCTYPE or its <nmaprun> root within the head.
 */
function isNmapXml(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF?\s*/, '');
  return text.startsWith('<?xml') && /<nmaprun[\s>]|<!DOCTYPE\s+nmaprun[\s>[]/.test(text);
}

/** `nfdump -o csv` output: its header names the columns ts, te, td, sa, da first. */
function isNfdumpCsv(head: Uint8Array): boolean {
  const prefix = 'ts,te,td,sa,da,';
  if (head.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (head[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
