/**
 * Parses a PCRE pattern (byte mode, as Suricata compiles rule pcre) into a
 * PcreTree with flags applied. Anything PCRE would reject, and anything with
 * no exact JavaScript counterpart, is an error naming the construct.
 */
import type { PcreNode, PcreTree } from './pcre-ast.js';
import { fixedLength } from './pcre-ast.js';
import { add, caseClose, fullSet, NOT_NEWLINE, setOf } from './pcre-charset.js';
import { parseClass, parseClassEscape } from './pcre-class.js';

export interface PcreFlags {
  caseless: boolean;
  dotall: boolean;
  multiline: boolean;
  extended: boolean;
  ungreedy: boolean;
  dollarEndOnly: boolean;
}

/** PCRE's own nesting limit; also keeps the recursive parser's stack small. */
const MAX_DEPTH = 250;
const MAX_REPEAT = 65535;

/** Thrown inside the parser only; parsePcreTree turns it into an error value. */
export class PcreSyntaxError extends Error {}

const fail = (msg: string): never => {
  throw new PcreSyntaxError(msg);
};

/** @example parsePcreTree('a+', flags) // { root: { t: 'repeat', ... }, groups: 0, names: Map{} } */
export function parsePcreTree(pattern: string, flags: PcreFlags): PcreTree | { error: string } {
  try {
    return new Parser(pattern, { ...flags }).parse();
  } catch (e) {
    if (e instanceof PcreSyntaxError) return { error: e.message };
    throw e;
  }
}

type NamedRef = { node: Extract<PcreNode, { t: 'backref' }>; name: string };

class Parser {
  private i = 0;
  private depth = 0;
  private groups = 0;
  private readonly names = new Map<string, number>();
  private readonly numberedRefs: Array<Extract<PcreNode, { t: 'backref' }>> = [];
  private readonly namedRefs: NamedRef[] = [];

  constructor(
    private readonly p: string,
    private f: PcreFlags,
  ) {}

  parse(): PcreTree {
    if (this.p.startsWith('(*')) fail('(*VERB) start-of-pattern settings are not supported');
    const root = this.alternation();
    if (this.i < this.p.length) fail(`unmatched ) at offset ${this.i}`);
    for (const r of this.namedRefs) {
      const g = this.names.get(r.name);
      if (g === undefined) fail(`reference to unknown group name "${r.name}"`);
      r.node.group = g!;
    }
    for (const r of this.numberedRefs)
      if (r.group > this.groups || r.group < 1) fail(`reference to non-existent group ${r.group}`);
    return { root, groups: this.groups, names: this.names };
  }

  private alternation(): PcreNode {
    const branches = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { t: 'alt', branches };
  }

  private sequence(): PcreNode {
    const items: PcreNode[] = [];
    for (;;) {
      this.skipExtended();
      const c = this.p[this.i];
      if (c === undefined || c === '|' || c === ')') break;
      const before = items.length;
      this.atom(items);
      this.skipExtended();
      const q = this.quantifier();
      if (!q) continue;
      if (items.length === before) fail(`quantifier at offset ${this.i} follows nothing to repeat`);
      const body = items[items.length - 1]!;
      if (body.t === 'assert' || body.t === 'look') fail('a quantified assertion is not supported');
      items[items.length - 1] = { t: 'repeat', ...q, body };
      this.skipExtended();
      if ('*+?{'.includes(this.p[this.i] ?? '') && this.quantifierAhead())
        fail(`nested quantifier at offset ${this.i}`);
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private quantifierAhead(): boolean {
    const c = this.p[this.i];
    return c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(this.p.slice(this.i)));
  }

  private quantifier(): { min: number; max: number; lazy: boolean; possessive: boolean } | null {
    const c = this.p[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i, this.i + 16));
      if (!m) return null; // a literal brace, as in PCRE
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) fail('number too big in {} quantifier');
      if (max < min) fail(`numbers out of order in {${min},${max}}`);
      this.i += m[0].length - 1;
    } else return null;
    this.i++;
    let lazy = false;
    let possessive = false;
    if (this.p[this.i] === '?') {
      lazy = true;
      this.i++;
    } else if (this.p[this.i] === '+') {
      possessive = true;
      this.i++;
    }
    return { min, max, lazy: possessive ? false : lazy !== this.f.ungreedy, possessive };
  }

  /** Skips /x whitespace and # comments, and (?#...) comments. */
  private skipExtended(): void {
    for (;;) {
      const c = this.p[this.i];
      if (this.f.extended && c !== undefined && ' \t\n\v\f\r'.includes(c)) this.i++;
      else if (this.f.extended && c === '#') {
        while (this.i < this.p.length && this.p[this.i] !== '\n') this.i++;
      } else if (c === '(' && this.p.startsWith('(?#', this.i)) {
        const close = this.p.indexOf(')', this.i);
        if (close < 0) fail('unclosed (?# comment');
        this.i = close + 1;
      } else return;
    }
  }

  private char(code: number): PcreNode {
    if (code > 0xff) fail(`character U+${code.toString(16)} is outside Latin-1`);
    const set = setOf(code);
    if (this.f.caseless) caseClose(set);
    return { t: 'set', set };
  }

  private atom(items: PcreNode[]): undefined {
    const c = this.p[this.i]!;
    if (c === '(') return this.group(items);
    this.i++;
    if (c === '[') {
      const r = parseClass(this.p, this.i, this.f.caseless);
      if ('error' in r) fail(r.error);
      else {
        this.i = r.end;
        items.push({ t: 'set', set: r.set });
      }
      return;
    }
    if (c === '.') return void items.push({ t: 'set', set: this.f.dotall ? fullSet() : NOT_NEWLINE });
    if (c === '^') return void items.push({ t: 'assert', kind: this.f.multiline ? 'line-start' : 'start' });
    if (c === '$') {
      const kind = this.f.multiline ? 'line-end' : this.f.dollarEndOnly ? 'end' : 'end-nl';
      return void items.push({ t: 'assert', kind });
    }
    if (c === '*' || c === '+' || c === '?')
      fail(`quantifier at offset ${this.i - 1} follows nothing to repeat`);
    if (c === '\\') return this.escape(items);
    items.push(this.char(c.charCodeAt(0)));
  }

  private escape(items: PcreNode[]): undefined {
    const n = this.p[this.i];
    if (n === undefined) fail('pattern ends with a lone backslash');
    const at = this.i - 1;
    this.i++;
    switch (n) {
      case 'A':
        return void items.push({ t: 'assert', kind: 'start' });
      case 'z':
        return void items.push({ t: 'assert', kind: 'end' });
      case 'Z':
        return void items.push({ t: 'assert', kind: 'end-nl' });
      case 'b':
        return void items.push({ t: 'assert', kind: 'word' });
      case 'B':
        return void items.push({ t: 'assert', kind: 'not-word' });
      case 'G':
        return fail('\\G (match start point) has no JavaScript equivalent');
      case 'K':
        if (at === 0) return; // \K at the very start resets nothing
        return fail('\\K (reset match start) is only supported at the start of the pattern');
      case 'Q': {
        const end = this.p.indexOf('\\E', this.i);
        const stop = end < 0 ? this.p.length : end;
        for (let k = this.i; k < stop; k++) items.push(this.char(this.p.charCodeAt(k)));
        this.i = end < 0 ? stop : end + 2;
        return;
      }
      case 'E':
        return; // \E without \Q is ignored
      case 'R':
        return void items.push(lineBreak());
      case 'g':
      case 'k':
        return void items.push(this.reference(n));
      case 'X':
      case 'C':
      case 'p':
      case 'P':
        return fail(`\\${n} is not supported (Unicode properties and code units)`);
    }
    if (n >= '1' && n <= '9') {
      const digits = /^\d+/.exec(this.p.slice(this.i - 1))![0];
      const num = Number(digits);
      if (num < 10 || num <= this.groups) {
        this.i += digits.length - 1;
        const node = { t: 'backref' as const, group: num, caseless: this.f.caseless };
        this.numberedRefs.push(node);
        return void items.push(node);
      }
    }
    const r = parseClassEscape(this.p, at, false);
    if ('error' in r) fail(r.error);
    else {
      this.i = r.end;
      if ('code' in r) items.push(this.char(r.code));
      else {
        const set = r.set.slice();
        if (this.f.caseless) caseClose(set);
        items.push({ t: 'set', set });
      }
    }
  }

  /** \g1 \g{1} \g{-1} \g{name} \k<name> \k'name' \k{name} */
  private reference(kind: 'g' | 'k'): PcreNode {
    const rest = this.p.slice(this.i, this.i + 40);
    const m =
      kind === 'g'
        ? /^(?:\{(-?\d+|[A-Za-z_]\w*)\}|(-?\d+))/.exec(rest)
        : /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(rest);
    if (!m) return fail(`malformed \\${kind} reference`);
    this.i += m[0].length;
    const ref = (m[1] ?? m[2] ?? m[3])!;
    const node = { t: 'backref' as const, group: 0, caseless: this.f.caseless };
    if (/^-?\d+$/.test(ref)) {
      const num = Number(ref);
      node.group = num < 0 ? this.groups + 1 + num : num;
      if (num === 0) fail('\\g0 (recursion) is not supported');
      this.numberedRefs.push(node);
    } else this.namedRefs.push({ node, name: ref });
    return node;
  }

  private group(items: PcreNode[]): undefined {
    if (++this.depth > MAX_DEPTH) fail(`parentheses nested deeper than ${MAX_DEPTH}`);
    const saved = { ...this.f };
    this.i++;
    const node = this.groupBody();
    this.depth--;
    // A bare (?i) lasts to the end of the enclosing group, across its later branches.
    if (node === 'flags') return;
    this.f = saved;
    items.push(node);
  }

  /** After "(": returns the node, or 'flags' for a bare (?imsx) setting. */
  private groupBody(): PcreNode | 'flags' {
    const p = this.p;
    if (p[this.i] === '*') fail('(*VERB) backtracking controls are not supported');
    if (p[this.i] !== '?') return this.capture(undefined);
    this.i++;
    const c = p[this.i];
    const c2 = p[this.i + 1];
    if (c === ':') return this.closeWith({ t: 'group', capture: 0, body: this.inner(1) });
    if (c === '>') return this.closeWith({ t: 'atomic', body: this.inner(1) });
    if (c === '=' || c === '!')
      return this.closeWith({ t: 'look', behind: false, negate: c === '!', body: this.inner(1) });
    if (c === '<' && (c2 === '=' || c2 === '!')) {
      const body = this.inner(2);
      for (const b of body.t === 'alt' ? body.branches : [body])
        if (fixedLength(b) === null) fail('lookbehind assertion is not fixed length');
      return this.closeWith({ t: 'look', behind: true, negate: c2 === '!', body });
    }
    const named = /^(?:P?<([A-Za-z_]\w{0,31})>|'([A-Za-z_]\w{0,31})')/.exec(p.slice(this.i, this.i + 40));
    if (named) {
      this.i += named[0].length;
      return this.capture(named[1] ?? named[2]);
    }
    if (c === 'P' && c2 === '=') {
      const m = /^P=([A-Za-z_]\w*)\)/.exec(p.slice(this.i, this.i + 40));
      if (!m) fail('malformed (?P=name)');
      this.i += m![0].length;
      const node = { t: 'backref' as const, group: 0, caseless: this.f.caseless };
      this.namedRefs.push({ node, name: m![1]! });
      return node;
    }
    if (c === '|') fail('branch reset groups (?|...) are not supported');
    if (c === '(') fail('conditional groups (?(...)...) are not supported');
    if (c === 'R' || c === '&' || (c === 'P' && c2 === '>') || /[-+]?\d/.test(c ?? ''))
      fail('recursion and subroutine calls are not supported');
    if (c === 'C') fail('callouts (?C) are not supported');
    return this.flagGroup();
  }

  private flagGroup(): PcreNode | 'flags' {
    const m = /^([a-zA-Z^]*)(?:-([a-zA-Z]*))?([:)])/.exec(this.p.slice(this.i, this.i + 24));
    if (!m) return fail(`unrecognised group syntax (?${this.p.slice(this.i, this.i + 8)}`);
    const on = m[1]!;
    const off = m[2] ?? '';
    if (on.includes('^')) {
      if (on.indexOf('^') !== 0 || off) fail('malformed (?^) option setting');
      Object.assign(this.f, {
        caseless: false,
        dotall: false,
        multiline: false,
        extended: false,
        ungreedy: false,
      });
    }
    for (const [letters, value] of [
      [on.replace('^', ''), true],
      [off, false],
    ] as const) {
      for (const ch of letters) {
        if (ch === 'i') this.f.caseless = value;
        else if (ch === 's') this.f.dotall = value;
        else if (ch === 'm') this.f.multiline = value;
        else if (ch === 'x') this.f.extended = value;
        else if (ch === 'U') this.f.ungreedy = value;
        else fail(`inline option "${ch}" is not supported`);
      }
    }
    this.i += m[0].length;
    if (m[3] === ')') return 'flags';
    return this.closeWith({ t: 'group', capture: 0, body: this.alternationInGroup() });
  }

  private capture(name: string | undefined): PcreNode {
    const capture = ++this.groups;
    if (name !== undefined) {
      if (this.names.has(name)) fail(`duplicate group name "${name}"`);
      this.names.set(name, capture);
    }
    const body = this.alternationInGroup();
    return this.closeWith({ t: 'group', capture, ...(name !== undefined ? { name } : {}), body });
  }

  private inner(skip: number): PcreNode {
    this.i += skip;
    return this.alternationInGroup();
  }

  private alternationInGroup(): PcreNode {
    return this.alternation();
  }

  private closeWith(node: PcreNode): PcreNode {
    if (this.p[this.i] !== ')') fail('missing )');
    this.i++;
    return node;
  }
}

/** \R in PCRE is an atomic group: \r\n, or one of \n \v \f \r U+0085. */
function lineBreak(): PcreNode {
  const crlf: PcreNode = {
    t: 'seq',
    items: [
      { t: 'set', set: setOf(0x0d) },
      { t: 'set', set: setOf(0x0a) },
    ],
  };
  const one = setOf(0x0a, 0x0b, 0x0c, 0x0d);
  add(one, 0x85);
  return { t: 'atomic', body: { t: 'alt', branches: [crlf, { t: 'set', set: one }] } };
}
