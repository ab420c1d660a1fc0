/** Payload matches (content, pcre, byte_*, isdataat, bsize, base64_decode) in plain words. */
import type {
  ByteTestMatch,
  ContentMatch,
  Endian,
  NumberString,
  NumOrVar,
  PayloadMatch,
  PcreMatch,
} from './ast.js';
import {
  bufferWords,
  capitalize,
  numberTest,
  numOrVar,
  plural,
  showPattern,
  transformWords,
} from './explain-words.js';

export interface ExplainedMatch {
  /** 1-based position in the rule. */
  index: number;
  kind: string;
  buffer: string;
  /** The buffer in words, e.g. 'the User-Agent header'. */
  bufferWords: string;
  /** The content shown readably (`|3a|` as `:`), or the expression for pcre. */
  pattern?: string;
  negated: boolean;
  /** Each modifier in words: 'case-insensitive', 'in the first 40 bytes' ... */
  details: string[];
  /** The whole match as one sentence. */
  sentence: string;
  /** The sentence without its modifiers, for summaries. */
  short: string;
}

/** 'the HTTP headers contain', 'the User-Agent header contains'. */
const isPlural = (words: string) => /\b(headers|names)\b/.test(words);

const n = (v: NumOrVar | undefined) => (v === undefined ? undefined : numOrVar(v));

/** Where a content must sit: offset/depth and distance/within in words. */
export function positionWords(m: ContentMatch): string[] {
  const out: string[] = [];
  if (m.startswith) out.push('at the very start');
  if (m.endswith) out.push('at the very end');
  const offset = n(m.offset);
  const depth = n(m.depth);
  if (offset !== undefined && depth !== undefined)
    out.push(`at offset ${offset}, in the first ${depth} bytes from there`);
  else if (offset !== undefined) out.push(`starting at offset ${offset}`);
  else if (depth !== undefined) out.push(`in the first ${depth} bytes`);
  const distance = m.distance;
  const within = n(m.within);
  if (distance === undefined || distance === 0) {
    if (within !== undefined) out.push(`within ${within} bytes after the previous match`);
    else if (distance === 0) out.push('anywhere after the previous match');
  } else {
    const start =
      typeof distance === 'number' && distance < 0
        ? `starting ${-distance} bytes before the end of the previous match`
        : `at least ${numOrVar(distance)} bytes after the previous match`;
    out.push(within !== undefined ? `${start}, within the ${within} bytes from there` : start);
  }
  return out;
}

function contentMatch(m: ContentMatch): Omit<ExplainedMatch, 'index'> {
  const details: string[] = [];
  if (m.nocase) details.push('case-insensitive');
  details.push(...positionWords(m));
  if (m.rawbytes) details.push('on the raw packet bytes');
  if (m.transforms.length > 0) details.push(`after ${transformWords(m.transforms)}`);
  if (m.fastPattern) details.push(m.fastPattern.only ? 'fast pattern only' : 'used as the fast pattern');
  const pattern = showPattern(m.bytes);
  const words = bufferWords(m.buffer);
  const verb = m.negated ? 'must NOT contain' : isPlural(words) ? 'contain' : 'contains';
  return {
    kind: 'content',
    buffer: m.buffer,
    bufferWords: words,
    pattern,
    negated: m.negated,
    details,
    sentence: `${capitalize(words)} ${verb} "${pattern}"${details.length ? ` (${details.join(', ')})` : ''}`,
    short: `${capitalize(words)} ${verb} "${pattern}"`,
  };
}

/** PCRE flags that change meaning (buffer letters are already in the buffer name). */
const PCRE_FLAGS: Readonly<Record<string, string>> = {
  i: 'case-insensitive',
  s: 'dot also matches newlines',
  m: '^ and $ match at every line',
  x: 'whitespace in the expression is ignored',
  A: 'anchored at the start',
  E: '$ matches only at the very end',
  G: 'ungreedy',
  R: 'continuing from the end of the previous match',
  B: 'on the raw packet bytes',
  O: 'ignoring the match limit',
};

function pcreMatch(m: PcreMatch): Omit<ExplainedMatch, 'index'> {
  const details: string[] = [];
  for (const f of m.flags) {
    const w = PCRE_FLAGS[f];
    if (w && !(f === 'R' && !m.relative)) details.push(w);
  }
  if (m.relative && !m.flags.includes('R')) details.push(PCRE_FLAGS.R!);
  if (m.transforms.length > 0) details.push(`after ${transformWords(m.transforms)}`);
  const pattern = `/${m.source}/${m.flags}`;
  const words = bufferWords(m.buffer);
  const verb = m.negated ? 'must NOT match' : isPlural(words) ? 'match' : 'matches';
  return {
    kind: 'pcre',
    buffer: m.buffer,
    bufferWords: words,
    pattern,
    negated: m.negated,
    details,
    sentence: `${capitalize(words)} ${verb} the regular expression ${pattern}${details.length ? ` (${details.join(', ')})` : ''}`,
    short: `${capitalize(words)} ${verb} the regular expression ${pattern}`,
  };
}

function encoding(endian: Endian, str: NumberString | undefined): string {
  if (str) return { hex: 'as hexadecimal text', dec: 'as decimal text', oct: 'as octal text' }[str];
  return endian === 'little' ? 'little-endian' : endian === 'dce' ? 'in DCE/RPC byte order' : 'big-endian';
}

function at(offset: NumOrVar, relative: boolean, buffer: string): string {
  return relative
    ? `${numOrVar(offset)} bytes after the previous match in ${bufferWords(buffer)}`
    : `at offset ${numOrVar(offset)} of ${bufferWords(buffer)}`;
}

const BYTE_TEST_OPS: Readonly<Record<ByteTestMatch['operator'], string>> = {
  '<': 'less than',
  '>': 'greater than',
  '=': 'equal to',
  '!': 'not equal to',
  '&': 'sharing a set bit with',
  '^': 'differing in some bit from',
  '<=': 'at most',
  '>=': 'at least',
};

const mask = (b: number | undefined) => (b === undefined ? '' : `, masked with 0x${b.toString(16)}`);

function otherMatch(m: PayloadMatch): Omit<ExplainedMatch, 'index' | 'short'> {
  const base = { kind: m.kind, buffer: m.buffer, bufferWords: bufferWords(m.buffer), details: [] };
  switch (m.kind) {
    case 'byte_test': {
      const cmp = `${m.negated ? 'is NOT' : 'is'} ${BYTE_TEST_OPS[m.operator]} ${numOrVar(m.value)}`;
      return {
        ...base,
        negated: m.negated,
        sentence: `Reads ${plural(m.bytes, 'byte')} ${at(m.offset, m.relative, m.buffer)} (${encoding(m.endian, m.string)}${mask(m.bitmask)}) and checks the value ${cmp}`,
      };
    }
    case 'byte_jump': {
      const scaled = m.multiplier !== 1 ? ` times ${m.multiplier}` : '';
      const from = m.fromBeginning
        ? 'jumps to that position from the start of the buffer'
        : m.fromEnd
          ? 'jumps to that position from the end of the buffer'
          : 'skips forward that many bytes';
      const extra = [
        m.align ? 'rounded up to a multiple of 4' : '',
        m.postOffset ? `then ${m.postOffset > 0 ? 'forward' : 'back'} ${Math.abs(m.postOffset)} more` : '',
      ].filter(Boolean);
      return {
        ...base,
        negated: false,
        sentence: `Reads ${plural(m.bytes, 'byte')} ${at(m.offset, m.relative, m.buffer)} (${encoding(m.endian, m.string)}${mask(m.bitmask)}) and ${from}${scaled}${extra.length ? ` (${extra.join(', ')})` : ''}; later relative matches continue there`,
      };
    }
    case 'byte_extract':
      return {
        ...base,
        negated: false,
        sentence: `Reads ${plural(m.bytes, 'byte')} ${at(m.offset, m.relative, m.buffer)} (${encoding(m.endian, m.string)}) into the variable ${m.name}${m.multiplier !== 1 ? `, times ${m.multiplier}` : ''}${m.align ? `, rounded up to a multiple of ${m.align}` : ''}`,
      };
    case 'byte_math':
      return {
        ...base,
        negated: false,
        sentence: `Reads ${plural(m.bytes, 'byte')} ${at(m.offset, m.relative, m.buffer)} (${encoding(m.endian, m.string)}${mask(m.bitmask)}), computes value ${m.operator} ${numOrVar(m.rvalue)} and keeps it as ${m.result}`,
      };
    case 'isdataat': {
      const o = numOrVar(m.offset);
      const words = bufferWords(m.buffer);
      let sentence: string;
      if (m.relative && m.negated && m.offset === 1)
        sentence = `Nothing may follow the previous match in ${words}`;
      else if (m.relative)
        sentence = `${capitalize(words)} must ${m.negated ? 'NOT ' : ''}have data ${o} bytes after the previous match`;
      else sentence = `${capitalize(words)} must ${m.negated ? 'NOT ' : ''}have data at offset ${o}`;
      return { ...base, negated: m.negated, sentence };
    }
    case 'bsize':
      return {
        ...base,
        negated: false,
        sentence: `${capitalize(base.bufferWords)} is ${numberTest(m.test)} bytes long`,
      };
    case 'base64_decode': {
      const parts = [
        m.bytes !== undefined ? `up to ${m.bytes} bytes` : '',
        m.offset
          ? `starting ${m.offset} bytes ${m.relative ? 'after the previous match' : 'into the buffer'}`
          : '',
        m.relative && !m.offset ? 'right after the previous match' : '',
      ].filter(Boolean);
      return {
        ...base,
        negated: false,
        sentence: `Base64-decodes ${base.bufferWords}${parts.length ? ` (${parts.join(', ')})` : ''} for the base64_data matches that follow`,
      };
    }
    default: {
      const k = (m as { kind: string }).kind;
      return { ...base, kind: k, negated: false, sentence: `A ${k} test on ${base.bufferWords}` };
    }
  }
}

/**
 * Every payload match of a rule in order, in words.
 * @example explainMatches(rule.matches)[0].sentence
 * // 'The User-Agent header contains "Nessus" (case-insensitive, in the first 40 bytes)'
 */
export function explainMatches(matches: readonly PayloadMatch[]): ExplainedMatch[] {
  return matches.map((m, i) => {
    if (m.kind === 'content') return { index: i + 1, ...contentMatch(m) };
    if (m.kind === 'pcre') return { index: i + 1, ...pcreMatch(m) };
    const e = otherMatch(m);
    return { index: i + 1, ...e, short: e.sentence };
  });
}
