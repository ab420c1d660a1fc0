/**
 * Test support for the rule engine: rules from full rule text, one buffer's
 * compiled match list, and small scripted conversations (TCP with sequence
 * numbers, UDP, ICMP) written as pcap files and run through the real reader,
 * decoder and engine. Test-only; nothing in the production path imports this.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDecoder } from '../../decode/index.js';
import { eth, icmp, ipv4, tcp, udp } from '../../decode/testing/packet-builders.js';
import { openCapture } from '../../read/index.js';
import { type PcapRecord, pcapFile } from '../../read/testing/build-capture.js';
import { createProblemLog } from '../../util/problems.js';
import type { Rule } from '../ast.js';
import { newSpecCache } from '../parse/header.js';
import { defaultReferenceSystems } from '../parse/reference.js';
import { parseRule } from '../parse/rule.js';
import { defaultVars } from '../parse/variables.js';
import type { Alert } from './alert.js';
import { createDetectEngine, type DetectEngine, type DetectOptions } from './engine.js';
import {
  type BufferList,
  compileList,
  INSPECT_BUDGET,
  type InspectContext,
  inspectBuffer,
} from './inspect.js';
import { runRegex } from './regex.js';

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 };

/** Parses one complete rule line; throws with the reason when it is rejected. */
export function ruleText(text: string): Rule {
  const r = parseRule(
    { line: 1, text, disabled: false },
    {
      vars: defaultVars(),
      cache: newSpecCache(),
      keywords: { classifications: new Map(), references: defaultReferenceSystems() },
      file: 'test.rules',
    },
  );
  if ('error' in r) throw new Error(`rejected: ${r.error} — for: ${text}`);
  return r.rule;
}

/**
 * The match list of `alert tcp any any -> any any (<options> sid:1;)`; every
 * match must inspect one buffer (the packet payload unless a sticky buffer is named).
 * @example inspect(payloadList('content:"a";'), 'xa') // true
 */
export function payloadList(options: string): BufferList {
  const rule = ruleText(`alert tcp any any -> any any (${options} sid:1;)`);
  const buffer = rule.matches[0]?.buffer ?? 'pkt';
  if (rule.matches.some((m) => m.buffer !== buffer)) throw new Error(`more than one buffer in: ${options}`);
  return compileList(buffer, rule.matches);
}

export function freshContext(budget = INSPECT_BUDGET): InspectContext {
  return { vars: new Map(), spans: [], budget, regex: runRegex, bounded: 0 };
}

export function bytesOf(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : s;
}

/** Runs the list over `payload` (Latin-1 text or bytes) with a fresh context. */
export function inspect(list: BufferList, payload: string | Uint8Array, ctx = freshContext()): boolean {
  return inspectBuffer(list, bytesOf(payload), ctx);
}

/** Builds the frames of a capture in order; timestamps advance 1 ms per packet. */
export class CaptureScript {
  readonly records: PcapRecord[] = [];
  private t = 0;

  /** One IPv4 packet with the given transport bytes. */
  ip(src: string, dst: string, proto: number, l4: Uint8Array, ttl = 64): this {
    const sec = 1_700_000_000 + Math.floor(this.t / 1000);
    this.records.push({
      sec,
      frac: (this.t % 1000) * 1000,
      data: eth(0x0800, ipv4({ src, dst, proto, ttl }, l4)),
    });
    this.t++;
    return this;
  }

  udp(src: string, sport: number, dst: string, dport: number, payload: string | Uint8Array = ''): this {
    return this.ip(src, dst, 17, udp(sport, dport, bytesOf(payload)));
  }

  icmp(src: string, dst: string, type: number, code: number, ttl = 64): this {
    return this.ip(src, dst, 1, icmp(type, code, new Uint8Array([0, 1, 0, 1])), ttl);
  }

  /** A TCP connection between two endpoints that tracks its own sequence numbers. */
  tcp(client: string, cport: number, server: string, sport: number): TcpScript {
    return new TcpScript(this, client, cport, server, sport);
  }

  /** Writes the capture to a fresh temp file and returns its path. */
  write(name = 'test.pcap'): string {
    const path = join(mkdtempSync(join(tmpdir(), 'picket-engine-')), name);
    writeFileSync(path, pcapFile({}, this.records));
    return path;
  }
}

export class TcpScript {
  private cseq = 1000;
  private sseq = 5000;

  constructor(
    private readonly cap: CaptureScript,
    private readonly client: string,
    private readonly cport: number,
    private readonly server: string,
    private readonly sport: number,
  ) {}

  /** One segment; the sender's sequence number advances by its data (and SYN/FIN). */
  seg(fromClient: boolean, flags: number, payload: string | Uint8Array = '', ttl = 64): this {
    const data = bytesOf(payload);
    const seg = tcp(
      {
        sport: fromClient ? this.cport : this.sport,
        dport: fromClient ? this.sport : this.cport,
        seq: fromClient ? this.cseq : this.sseq,
        ack: flags & TCP.ACK ? (fromClient ? this.sseq : this.cseq) : 0,
        flags,
      },
      data,
    );
    this.cap.ip(fromClient ? this.client : this.server, fromClient ? this.server : this.client, 6, seg, ttl);
    const adv = data.length + (flags & (TCP.SYN | TCP.FIN) ? 1 : 0);
    if (fromClient) this.cseq = (this.cseq + adv) >>> 0;
    else this.sseq = (this.sseq + adv) >>> 0;
    return this;
  }

  handshake(): this {
    return this.seg(true, TCP.SYN)
      .seg(false, TCP.SYN | TCP.ACK)
      .seg(true, TCP.ACK);
  }

  /** Data from the client (PSH|ACK). */
  toServer(payload: string | Uint8Array): this {
    return this.seg(true, TCP.PSH | TCP.ACK, payload);
  }

  /** Data from the server (PSH|ACK). */
  toClient(payload: string | Uint8Array): this {
    return this.seg(false, TCP.PSH | TCP.ACK, payload);
  }

  /** A bare acknowledgement (of everything the other side sent so far). */
  ack(fromClient: boolean): this {
    return this.seg(fromClient, TCP.ACK);
  }

  /** Client data, acknowledged by the server. */
  request(payload: string | Uint8Array): this {
    return this.toServer(payload).ack(false);
  }

  /** Server data, acknowledged by the client. */
  response(payload: string | Uint8Array): this {
    return this.toClient(payload).ack(true);
  }

  /** Data the capture lost: the sender's sequence number moves on by `bytes`, no packet is written. */
  lose(fromClient: boolean, bytes: number): this {
    if (fromClient) this.cseq = (this.cseq + bytes) >>> 0;
    else this.sseq = (this.sseq + bytes) >>> 0;
    return this;
  }

  /** Both sides close with FIN and the last ACK. */
  close(): this {
    return this.seg(true, TCP.FIN | TCP.ACK)
      .seg(false, TCP.FIN | TCP.ACK)
      .seg(true, TCP.ACK);
  }
}

export interface RunResult {
  alerts: Alert[];
  engine: DetectEngine;
  /** Alerts per sid. */
  count(sid: number): number;
}

/**
 * Reads a capture with the real reader and decoder and runs the engine over it.
 * @example runCapture(path, [ruleText('alert ip any any -> any any (sid:1;)')]).count(1)
 */
export function runCapture(
  path: string,
  rules: readonly Rule[],
  opts: Omit<DetectOptions, 'rules' | 'onAlert'> = {},
): RunResult {
  const problems = createProblemLog();
  const alerts: Alert[] = [];
  const engine = createDetectEngine({ ...opts, rules, problems, onAlert: (a) => alerts.push(a) });
  const reader = openCapture(path, problems);
  if (!reader) throw new Error(`cannot open ${path}`);
  const decoder = createDecoder(problems);
  try {
    for (let f = reader.next(); f; f = reader.next()) engine.packet(decoder.decode(f));
  } finally {
    reader.close();
  }
  engine.finish();
  return { alerts, engine, count: (sid) => alerts.filter((a) => a.rule.sid === sid).length };
}

/** Parses each line as a rule and runs the capture script through the engine. */
export function runScript(
  script: CaptureScript,
  ruleLines: readonly string[],
  opts: Omit<DetectOptions, 'rules' | 'onAlert'> = {},
): RunResult {
  return runCapture(script.write(), ruleLines.map(ruleText), opts);
}
