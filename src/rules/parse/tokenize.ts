/**
 * Splits a rule into its header and its `key:value;` options, honouring
 * quotes and backslash escapes (`\"`, `\;`, `\\`). Values are returned raw;
 * each keyword decides how to unescape its own value.
 */

export interface RawOption {
  name: string;
  /** Raw text after the colon, trimmed; undefined for bare keywords like `nocase;`. */
  value?: string;
}

export type SplitRule = { header: string; options: RawOption[] } | { error: string };

/** Most options a rule may carry; real rules have well under 100. */
export const MAX_OPTIONS = 2000;

/**
 * @example
 * splitRule('alert tcp any any -> any any (msg:"a\\;b"; nocase;)')
 * // { header: 'alert tcp any any -> any any', options: [{name:'msg', value:'"a\\;b"'}, {name:'nocase'}] }
 */
export function splitRule(text: string): SplitRule {
  const open = text.indexOf('(');
  if (open < 0) return { error: 'no option list: expected "(" after the header' };
  const header = text.slice(0, open).trim();
  const end = text.lastIndexOf(')');
  if (end < open) return { error: 'option list not closed: expected ")" at the end' };
  const trailing = text.slice(end + 1).trim();
  if (trailing !== '') return { error: `unexpected text after ")": "${clip(trailing)}"` };
  const body = text.slice(open + 1, end);
  const options = splitOptions(body);
  if ('error' in options) return options;
  return { header, options };
}

/** Splits the text between the parentheses into options. */
export function splitOptions(body: string): RawOption[] | { error: string } {
  const out: RawOption[] = [];
  const n = body.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(body.charCodeAt(i))) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && body[i] !== ':' && body[i] !== ';') i++;
    const name = body.slice(nameStart, i).trim();
    if (i >= n) return { error: `option "${clip(name)}" is not terminated by ";"` };
    if (name === '')
      return { error: `empty option name near "${clip(body.slice(nameStart, nameStart + 30))}"` };
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) return { error: `bad option name "${clip(name)}"` };
    if (body[i] === ';') {
      out.push({ name: name.toLowerCase() });
      i++;
    } else {
      i++; // past ':'
      const valueStart = i;
      let inQuote = false;
      let done = false;
      while (i < n) {
        const c = body[i];
        if (c === '\\') {
          i += 2;
          continue;
        }
        // As in Suricata, only an unescaped ';' ends a value, even inside quotes.
        if (c === '"') inQuote = !inQuote;
        else if (c === ';') {
          done = true;
          break;
        }
        i++;
      }
      if (!done) {
        return {
          error: inQuote
            ? `option "${clip(name)}": unbalanced quote in value`
            : `option "${clip(name)}" is not terminated by ";"`,
        };
      }
      out.push({ name: name.toLowerCase(), value: body.slice(valueStart, i).trim() });
      i++;
    }
    if (out.length > MAX_OPTIONS) return { error: `more than ${MAX_OPTIONS} options` };
  }
  return out;
}

/**
 * The inside of a double-quoted value, or the value itself when unquoted.
 * Returns an error when quotes are unbalanced.
 */
export function unquote(value: string): { text: string; quoted: boolean } | { error: string } {
  if (!value.startsWith('"')) {
    if (value.endsWith('"') && !value.endsWith('\\"')) return { error: `unbalanced quote in ${clip(value)}` };
    return { text: value, quoted: false };
  }
  if (value.length < 2 || !value.endsWith('"') || (value.endsWith('\\"') && !value.endsWith('\\\\"'))) {
    return { error: `unbalanced quote in ${clip(value)}` };
  }
  return { text: value.slice(1, -1), quoted: true };
}

/** Removes the rule-level escapes `\"`, `\;`, `\\` and `\:` from text. */
export function unescapeRuleText(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(["\\;:])/g, '$1');
}

/** Shortens text for an error message. */
export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
