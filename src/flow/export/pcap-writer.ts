/**
 * Minimal streaming writer of classic pcap files (the libpcap format):
 * a 24-byte file header, then a 16-byte record header before each frame.
 * Little-endian; the magic says whether the sub-second field is in
 * microseconds (0xa1b2c3d4) or nanoseconds (0xa1b23c4d).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface PcapWriterOptions {
  /** LINKTYPE_* of every frame in the file. */
  linkType: number;
  /** Write nanosecond timestamps (and the nanosecond magic). */
  nanosecond?: boolean;
  /** Snapshot length announced in the header (default 262144). */
  snaplen?: number;
}

export interface PcapWriter {
  /** Appends one frame; `tsNsec` is nanoseconds within the second, rounded down when writing microseconds. */
  write(tsSec: number, tsNsec: number, origLen: number, data: Uint8Array): void;
  /** Frames written so far. */
  readonly count: number;
  /** Flushes and closes the file. */
  close(): void;
}

const BUFFER = 256 * 1024;

/**
 * Creates (or truncates) `path` and writes the pcap file header.
 *
 * @example
 * const w = createPcapWriter('out.pcap', { linkType: 1 });
 * w.write(frame.tsSec, frame.tsNsec, frame.origLen, frame.data);
 * w.close();
 */
export function createPcapWriter(path: string, opts: PcapWriterOptions): PcapWriter {
  const ns = opts.nanosecond === true;
  const fd = openSync(path, 'w');
  const buf = new Uint8Array(BUFFER);
  const view = new DataView(buf.buffer);
  let used = 0;
  let count = 0;
  let closed = false;

  function flush(): void {
    let off = 0;
    while (off < used) off += writeSync(fd, buf, off, used - off);
    used = 0;
  }

  function put(bytes: Uint8Array): void {
    if (used + bytes.length > buf.length) flush();
    if (bytes.length > buf.length) {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      return;
    }
    buf.set(bytes, used);
    used += bytes.length;
  }

  view.setUint32(0, ns ? 0xa1b23c4d : 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setInt32(8, 0, true); // thiszone
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, opts.snaplen ?? 262144, true);
  view.setUint32(20, opts.linkType >>> 0, true);
  used = 24;

  return {
    write(tsSec, tsNsec, origLen, data) {
      if (closed) throw new Error(`pcap writer for ${path} is closed`);
      if (used + 16 > buf.length) flush();
      view.setUint32(used, tsSec >>> 0, true);
      view.setUint32(used + 4, ns ? tsNsec : Math.floor(tsNsec / 1000), true);
      view.setUint32(used + 8, data.length, true);
      view.setUint32(used + 12, Math.max(origLen, data.length) >>> 0, true);
      used += 16;
      put(data);
      count++;
    },
    get count() {
      return count;
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } finally {
        closeSync(fd);
      }
    },
  };
}
