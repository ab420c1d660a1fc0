/**
 * A ModSecurity rule that refuses requests carrying the same pattern the IDS
 * rule matched (User-Agent, URI, header, body). The pattern is attacker data
 * or comes from it, so every byte other than a letter or digit is written as
 * `\xNN` inside an `@rx` expression: nothing in it can close the quoted
 * argument, start a new line, or mean anything to PCRE but itself.
 */
import type { ContentMatch, Rule } from '../../rules/ast.js';
import type { MatchedBytes } from '../../schema/alarm.js';
import { plainWords } from './safe.js';

/** One request part to test: the IDS buffer's ModSecurity variable and the byte patterns, in order. */
export interface WafPattern {
  buffer: string;
  parts: Array<{ bytes: Uint8Array; nocase: boolean }>;
  startsWith: boolean;
  endsWith: boolean;
}

interface Variable {
  name: string;
  phase: 1 | 2;
  transforms: string;
}

const VARIABLES: Readonly<Record<string, Variable>> = {
  'http.user_agent': { name: 'REQUEST_HEADERS:User-Agent', phase: 1, transforms: 't:none' },
  'http.uri': { name: 'REQUEST_URI', phase: 1, transforms: 't:none,t:urlDecodeUni,t:normalizePath' },
  'http.uri.raw': { name: 'REQUEST_URI', phase: 1, transforms: 't:none' },
  'http.host': { name: 'REQUEST_HEADERS:Host', phase: 1, transforms: 't:none,t:lowercase' },
  'http.method': { name: 'REQUEST_METHOD', phase: 1, transforms: 't:none' },
  'http.referer': { name: 'REQUEST_HEADERS:Referer', phase: 1, transforms: 't:none' },
  'http.cookie': { name: 'REQUEST_HEADERS:Cookie', phase: 1, transforms: 't:none' },
  'http.request_line': { name: 'REQUEST_LINE', phase: 1, transforms: 't:none' },
  'http.header': { name: 'REQUEST_HEADERS', phase: 1, transforms: 't:none' },
  'http.request_body': { name: 'REQUEST_BODY', phase: 2, transforms: 't:none' },
};

/** Buffers a WAF rule can be written for. */
export function wafBuffer(buffer: string): boolean {
  return buffer in VARIABLES;
}

/**
 * Bytes as a PCRE that matches exactly them, safe inside a double-quoted SecRule argument.
 *
 * @example regexBytes(Buffer.from('(BOT for JCE)')) // '\\x28BOT\\x20for\\x20JCE\\x29'
 */
export function regexBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
    s += alnum ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/** The rule's positive contents per WAF-able buffer, in rule order. */
export function patternsFromRule(rule: Rule): WafPattern[] {
  const byBuffer = new Map<string, WafPattern>();
  for (const m of rule.matches) {
    if (m.kind !== 'content' || m.negated || m.transforms.length > 0 || !wafBuffer(m.buffer)) continue;
    const c = m as ContentMatch;
    const p = byBuffer.get(c.buffer) ?? { buffer: c.buffer, parts: [], startsWith: false, endsWith: false };
    if (p.parts.length === 0) p.startsWith = c.startswith;
    p.parts.push({ bytes: c.bytes, nocase: c.nocase });
    if (c.endswith) p.endsWith = true;
    byBuffer.set(c.buffer, p);
  }
  return [...byBuffer.values()].map(headerPattern);
}

/** `http.header` contents written as `Name: value` test that header's value. */
function headerPattern(p: WafPattern): WafPattern {
  if (p.buffer !== 'http.header' || p.parts.length === 0) return p;
  const first = Buffer.from(p.parts[0]!.bytes).toString('latin1');
  const m = /^(User-Agent|Referer|Host|Cookie):\s?/i.exec(first);
  if (!m) return p;
  const buffer = `http.${m[1]!.toLowerCase().replace('-', '_')}`;
  const rest = p.parts[0]!.bytes.subarray(m[0].length);
  const parts = rest.length > 0 ? [{ ...p.parts[0]!, bytes: rest }, ...p.parts.slice(1)] : p.parts.slice(1);
  return parts.length > 0 ? { ...p, buffer, parts, startsWith: rest.length > 0 } : p;
}

/** Reads an inert excerpt's span back into the bytes it shows (`\xNN` → byte, "…" dropped). */
export function excerptBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (text[i] === '\\' && text[i + 1] === 'x' && /^[0-9a-f]{2}$/i.test(text.slice(i + 2, i + 4))) {
      out.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c < 0x80) out.push(c);
  }
  return Uint8Array.from(out);
}

/** Patterns from the matched bytes, when the rule text is not loaded. */
export function patternsFromMatched(matched: readonly MatchedBytes[]): WafPattern[] {
  const byBuffer = new Map<string, WafPattern>();
  for (const m of matched) {
    if (!wafBuffer(m.buffer)) continue;
    const bytes = excerptBytes(m.excerpt.slice(m.start, m.end));
    if (bytes.length === 0) continue;
    const p = byBuffer.get(m.buffer) ?? { buffer: m.buffer, parts: [], startsWith: false, endsWith: false };
    p.parts.push({ bytes, nocase: false });
    byBuffer.set(m.buffer, p);
  }
  return [...byBuffer.values()];
}

function expression(p: WafPattern): string {
  const nocase = p.parts.some((x) => x.nocase);
  const body = p.parts.map((x) => regexBytes(x.bytes)).join('.*?');
  return `${nocase ? '(?i)' : ''}${p.startsWith ? '^' : ''}${body}${p.endsWith ? '$' : ''}`;
}

/** A local-range ModSecurity id (1–99,999 are for local rules) derived from the sid. */
export function wafRuleId(sid: number): number {
  return 10_000 + (sid % 90_000);
}

/**
 * One SecRule (chained when the IDS rule tests several request parts), or undefined when nothing fits.
 *
 * @example
 * wafSnippet([{ buffer: 'http.user_agent', parts: [{ bytes: Buffer.from('Nessus'), nocase: true }], startsWith: false, endsWith: false }], 9900001, 'PICKET SCAN Nessus')
 * // 'SecRule REQUEST_HEADERS:User-Agent "@rx (?i)Nessus" "id:19900,phase:1,deny,status:403,log,t:none,msg:\'Picket sid 9900001 PICKET SCAN Nessus\'"'
 */
export function wafSnippet(patterns: readonly WafPattern[], sid: number, msg: string): string | undefined {
  const usable = patterns
    .filter((p) => p.parts.length > 0 && p.parts.some((x) => x.bytes.length > 0))
    .slice(0, 4);
  if (usable.length === 0) return undefined;
  const phase = Math.max(...usable.map((p) => VARIABLES[p.buffer]!.phase));
  const tag = plainWords(`Picket sid ${sid} ${msg}`, 100);
  const lines = usable.map((p, i) => {
    const v = VARIABLES[p.buffer]!;
    const chain = i < usable.length - 1 ? ',chain' : '';
    const actions =
      i === 0
        ? `id:${wafRuleId(sid)},phase:${phase},deny,status:403,log,${v.transforms},msg:'${tag}'${chain}`
        : `${v.transforms}${chain}`;
    return `${i === 0 ? '' : '    '}SecRule ${v.name} "@rx ${expression(p)}" "${actions}"`;
  });
  return [
    `# ModSecurity (v2 or v3): refuse requests with the pattern of sid ${sid}. Change the id if it is taken.`,
    ...lines,
  ].join('\n');
}
