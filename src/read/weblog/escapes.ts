/**
 * Web servers escape quotes and odd bytes in logged strings (nginx `\x22`,
 * Apache `\"` and `\xNN`). Decoding gives back the data the client sent, as
 * text; it is stored, never evaluated.
 */

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/**
 * Decodes `\xNN`, `\"`, `\\` and `\n`/`\t`/`\r` escapes; bytes are read as UTF-8 with replacement.
 *
 * @example decodeLogEscapes('a\\x22b\\"c') // 'a"b"c'
 */
export function decodeLogEscapes(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  if (s.indexOf('\\x') < 0) return s.replace(/\\(["\\nrt])/g, simpleEscape);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === 'x' && i + 3 < s.length + 0 && isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3))) {
        bytes.push(Number.parseInt(s.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
      if (n === '"' || n === '\\') {
        bytes.push(n.charCodeAt(0));
        i++;
        continue;
      }
    }
    if (c < 0x80) bytes.push(c);
    else {
      // Non-ASCII text in the log line: keep it as its UTF-8 bytes.
      const end = c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1;
      for (const b of encoder.encode(s.slice(i, end))) bytes.push(b);
      i = end - 1;
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}

function simpleEscape(_m: string, ch: string): string {
  if (ch === 'n') return '\n';
  if (ch === 'r') return '\r';
  if (ch === 't') return '\t';
  return ch;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
