/**
 * Streams EVE alert records to a file, one JSON object per line. Records
 * gather in a bounded buffer that is written synchronously when full, so a
 * fast producer waits for the disk instead of growing a queue without end.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Alert } from '../engine/alert.js';
import { type EveOptions, toEveAlert } from './eve-alert.js';

export interface EveWriterOptions extends EveOptions {
  /** Append to an existing file (Suricata's default for eve.json) instead of replacing it. */
  append?: boolean;
  /** Bytes gathered before a write; default 1 MiB. */
  bufferBytes?: number;
}

export interface EveWriter {
  /** Adds one alert; may block briefly while a full buffer is written. */
  write(alert: Alert): void;
  /** Writes what is buffered; the file stays open. */
  flush(): void;
  /** Flushes and closes; writing afterwards is a programming error. */
  close(): void;
  /** Alerts written so far. */
  readonly count: number;
  /** Bytes handed to the file so far (after flushes). */
  readonly bytes: number;
}

/**
 * @example
 * const w = createEveWriter('out/eve.json', { sensorName: 'edge-1' });
 * for (const a of alerts) w.write(a);
 * w.close();
 */
export function createEveWriter(path: string, opts: EveWriterOptions = {}): EveWriter {
  const limit = Math.max(4096, opts.bufferBytes ?? 1 << 20);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, opts.append ? 'a' : 'w');
  let parts: string[] = [];
  let pending = 0;
  let count = 0;
  let bytes = 0;
  let closed = false;
  const flush = () => {
    if (parts.length === 0) return;
    const buf = Buffer.from(parts.join(''), 'utf8');
    parts = [];
    pending = 0;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    bytes += buf.length;
  };
  return {
    write(alert) {
      if (closed) throw new Error(`EVE writer for ${path} is closed`);
      const line = `${JSON.stringify(toEveAlert(alert, opts))}\n`;
      parts.push(line);
      // UTF-16 length approximates the byte size closely enough for a flush trigger.
      pending += line.length;
      count++;
      if (pending >= limit) flush();
    },
    flush() {
      if (!closed) flush();
    },
    close() {
      if (closed) return;
      flush();
      closeSync(fd);
      closed = true;
    },
    get count() {
      return count;
    },
    get bytes() {
      return bytes;
    },
  };
}
