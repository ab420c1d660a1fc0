import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A cheap content fingerprint of a file: size plus SHA-256 of its first and
 * last 64 KiB. Enough to tell "the same capture again" from another one
 * without reading gigabytes twice.
 */
export function fingerprintFile(path: string, size: number): string {
  const h = createHash('sha256');
  h.update(String(size));
  const chunk = Buffer.alloc(Math.min(65536, size));
  const fd = openSync(path, 'r');
  try {
    let n = readSync(fd, chunk, 0, chunk.length, 0);
    h.update(chunk.subarray(0, n));
    if (size > chunk.length) {
      n = readSync(fd, chunk, 0, chunk.length, size - chunk.length);
      h.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex').slice(0, 32);
}
