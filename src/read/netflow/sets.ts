/**
 * Template and options-template sets (NetFlow v9 ids 0/1, IPFIX ids 2/3):
 * parsed into compiled Templates, or withdrawals (IPFIX). Bad layouts are
 * reported through `bad` with the byte offset and parsing of that set stops.
 */
import { compileTemplate, MAX_TEMPLATE_FIELDS, type Template } from './template.js';

/** True when b[from..to) equals `raw`. */
function sameBytes(b: Uint8Array, from: number, to: number, raw: Uint8Array): boolean {
  if (to - from !== raw.length) return false;
  for (let i = 0; i < raw.length; i++) if (b[from + i] !== raw[i]) return false;
  return true;
}

/** Installs a compiled template unless an identical one is known (then only refreshes it). */
function offer(
  sink: TemplateSink,
  b: Uint8Array,
  at: number,
  end: number,
  make: (raw: Uint8Array) => Template,
  domain: number,
  id: number,
  now: number,
): void {
  const old = sink.lookup(domain, id);
  if (old !== undefined && sameBytes(b, at, end, old.raw)) {
    sink.refresh(old, now);
    return;
  }
  sink.install(make(b.slice(at, end)), at);
}

export interface TemplateSink {
  /** The known template, to skip recompiling an identical one. */
  lookup(domain: number, id: number): Template | undefined;
  /** An identical template was re-sent: only its refresh time changes. */
  refresh(t: Template, now: number): void;
  install(t: Template, offset: number): void;
  /** IPFIX withdrawal: one id, or every data (2) / options (3) template when id is 2 or 3. */
  withdraw(domain: number, id: number, options: boolean, offset: number): void;
  bad(code: string, message: string, offset: number): void;
}

const ids: number[] = [];
const ents: number[] = [];
const lens: number[] = [];

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function reset(): void {
  ids.length = 0;
  ents.length = 0;
  lens.length = 0;
}

/** Reads `n` field specifiers at `o`; returns the offset after them, or -1 when they run past `end`. */
function readSpecs(b: Uint8Array, o: number, end: number, n: number, ipfix: boolean): number {
  for (let i = 0; i < n; i++) {
    if (o + 4 > end) return -1;
    let id = u16(b, o);
    const len = u16(b, o + 2);
    o += 4;
    let ent = 0;
    if (ipfix && id & 0x8000) {
      if (o + 4 > end) return -1;
      ent = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
      id &= 0x7fff;
      o += 4;
    }
    ids.push(id);
    ents.push(ent);
    lens.push(len);
  }
  return o;
}

/** A template set body from `o` to `end` (v9 set 0 or IPFIX set 2). */
export function parseTemplateSet(
  b: Uint8Array,
  o: number,
  end: number,
  domain: number,
  ipfix: boolean,
  now: number,
  sink: TemplateSink,
): void {
  while (o + 4 <= end) {
    const at = o;
    const id = u16(b, o);
    const count = u16(b, o + 2);
    o += 4;
    if (count === 0) {
      if (ipfix) {
        sink.withdraw(domain, id, false, at);
        continue;
      }
      return; // v9: zeros after the last template are padding
    }
    if (id < 256) {
      sink.bad('netflow.bad-template', `template id ${id} is below 256`, at);
      return;
    }
    if (count > MAX_TEMPLATE_FIELDS) {
      sink.bad('netflow.bad-template', `template ${id} claims ${count} fields`, at);
      return;
    }
    reset();
    o = readSpecs(b, o, end, count, ipfix);
    if (o < 0) {
      sink.bad('netflow.truncated-template', `template ${id} runs past the end of its set`, at);
      return;
    }
    offer(
      sink,
      b,
      at,
      o,
      (raw) => compileTemplate(id, domain, false, 0, ids, ents, lens, false, now, raw),
      domain,
      id,
      now,
    );
  }
}

/** IPFIX options template set (set id 3). */
export function parseIpfixOptionsSet(
  b: Uint8Array,
  o: number,
  end: number,
  domain: number,
  now: number,
  sink: TemplateSink,
): void {
  while (o + 4 <= end) {
    const at = o;
    const id = u16(b, o);
    const count = u16(b, o + 2);
    if (count === 0) {
      sink.withdraw(domain, id, true, at);
      o += 4;
      continue;
    }
    if (o + 6 > end) return;
    const scope = u16(b, o + 4);
    o += 6;
    if (id < 256) {
      sink.bad('netflow.bad-template', `options template id ${id} is below 256`, at);
      return;
    }
    if (count > MAX_TEMPLATE_FIELDS || scope === 0 || scope > count) {
      sink.bad('netflow.bad-template', `options template ${id}: ${scope} scope of ${count} fields`, at);
      return;
    }
    reset();
    o = readSpecs(b, o, end, count, true);
    if (o < 0) {
      sink.bad('netflow.truncated-template', `options template ${id} runs past the end of its set`, at);
      return;
    }
    offer(
      sink,
      b,
      at,
      o,
      (raw) => compileTemplate(id, domain, true, scope, ids, ents, lens, false, now, raw),
      domain,
      id,
      now,
    );
  }
}

/** NetFlow v9 options template flowset (id 1): scope and option lengths in bytes. */
export function parseV9OptionsSet(
  b: Uint8Array,
  o: number,
  end: number,
  domain: number,
  now: number,
  sink: TemplateSink,
): void {
  while (o + 6 <= end) {
    const at = o;
    const id = u16(b, o);
    const scopeLen = u16(b, o + 2);
    const optLen = u16(b, o + 4);
    o += 6;
    if (id === 0 && scopeLen === 0 && optLen === 0) return; // padding
    if (id < 256) {
      sink.bad('netflow.bad-template', `options template id ${id} is below 256`, at);
      return;
    }
    if (scopeLen % 4 !== 0 || optLen % 4 !== 0 || (scopeLen + optLen) / 4 > MAX_TEMPLATE_FIELDS) {
      sink.bad(
        'netflow.bad-template',
        `options template ${id}: scope ${scopeLen} / options ${optLen} bytes`,
        at,
      );
      return;
    }
    reset();
    o = readSpecs(b, o, end, (scopeLen + optLen) / 4, false);
    if (o < 0) {
      sink.bad('netflow.truncated-template', `options template ${id} runs past the end of its flowset`, at);
      return;
    }
    offer(
      sink,
      b,
      at,
      o,
      (raw) => compileTemplate(id, domain, true, scopeLen / 4, ids, ents, lens, true, now, raw),
      domain,
      id,
      now,
    );
    // Some exporters pad each options template to 4 bytes.
    while (o < end && o % 4 !== 0 && b[o] === 0) o++;
  }
}
