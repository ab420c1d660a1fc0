/**
 * A minimal tar reader over an in-memory (gunzipped) archive: yields regular
 * file entries by name. Enough for ET release archives; nothing is written
 * to disk.
 */

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

/**
 * @example for (const e of readTar(gunzipSync(buf))) if (e.name.endsWith('.rules')) ...
 */
export function* readTar(buf: Uint8Array): Generator<TarEntry> {
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) return;
    const name = cstr(h, 0, 100);
    const size = Number.parseInt(cstr(h, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`tar: bad size field at byte ${off}`);
    const type = String.fromCharCode(h[156]!);
    const prefix = cstr(h, 345, 155);
    const start = off + 512;
    const end = start + size;
    if (end > buf.length)
      throw new Error(`tar: entry "${name}" at byte ${off} runs past the end of the archive`);
    const data = buf.subarray(start, end);
    if (type === 'L') longName = cstr(data, 0, data.length);
    else {
      if (type === '0' || type === '\0') {
        yield { name: longName ?? (prefix ? `${prefix}/${name}` : name), data };
      }
      longName = undefined;
    }
    off = start + Math.ceil(size / 512) * 512;
  }
}

function cstr(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(off, end)).toString('latin1');
}
