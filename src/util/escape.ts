/**
 * Makes attacker-controlled text inert on a terminal: C0/C1 controls (ANSI
 * escapes included), DEL, and Unicode bidi/format characters become visible
 * `\xNN` / `\u{NNNN}` escapes, and backslashes are doubled so an escape cannot
 * be forged.
 *
 * @example terminalSafe('\x1b[31mred') === '\\x1b[31mred'
 */
export function terminalSafe(text: string): string {
  return text.replace(
    /[\\\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g,
    (c) => {
      if (c === '\\') return '\\\\';
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    },
  );
}
