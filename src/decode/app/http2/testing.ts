/**
 * Test-only helpers for the HTTP/2 parser: a capture driver (real reader,
 * decoder and TCP reassembler) that recognises HTTP/2 connections the way the
 * integrator will, and byte builders for hand-made frames and header blocks.
 * Nothing in the production path imports this file.
 */
import assert from 'node:assert/strict';
import { openCapture } from '../../../read/index.js';
import type { HttpTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import { formatAddress } from '../../../util/ip.js';
import { createProblemLog } from '../../../util/problems.js';
import { createDecoder } from '../../index.js';
import { createStreamReassembler, type StreamReassembler } from '../../reassembly.js';
import { huffmanEncode } from './huffman.js';
import {
  createH2cUpgradeParser,
  createHttp2Parser,
  type Http2Parser,
  type Http2Progress,
  isH2cSwitch,
  isH2cUpgradeRequest,
  looksLikeHttp2Preface,
} from './index.js';

export interface CaptureResult {
  txs: HttpTx[];
  progress: Array<{ conn: string; id: number; progress: Http2Progress; frame: number }>;
  problems: ProblemLog;
  /** Connections that were not HTTP/2 (e.g. plain HTTP/1.1). */
  other: string[];
}

type Fields = Array<[Uint8Array, Uint8Array]>;
const CRLF2 = Buffer.from('\r\n\r\n');

/** Minimal HTTP/1 head parsing, enough to hand an h2c Upgrade over (the real HTTP/1 parser is the integrator's). */
function parseHead(head: Buffer): { line: string[]; headers: Fields } {
  const lines = head.toString('latin1').split('\r\n');
  const headers: Fields = [];
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c > 0) headers.push([Buffer.from(l.slice(0, c)), Buffer.from(l.slice(c + 1).trim())]);
  }
  return { line: lines[0]!.split(' '), headers };
}

interface Conn {
  key: string;
  orig: string;
  mode: 'sniff' | 'h2' | 'other';
  parser?: Http2Parser;
  /** Bytes held while deciding (HTTP/1 head of an upgrade). */
  held: [Buffer, Buffer];
  upgrade?: { method: Uint8Array; uri: Uint8Array; headers: Fields };
  r: [StreamReassembler, StreamReassembler];
}

/** Reads a capture and returns every HTTP/2 transaction at its final progress. */
export function http2FromCapture(path: string, opts: { maxBody?: number } = {}): CaptureResult {
  const problems = createProblemLog();
  const reader = openCapture(path, problems);
  assert.ok(reader, `cannot open ${path}`);
  const decoder = createDecoder(problems);
  const out: CaptureResult = { txs: [], progress: [], problems, other: [] };
  const conns = new Map<string, Conn>();
  let frame = 0;

  const onTx = (conn: string) => (tx: HttpTx, progress: Http2Progress) => {
    out.progress.push({ conn, id: tx.id, progress, frame });
    if (!out.txs.includes(tx)) out.txs.push(tx);
  };

  function deliver(c: Conn, toServer: boolean, bytes: Uint8Array): void {
    if (c.mode === 'h2') {
      if (toServer) c.parser!.toServer(bytes);
      else c.parser!.toClient(bytes);
      return;
    }
    if (c.mode === 'other') return;
    const side = toServer ? 0 : 1;
    c.held[side] = Buffer.concat([c.held[side], bytes]);
    const client = c.held[0];
    if (c.upgrade === undefined) {
      if (client.length === 0) return;
      if (looksLikeHttp2Preface(client)) {
        c.mode = 'h2';
        c.parser = createHttp2Parser({ onTx: onTx(c.key), problems, file: path, ...opts });
        const [cb, sb] = c.held;
        c.held = [Buffer.alloc(0), Buffer.alloc(0)];
        c.parser.toServer(cb);
        if (sb.length > 0) c.parser.toClient(sb);
        return;
      }
      const end = client.indexOf(CRLF2);
      if (end < 0) return;
      const head = parseHead(client.subarray(0, end));
      if (!isH2cUpgradeRequest(head.headers)) {
        c.mode = 'other';
        out.other.push(c.key);
        return;
      }
      c.upgrade = {
        method: Buffer.from(head.line[0]!),
        uri: Buffer.from(head.line[1]!),
        headers: head.headers,
      };
      c.held[0] = client.subarray(end + 4);
    }
    const server = c.held[1];
    const end = server.indexOf(CRLF2);
    if (end < 0) return;
    const res = parseHead(server.subarray(0, end));
    if (!isH2cSwitch(Buffer.from(res.line[1] ?? ''), res.headers)) {
      c.mode = 'other';
      out.other.push(c.key);
      return;
    }
    c.mode = 'h2';
    c.parser = createH2cUpgradeParser(
      { onTx: onTx(c.key), problems, file: path, ...opts },
      { method: c.upgrade.method, rawUri: c.upgrade.uri, requestHeaders: c.upgrade.headers },
    );
    const [cb, sb] = [c.held[0], server.subarray(end + 4)];
    c.held = [Buffer.alloc(0), Buffer.alloc(0)];
    if (cb.length > 0) c.parser.toServer(cb);
    if (sb.length > 0) c.parser.toClient(sb);
  }

  for (let f = reader.next(); f; f = reader.next()) {
    frame++;
    const p = decoder.decode(f);
    if (p.ipProto !== 6 || p.addrLen === 0 || p.fragment) continue;
    const a = `${formatAddress(p.src, p.addrLen)}:${p.srcPort}`;
    const b = `${formatAddress(p.dst, p.addrLen)}:${p.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = conns.get(key);
    if (c === undefined) {
      const conn: Conn = { key, orig: a, mode: 'sniff', held: [Buffer.alloc(0), Buffer.alloc(0)] } as Conn;
      conn.r = [
        createStreamReassembler({ onData: (bytes) => deliver(conn, true, bytes) }),
        createStreamReassembler({ onData: (bytes) => deliver(conn, false, bytes) }),
      ];
      conns.set(key, conn);
      c = conn;
    }
    const di = a === c.orig ? 0 : 1;
    c.r[di].segment(p.seq, p.tcpFlags, p.payload);
    if (p.tcpFlags & 0x10) c.r[1 - di]!.ack(p.ack);
  }
  reader.close();
  for (const c of conns.values()) {
    c.r[0].finish();
    c.r[1].finish();
    c.parser?.end();
  }
  return out;
}

const enc = new TextEncoder();

/** One frame: 9-byte header then payload. */
export function frame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array | number[] = [],
): Uint8Array {
  const p = Uint8Array.from(payload);
  const out = new Uint8Array(9 + p.length);
  out[0] = (p.length >>> 16) & 0xff;
  out[1] = (p.length >>> 8) & 0xff;
  out[2] = p.length & 0xff;
  out[3] = type;
  out[4] = flags;
  out[5] = (streamId >>> 24) & 0x7f;
  out[6] = (streamId >>> 16) & 0xff;
  out[7] = (streamId >>> 8) & 0xff;
  out[8] = streamId & 0xff;
  out.set(p, 9);
  return out;
}

export function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** HPACK integer with an N-bit prefix, the top bits of the first byte set to `mask`. */
export function hpackInt(value: number, prefixBits: number, mask: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [mask | value];
  const out = [mask | max];
  value -= max;
  while (value >= 128) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

function hpackString(s: string, huffman: boolean): number[] {
  const raw = enc.encode(s);
  const bytes = huffman ? huffmanEncode(raw) : raw;
  return [...hpackInt(bytes.length, 7, huffman ? 0x80 : 0), ...bytes];
}

/** A literal field with a literal name, added to the dynamic table unless `index` is false. */
export function literal(
  name: string,
  value: string,
  opts: { index?: boolean; huffman?: boolean } = {},
): number[] {
  const h = opts.huffman ?? false;
  return [opts.index === false ? 0x00 : 0x40, ...hpackString(name, h), ...hpackString(value, h)];
}

/** A literal field whose name is HPACK index `i`, not indexed. */
export function literalIndexedName(i: number, value: string): number[] {
  return [...hpackInt(i, 4, 0x00), ...hpackString(value, false)];
}

/** An indexed field. */
export function indexed(i: number): number[] {
  return hpackInt(i, 7, 0x80);
}

/** A request header block: method, scheme, path, authority, then extra literal fields. */
export function requestBlock(
  method: string,
  path: string,
  authority: string,
  extra: Array<[string, string]> = [],
): number[] {
  return [
    ...literalIndexedName(2, method),
    ...indexed(6),
    ...literalIndexedName(4, path),
    ...literalIndexedName(1, authority),
    ...extra.flatMap(([n, v]) => literal(n, v, { index: false })),
  ];
}

/** A response header block: status, then extra literal fields. */
export function responseBlock(status: string, extra: Array<[string, string]> = []): number[] {
  return [...literalIndexedName(8, status), ...extra.flatMap(([n, v]) => literal(n, v, { index: false }))];
}

export const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString('latin1');
