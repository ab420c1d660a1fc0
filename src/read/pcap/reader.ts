/**
 * Streaming pcap reader: both byte orders, micro- and nanosecond magic, the
 * modified (Kuznetzov) variant. Bad record headers are problems, after which
 * it resynchronises on the next plausible record instead of giving up.
 */

import type { Frame } from '../../schema/packet.js';
import type { ProblemLog } from '../../schema/problem.js';
import type { ByteSource } from '../byte-source.js';
import { type CaptureReader, createFrame, MAX_CAPLEN, MAX_ORIGLEN } from '../capture.js';
import { skipProblem } from '../skip-problem.js';
import { PCAP_HEADER_LEN, type PcapHeader, parsePcapHeader } from './header.js';

/** A resync candidate more than this far in time from the previous frame is implausible. */
const RESYNC_MAX_TIME_GAP = 7 * 86400;

export class PcapReader implements CaptureReader {
  readonly format = 'pcap' as const;
  readonly nanosecond: boolean;
  readonly names = new Map<string, string>();
  readonly header: PcapHeader;
  private readonly frame: Frame = createFrame();
  private readonly le: boolean;
  private readonly hl: number;
  private readonly fracLimit: number;
  private readonly fracToNs: number;
  /** Caplen above this is a problem (snap length, or the global cap when it is 0). */
  private readonly snapLimit: number;
  private index = 0;
  private lastSec = -1;
  private done = false;

  private constructor(
    readonly file: string,
    private readonly src: ByteSource,
    private readonly problems: ProblemLog,
    header: PcapHeader,
  ) {
    this.header = header;
    this.le = header.littleEndian;
    this.hl = header.recordHeaderLen;
    this.nanosecond = header.nanosecond;
    this.fracLimit = header.nanosecond ? 1e9 : 1e6;
    this.fracToNs = header.nanosecond ? 1 : 1000;
    this.snapLimit = header.snapLen > 0 ? Math.min(header.snapLen, MAX_CAPLEN) : MAX_CAPLEN;
    this.frame.linkType = header.linkType;
  }

  /**
   * Reads the global header; on a short or wrong header adds a problem and returns undefined.
   * @example const r = PcapReader.open('a.pcap', src, log); for (let f = r?.next(); f; f = r!.next()) {}
   */
  static open(file: string, src: ByteSource, problems: ProblemLog): PcapReader | undefined {
    if (!src.ensure(PCAP_HEADER_LEN)) {
      problems.add({
        stage: 'read',
        code: 'pcap.truncated-file-header',
        message: `the pcap file header needs ${PCAP_HEADER_LEN} bytes but the file has ${src.available}`,
        file,
        offset: 0,
      });
      return undefined;
    }
    const header = parsePcapHeader(src.view, src.buf, src.pos);
    if (!header) {
      problems.add({
        stage: 'read',
        code: 'pcap.bad-magic',
        message: 'not a pcap magic number',
        file,
        offset: 0,
      });
      return undefined;
    }
    if (header.versionMajor !== 2) {
      problems.add({
        stage: 'read',
        code: 'pcap.unusual-version',
        message: `pcap version ${header.versionMajor}.${header.versionMinor}, expected 2.4; reading it as 2.4`,
        file,
        offset: 4,
      });
    }
    src.pos += PCAP_HEADER_LEN;
    return new PcapReader(file, src, problems, header);
  }

  get bytesRead(): number {
    return this.src.offset;
  }

  get size(): number {
    return this.src.size;
  }

  next(): Frame | undefined {
    const s = this.src;
    const hl = this.hl;
    while (!this.done) {
      if (s.end - s.pos < hl && !s.ensure(hl)) {
        this.atInputEnd();
        return undefined;
      }
      let p = s.pos;
      const v = s.view;
      const le = this.le;
      const capLen = v.getUint32(p + 8, le);
      if (capLen > MAX_CAPLEN) {
        this.recover(
          'pcap.bad-record-header',
          `record claims ${capLen} captured bytes (limit ${MAX_CAPLEN})`,
        );
        continue;
      }
      if (s.end - p < hl + capLen && !s.ensure(hl + capLen)) {
        this.recover('pcap.truncated-record', `record of ${capLen} bytes runs past the end of the file`);
        continue;
      }
      p = s.pos;
      const view = s.view;
      const f = this.frame;
      let sec = view.getUint32(p, le);
      let frac = view.getUint32(p + 4, le);
      const origLen = view.getUint32(p + 12, le);
      f.index = this.index;
      f.offset = s.base + p;
      if (frac >= this.fracLimit || capLen > this.snapLimit || origLen < capLen) {
        const fix = this.reportOddRecord(sec, frac, capLen, origLen);
        sec += fix;
        frac -= fix * this.fracLimit;
      }
      f.tsSec = sec;
      f.tsNsec = frac * this.fracToNs;
      f.capLen = capLen;
      f.origLen = Math.max(origLen, capLen);
      f.data = s.view8(p + hl, capLen);
      s.pos = p + hl + capLen;
      this.lastSec = sec;
      this.index++;
      return f;
    }
    return undefined;
  }

  close(): void {
    this.done = true;
    this.src.close();
  }

  /** Reports a record that is readable but odd; returns whole seconds to carry from an oversized fraction. */
  private reportOddRecord(sec: number, frac: number, capLen: number, origLen: number): number {
    const at = { stage: 'read' as const, file: this.file, offset: this.frame.offset, frame: this.index };
    let carry = 0;
    if (frac >= this.fracLimit) {
      carry = Math.floor(frac / this.fracLimit);
      this.problems.add({
        ...at,
        code: 'pcap.bad-timestamp',
        message: `sub-second field ${frac} is not below ${this.fracLimit}; carried into the seconds (${sec + carry})`,
      });
    }
    if (capLen > this.snapLimit) {
      this.problems.add({
        ...at,
        code: 'pcap.caplen-over-snaplen',
        message: `captured length ${capLen} exceeds the snap length ${this.header.snapLen}; kept the bytes`,
      });
    }
    if (origLen < capLen) {
      this.problems.add({
        ...at,
        code: 'pcap.origlen-below-caplen',
        message: `original length ${origLen} is below the captured length ${capLen}; using ${capLen}`,
      });
    }
    return carry;
  }

  /** The input ended: a partial record header is a problem, a clean end is not. */
  private atInputEnd(): void {
    const left = this.src.available;
    if (left > 0) {
      this.problems.add({
        stage: 'read',
        code: 'pcap.truncated-header',
        message: `file ends inside a record header (${left} of ${this.hl} bytes)`,
        file: this.file,
        offset: this.src.offset,
        frame: this.index,
      });
    }
    this.readErrorCheck();
    this.done = true;
  }

  private readErrorCheck(): void {
    if (this.src.error !== undefined) {
      this.problems.add({
        stage: 'read',
        code: 'capture.read-error',
        message: `reading stopped early: ${this.src.error}`,
        file: this.file,
        offset: this.src.offset,
      });
      this.src.error = undefined;
    }
  }

  /**
   * The record at the read position cannot be used: scan forward for the next
   * plausible record, report what was skipped, and continue there (or stop).
   */
  private recover(code: string, why: string): void {
    const s = this.src;
    const badAt = s.offset;
    const found = this.scanForRecord();
    this.problems.add(
      skipProblem({
        code,
        why,
        unit: 'record',
        truncatedCode: 'pcap.truncated-record',
        pastEndCode: 'pcap.length-past-end',
        file: this.file,
        frame: this.index,
        badAt,
        at: s.offset,
        found,
      }),
    );
    if (!found) {
      this.readErrorCheck();
      this.done = true;
    }
  }

  /** Advances byte by byte until a record header that chains to another plausible one (or to the exact end). */
  private scanForRecord(): boolean {
    const s = this.src;
    const hl = this.hl;
    s.skip(1);
    for (;;) {
      if (!s.ensure(hl)) {
        s.skip(s.available);
        return false;
      }
      const capLen = this.plausibleAt(0);
      if (capLen >= 0) {
        const span = hl + capLen;
        if (s.ensure(span + hl)) {
          if (this.plausibleAt(span) >= 0) return true;
        } else if (s.available === span) {
          return true; // the last record ends exactly at the end of the file
        }
      }
      s.pos++;
    }
  }

  /** Captured length of a plausible record header at pos+rel (window must hold it), else -1. */
  private plausibleAt(rel: number): number {
    const s = this.src;
    const p = s.pos + rel;
    const le = this.le;
    const sec = s.view.getUint32(p, le);
    const frac = s.view.getUint32(p + 4, le);
    const capLen = s.view.getUint32(p + 8, le);
    const origLen = s.view.getUint32(p + 12, le);
    if (capLen === 0 || capLen > this.snapLimit || origLen < capLen || origLen > MAX_ORIGLEN) return -1;
    if (frac >= this.fracLimit) return -1;
    if (this.lastSec >= 0 ? Math.abs(sec - this.lastSec) > RESYNC_MAX_TIME_GAP : sec === 0) return -1;
    return capLen;
  }
}
