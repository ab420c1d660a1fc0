/**
 * Reads a text file line by line in fixed chunks, so a huge dataset file
 * costs one chunk of memory, not its size. Lines are Latin-1 (one char per
 * byte); over-long lines are reported, not kept.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

/**
 * Calls `onLine(text, lineNumber)` for each line (without '\n' or '\r'), and
 * `onLong(lineNumber)` for lines over `maxLine` bytes. Throws only what
 * opening or reading the file throws (the caller turns that into a problem).
 * @example readLines('/tmp/set.csv', 65536, (l, n) => console.log(n, l), () => {})
 */
export function readLines(
  path: string,
  maxLine: number,
  onLine: (text: string, line: number) => void,
  onLong: (line: number) => void,
): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry = '';
    let skipping = false;
    let line = 1;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const text = buf.toString('latin1', 0, n);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (skipping) skipping = false;
        else {
          const part = carry + text.slice(start, nl);
          if (part.length > maxLine) onLong(line);
          else onLine(part.endsWith('\r') ? part.slice(0, -1) : part, line);
        }
        carry = '';
        line++;
        start = nl + 1;
      }
      if (!skipping) {
        carry += text.slice(start);
        if (carry.length > maxLine) {
          onLong(line);
          carry = '';
          skipping = true;
        }
      }
    }
    if (!skipping && carry !== '') onLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry, line);
  } finally {
    closeSync(fd);
  }
}
