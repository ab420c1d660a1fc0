/**
 * Streaming pcapng reader: sections in either byte order, several interfaces
 * with their own link types and time resolutions, EPB/SPB/obsolete PB packets,
 * names from NRBs. Bad block lengths are problems after which the reader scans
 * forward for the next plausible block.
 */

import type { Frame } from '../../schema/packet.js';
import type { ProblemLog } from '../../schema/problem.js';
import type { ByteSource } from '../byte-source.js';
import { type CaptureReader, createFrame, MAX_BLOCK, MAX_CAPLEN } from '../capture.js';
import { skipProblem } from '../skip-problem.js';
import {
  type BlockIssue,
  BlockType,
  type InterfaceInfo,
  isKnownSkippedBlock,
  parseInterface,
  parseNameRecords,
} from './blocks.js';
import { byteOrderAt, scanForBlock } from './resync.js';
import { toSecNsec } from './timestamp.js';

/** Interfaces per section beyond this are ignored (bounded memory). */
const MAX_INTERFACES = 65536;

export class PcapngReader implements CaptureReader {
  readonly format = 'pcapng' as const;
  readonly nanosecond = false;
  readonly names = new Map<string, string>();
  private readonly frame: Frame = createFrame();
  private interfaces: InterfaceInfo[] = [];
  private le = true;
  private index = 0;
  private done = false;
  private readonly ts = { sec: 0, nsec: 0 };
  private readonly issues: BlockIssue[] = [];

  private constructor(
    readonly file: string,
    private readonly src: ByteSource,
    private readonly problems: ProblemLog,
  ) {}

  /**
   * Starts reading at the first Section Header Block; on a file that does not start with one, adds a problem.
   * @example const r = PcapngReader.open('a.pcapng', src, log); r?.next()?.interfaceId
   */
  static open(file: string, src: ByteSource, problems: ProblemLog): PcapngReader | undefined {
    if (!src.ensure(12) || src.view.getUint32(src.pos, false) !== BlockType.SHB || !byteOrderAt(src, 8)) {
      problems.add({
        stage: 'read',
        code: 'pcapng.bad-section-header',
        message: 'the file does not start with a pcapng Section Header Block',
        file,
        offset: 0,
      });
      return undefined;
    }
    return new PcapngReader(file, src, problems);
  }

  get bytesRead(): number {
    return this.src.offset;
  }

  get size(): number {
    return this.src.size;
  }

  /** Interfaces of the current section (link type, snap length, time resolution). */
  get interfaceInfo(): readonly InterfaceInfo[] {
    return this.interfaces;
  }

  next(): Frame | undefined {
    const s = this.src;
    while (!this.done) {
      if (s.end - s.pos < 12 && !s.ensure(12)) {
        this.atInputEnd();
        return undefined;
      }
      let p = s.pos;
      const type = s.view.getUint32(p, this.le);
      if (type === BlockType.SHB) {
        if (!this.enterSection()) continue;
        p = s.pos;
      }
      const len = s.view.getUint32(p + 4, this.le);
      if (len < 12 || (len & 3) !== 0 || len > MAX_BLOCK) {
        this.recover('pcapng.bad-block-length', `block of type ${hex(type)} claims a length of ${len}`);
        continue;
      }
      if (s.end - p < len && !s.ensure(len)) {
        this.recover('pcapng.truncated-block', `block of ${len} bytes runs past the end of the file`);
        continue;
      }
      p = s.pos;
      if (s.view.getUint32(p + len - 4, this.le) !== len) {
        const trailer = s.view.getUint32(p + len - 4, this.le);
        this.recover('pcapng.trailer-mismatch', `block length ${len} but trailing length ${trailer}`);
        continue;
      }
      const frame = this.block(type, p, len);
      s.pos = p + len;
      if (frame) return frame;
    }
    return undefined;
  }

  close(): void {
    this.done = true;
    this.src.close();
  }

  /** Handles one whole block at `p`; returns the frame when it is a packet. */
  private block(type: number, p: number, len: number): Frame | undefined {
    switch (type) {
      case BlockType.EPB:
        return len < 32 ? this.short(type, p, len) : this.packet(p, len, this.u32(p + 8));
      case BlockType.SPB:
        return len < 16 ? this.short(type, p, len) : this.simplePacket(p, len);
      case BlockType.PB:
        return len < 32
          ? this.short(type, p, len)
          : this.packet(p, len, this.src.view.getUint16(p + 8, this.le));
      case BlockType.IDB:
        if (len < 20) return this.short(type, p, len);
        this.addInterface(p, len);
        return undefined;
      case BlockType.NRB:
        parseNameRecords(this.src.buf, this.src.view, p, len, this.le, this.names, this.issues);
        this.flushIssues(p);
        return undefined;
      case BlockType.SHB:
        return undefined; // handled by enterSection; a valid header has nothing more to read
      default:
        if (!isKnownSkippedBlock(type)) {
          this.report(
            'pcapng.unknown-block',
            `skipped a block of unknown type ${hex(type)} (${len} bytes)`,
            p,
          );
        }
        return undefined;
    }
  }

  /** EPB and obsolete PB: both have timestamp, captured and original length at the same places. */
  private packet(p: number, len: number, iface: number): Frame | undefined {
    const info = this.interfaces[iface];
    if (info === undefined) {
      this.report(
        'pcapng.unknown-interface',
        `packet names interface ${iface} but the section has ${this.interfaces.length}`,
        p,
      );
      return undefined;
    }
    const capLen = this.u32(p + 20);
    const origLen = this.u32(p + 24);
    if (capLen > len - 32) {
      this.report(
        'pcapng.bad-caplen',
        `captured length ${capLen} does not fit its ${len}-byte block; skipped`,
        p,
      );
      return undefined;
    }
    toSecNsec(this.u32(p + 12), this.u32(p + 16), info.res, this.ts);
    return this.emit(p, iface, info, p + 28, capLen, origLen);
  }

  /** SPB: interface 0, no timestamp (the previous packet's time is kept), length from the original length. */
  private simplePacket(p: number, len: number): Frame | undefined {
    const info = this.interfaces[0];
    if (info === undefined) {
      this.report('pcapng.unknown-interface', 'simple packet block but the section has no interface', p);
      return undefined;
    }
    const origLen = this.u32(p + 8);
    let capLen = info.snapLen > 0 && origLen > info.snapLen ? info.snapLen : origLen;
    if (capLen > len - 16) {
      this.report(
        'pcapng.bad-caplen',
        `simple packet of ${capLen} bytes does not fit its ${len}-byte block; cut to fit`,
        p,
      );
      capLen = len - 16;
    }
    return this.emit(p, 0, info, p + 12, capLen, origLen);
  }

  private emit(
    p: number,
    iface: number,
    info: InterfaceInfo,
    dataAt: number,
    capLen: number,
    origLen: number,
  ): Frame | undefined {
    const f = this.frame;
    if (capLen > MAX_CAPLEN || (info.snapLen > 0 && capLen > info.snapLen) || origLen < capLen) {
      if (!this.checkLengths(p, info, capLen, origLen)) return undefined;
    }
    f.index = this.index++;
    f.offset = this.src.base + p;
    f.tsSec = this.ts.sec + info.tsOffset;
    f.tsNsec = this.ts.nsec;
    f.linkType = info.linkType;
    f.interfaceId = iface;
    f.capLen = capLen;
    f.origLen = Math.max(origLen, capLen);
    f.data = this.src.view8(dataAt, capLen);
    return f;
  }

  /** Reports odd lengths; false when the packet must be dropped. */
  private checkLengths(p: number, info: InterfaceInfo, capLen: number, origLen: number): boolean {
    if (capLen > MAX_CAPLEN) {
      this.report(
        'pcapng.oversized-packet',
        `captured length ${capLen} exceeds the ${MAX_CAPLEN}-byte limit; skipped`,
        p,
      );
      return false;
    }
    if (info.snapLen > 0 && capLen > info.snapLen) {
      this.report(
        'pcapng.caplen-over-snaplen',
        `captured length ${capLen} exceeds the snap length ${info.snapLen}; kept`,
        p,
      );
    }
    if (origLen < capLen) {
      this.report(
        'pcapng.origlen-below-caplen',
        `original length ${origLen} is below the captured length ${capLen}; using ${capLen}`,
        p,
      );
    }
    return true;
  }

  private addInterface(p: number, len: number): void {
    if (this.interfaces.length >= MAX_INTERFACES) {
      this.report(
        'pcapng.too-many-interfaces',
        `more than ${MAX_INTERFACES} interfaces in one section; ignored`,
        p,
      );
      return;
    }
    this.interfaces.push(parseInterface(this.src.view, p, len, this.le, this.issues));
    this.flushIssues(p);
  }

  /**
   * At a Section Header Block: take its byte order, reset the interfaces and
   * check its length. False when the header is unusable (already recovered from).
   */
  private enterSection(): boolean {
    const s = this.src;
    const le = byteOrderAt(s, 8);
    const p = s.pos;
    if (le === undefined) {
      this.recover('pcapng.bad-byte-order', 'section header with an unknown byte-order magic');
      return false;
    }
    this.le = le === 'le';
    this.interfaces = [];
    const len = s.view.getUint32(p + 4, this.le);
    if (len < 28 && len >= 12 && (len & 3) === 0) {
      this.recover('pcapng.bad-block-length', `section header claims a length of ${len} (minimum 28)`);
      return false;
    }
    if (len >= 28 && s.ensure(16)) {
      const major = s.view.getUint16(s.pos + 12, this.le);
      if (major !== 1) {
        const minor = s.view.getUint16(s.pos + 14, this.le);
        this.report(
          'pcapng.unsupported-version',
          `section version ${major}.${minor}, expected 1.x; reading on`,
          s.pos,
        );
      }
    }
    return true;
  }

  private short(type: number, p: number, len: number): undefined {
    this.report(
      'pcapng.bad-block-length',
      `block of type ${hex(type)} is too short (${len} bytes); skipped`,
      p,
    );
    return undefined;
  }

  private u32(p: number): number {
    return this.src.view.getUint32(p, this.le);
  }

  private report(code: string, message: string, p: number): void {
    this.problems.add({
      stage: 'read',
      code,
      message,
      file: this.file,
      offset: this.src.base + p,
      frame: this.index,
    });
  }

  private flushIssues(p: number): void {
    for (const i of this.issues) this.report(i.code, i.message, p);
    this.issues.length = 0;
  }

  private atInputEnd(): void {
    const s = this.src;
    if (s.available > 0) {
      this.report(
        'pcapng.truncated-block',
        `file ends inside a block header (${s.available} bytes left)`,
        s.pos,
      );
    }
    this.readErrorCheck();
    this.done = true;
  }

  private readErrorCheck(): void {
    if (this.src.error !== undefined) {
      this.report('capture.read-error', `reading stopped early: ${this.src.error}`, this.src.pos);
      this.src.error = undefined;
    }
  }

  /** The block at the read position is unusable: scan for the next plausible block and report the skip. */
  private recover(code: string, why: string): void {
    const s = this.src;
    const badAt = s.offset;
    const found = scanForBlock(s, this.le, this.interfaces.length);
    this.problems.add(
      skipProblem({
        code,
        why,
        unit: 'block',
        truncatedCode: 'pcapng.truncated-block',
        pastEndCode: 'pcapng.length-past-end',
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
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
