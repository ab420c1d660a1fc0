/**
 * Reads logstash-patterns-core's RSpec files as data: each `it` case's log
 * line and the values it expects (ECS branch), flattened to dotted paths.
 * A small tokenizer for the Ruby literals those files use; nothing is evaluated.
 */

type Tok = { t: 'str' | 'num' | 'id' | 'sym' | 'p'; v: string; line: number; interp?: boolean };
export type RubyValue = string | number | RubyValue[] | { [k: string]: RubyValue } | { unknown: string };

export interface SpecCase {
  name: string;
  line: number;
  message?: string;
  /** Why the line could not be recovered (string interpolation, computed values). */
  unextractable?: string;
  expected: Map<string, RubyValue>;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
    else if (c === "'" || c === '"') {
      let v = '';
      let interp = false;
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          if (c === "'") v += n === "'" || n === '\\' ? n : `\\${n}`;
          else v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        if (c === '"' && src[i] === '#' && src[i + 1] === '{') interp = true;
        if (src[i] === '\n') line++;
        v += src[i++];
      }
      i++;
      out.push({ t: 'str', v, line, interp });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i, i + 40))!;
      out.push({ t: 'num', v: m[0], line });
      i += m[0].length;
    } else if (/[A-Za-z_@]/.test(c)) {
      const m = /^[@A-Za-z_][\w]*[?!]?/.exec(src.slice(i, i + 80))!;
      out.push({ t: 'id', v: m[0], line });
      i += m[0].length;
    } else if (c === ':' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      const m = /^:[A-Za-z_]\w*/.exec(src.slice(i, i + 80))!;
      out.push({ t: 'sym', v: m[0].slice(1), line });
      i += m[0].length;
    } else if (c === '=' && src[i + 1] === '>') {
      out.push({ t: 'p', v: '=>', line });
      i += 2;
    } else {
      out.push({ t: 'p', v: c, line });
      i++;
    }
  }
  return out;
}

/** Per line: inside `if ecs_compatibility?` (ecs), its `else` (legacy), or neither. */
function lineModes(src: string): ('ecs' | 'legacy' | 'both')[] {
  const lines = src.split('\n');
  const modes: ('ecs' | 'legacy' | 'both')[] = [];
  let mode: 'ecs' | 'legacy' | 'both' = 'both';
  let indent = -1;
  for (const l of lines) {
    const ind = l.length - l.trimStart().length;
    if (/^\s*if ecs_compatibility\?/.test(l)) {
      mode = 'ecs';
      indent = ind;
    } else if (indent >= 0 && ind === indent && /^\s*else\b/.test(l)) mode = 'legacy';
    else if (indent >= 0 && ind === indent && /^\s*end\b/.test(l)) {
      mode = 'both';
      indent = -1;
    }
    modes.push(mode);
  }
  return modes;
}

/** Parses the RSpec text into cases. */
export function parseSpecCases(src: string): SpecCase[] {
  const toks = tokenize(src);
  const modes = lineModes(src);
  const vars = new Map<string, RubyValue>();
  const cases: SpecCase[] = [];
  let cur: SpecCase | undefined;
  let context = '';
  let i = 0;
  const peek = (k = 0) => toks[i + k];
  const isP = (v: string, k = 0) => peek(k)?.t === 'p' && peek(k)?.v === v;

  const value = (): RubyValue => {
    const t = toks[i++];
    if (!t) return { unknown: 'eof' };
    let v: RubyValue;
    if (t.t === 'str') v = t.interp ? { unknown: `interpolated "${t.v}"` } : t.v;
    else if (t.t === 'num') v = Number(t.v);
    else if (t.t === 'p' && t.v === '{') v = hash('}');
    else if (t.t === 'p' && t.v === '[') {
      const arr: RubyValue[] = [];
      while (i < toks.length && !isP(']')) {
        arr.push(value());
        if (isP(',')) i++;
      }
      i++;
      v = arr;
    } else if (t.t === 'id' && t.v === 'hash_including' && isP('(')) {
      i++;
      v = hash(')');
    } else if (t.t === 'id') v = vars.get(t.v) ?? { unknown: t.v };
    else v = { unknown: t.v };
    // String concatenation with "+".
    while (isP('+')) {
      i++;
      const r = value();
      v = typeof v === 'string' && typeof r === 'string' ? v + r : { unknown: 'concat' };
    }
    return v;
  };
  const hash = (close: string): { [k: string]: RubyValue } => {
    const h: { [k: string]: RubyValue } = {};
    while (i < toks.length && !isP(close)) {
      if (isP('{') && close === ')') {
        i++;
        Object.assign(h, hash('}'));
        if (isP(',')) i++;
        continue;
      }
      const k = value();
      if (!isP('=>')) break;
      i++;
      h[String(typeof k === 'string' ? k : JSON.stringify(k))] = value();
      if (isP(',')) i++;
    }
    i++;
    return h;
  };
  const finish = () => {
    if (cur) cases.push(cur);
    cur = undefined;
  };

  while (i < toks.length) {
    const t = toks[i]!;
    if (t.t === 'id' && (t.v === 'describe_pattern' || t.v === 'context' || t.v === 'describe')) {
      finish();
      const name = toks[i + 1]?.t === 'str' ? toks[i + 1]!.v : '';
      if (t.v === 'describe_pattern') {
        context = name;
        vars.clear();
      } else context = `${context.split(' / ')[0]} / ${name}`;
      i += 2;
      continue;
    }
    if (t.t === 'id' && t.v === 'it') {
      finish();
      const title = toks[i + 1]?.t === 'str' ? toks[i + 1]!.v : '';
      const m = vars.get('message');
      cur = { name: `${context}: ${title}`, line: t.line, expected: new Map() };
      if (typeof m === 'string') cur.message = m;
      i++;
      continue;
    }
    if (t.t === 'id' && t.v === 'let' && isP('(', 1) && peek(2)?.t === 'sym') {
      const name = peek(2)!.v;
      i += 4; // let ( :sym )
      if (isP('{') || (peek()?.t === 'id' && peek()!.v === 'do')) i++;
      vars.set(name, value());
      continue;
    }
    if (t.t === 'id' && isP('=', 1) && peek(2)?.v === 'grok_match') {
      i += 2;
      continue;
    }
    if (t.t === 'id' && isP('=', 1) && !isP('=', 2) && !isP('~', 2)) {
      i += 2;
      const v = value();
      vars.set(t.v, v);
      if (cur && t.v === 'message') setMessage(cur, v);
      continue;
    }
    if (t.t === 'id' && t.v === 'grok_match') {
      i++;
      if (isP('(')) i++;
      i++; // pattern
      if (isP(',')) i++;
      if (cur) setMessage(cur, value());
      continue;
    }
    if (t.t === 'id' && t.v === 'expect' && isP('(', 1) && cur) {
      const mode = modes[t.line - 1];
      i += 2;
      const subj: string[] = [];
      let depth = 1;
      while (i < toks.length && depth > 0) {
        const s = toks[i++]!;
        if (s.t === 'p' && s.v === '(') depth++;
        else if (s.t === 'p' && s.v === ')') depth--;
        if (depth > 0) subj.push(s.v);
      }
      // subject forms: grok | subject | match | grok['message'] | iptables (grok['iptables'])
      let prefix = '';
      const ok = subj.length === 1 || (subj.length === 4 && subj[1] === '[');
      if (subj.length === 4 && subj[1] === '[') prefix = `${subj[2]}.`;
      else if (subj[0] === 'iptables') prefix = 'iptables.';
      if (!isP('.') || peek(1)?.v !== 'to' || !ok || mode === 'legacy') {
        i++;
        continue;
      }
      i += 2;
      const verb = peek()?.v;
      if (verb !== 'include' && verb !== 'eql' && verb !== 'eq') continue;
      i++;
      let h: { [k: string]: RubyValue };
      if (verb === 'include') {
        const paren = isP('(');
        if (paren) i++;
        if (isP('{')) {
          i++;
          h = hash('}');
        } else h = hash(paren ? ')' : '\n');
        if (paren && isP(')')) i++;
      } else {
        const paren = isP('(');
        if (paren) i++;
        h = { [prefix.slice(0, -1)]: value() };
        prefix = '';
        if (paren && isP(')')) i++;
      }
      flatten(h, prefix, cur.expected);
      continue;
    }
    i++;
  }
  finish();
  return cases;
}

function setMessage(c: SpecCase, v: RubyValue): void {
  if (typeof v === 'string') c.message = v;
  else {
    delete c.message;
    c.unextractable = JSON.stringify(v);
  }
}

function flatten(h: RubyValue, prefix: string, out: Map<string, RubyValue>): void {
  if (
    typeof h === 'object' &&
    h !== null &&
    !Array.isArray(h) &&
    !('unknown' in h && Object.keys(h).length === 1)
  ) {
    for (const [k, v] of Object.entries(h)) flatten(v, `${prefix}${k}.`, out);
  } else out.set(prefix.slice(0, -1), h);
}
