import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Appends JSON lines to a file through a 1 MiB buffer, so millions of records cost few syscalls. */
export interface JsonlWriter {
  write(record: unknown): void;
  close(): void;
  readonly count: number;
}

/** `map` turns each record into what is written (e.g. an Event into OCSF JSON). */
export function createJsonlWriter(path: string, map?: (record: never) => unknown): JsonlWriter {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let buf = '';
  let count = 0;
  const flush = () => {
    if (buf.length) writeSync(fd, buf);
    buf = '';
  };
  return {
    write(record) {
      buf += `${JSON.stringify(map ? map(record as never) : record)}\n`;
      count++;
      if (buf.length > 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
    get count() {
      return count;
    },
  };
}
