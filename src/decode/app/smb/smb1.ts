/**
 * SMB1 (MS-CIFS, MS-SMB) messages: the commands that carry files and their
 * names. A message is a 32-byte header and a chain of AndX blocks; each block
 * is WordCount, 2×WordCount parameter bytes, ByteCount and the bytes. Data
 * offsets count from the start of the header, so a WRITE_ANDX may put its
 * data anywhere in the message (after padding, or after later blocks of the
 * chain), and the chain is walked by AndXOffset, never by position.
 */
import { asciiEnd, copyName, u16, u32, utf16End, utf16ToUtf8 } from './bytes.js';
import type { SmbState } from './state.js';

const HEADER = 32;
const FLAGS2_UNICODE = 0x8000;

const CLOSE = 0x04;
const READ = 0x0a;
const WRITE = 0x0b;
const LOCKING_ANDX = 0x24;
const OPEN_ANDX = 0x2d;
const READ_ANDX = 0x2e;
const WRITE_ANDX = 0x2f;
const SESSION_SETUP_ANDX = 0x73;
const LOGOFF_ANDX = 0x74;
const TREE_CONNECT_ANDX = 0x75;
const NT_CREATE_ANDX = 0xa2;
const NO_ANDX = 0xff;
/** Longest AndX chain followed; real clients use two or three. */
const MAX_CHAIN = 16;

/** SMB1 request keys live above 2^40 so they never meet SMB2 MessageIds. */
const KEY_BASE = 2 ** 40;

function isAndX(cmd: number): boolean {
  return (
    cmd === LOCKING_ANDX ||
    cmd === OPEN_ANDX ||
    cmd === READ_ANDX ||
    cmd === WRITE_ANDX ||
    cmd === SESSION_SETUP_ANDX ||
    cmd === LOGOFF_ANDX ||
    cmd === TREE_CONNECT_ANDX ||
    cmd === NT_CREATE_ANDX
  );
}

/** Where one block of the chain lies inside the message. */
interface Block {
  cmd: number;
  /** First parameter byte (after WordCount). */
  words: number;
  wordCount: number;
  /** First data byte (after ByteCount), and one past the last that exists. */
  bytes: number;
  bytesEnd: number;
}

const block: Block = { cmd: 0, words: 0, wordCount: 0, bytes: 0, bytesEnd: 0 };

/**
 * Parses one SMB1 message (starting at its 0xFF 'SMB' id) of either direction
 * into `state`.
 *
 * @example
 * parseSmb1(message, true, state); // a request from the client
 */
export function parseSmb1(msg: Uint8Array, toServer: boolean, state: SmbState): void {
  if (msg.length < HEADER + 1) {
    state.problem('smb.truncated-header', 'SMB1 message shorter than its header');
    return;
  }
  state.stats.smb1Messages++;
  const isReply = (msg[9]! & 0x80) !== 0;
  if (isReply === toServer) {
    state.problem(
      'smb.wrong-direction',
      `SMB1 ${isReply ? 'reply' : 'request'} sent ${toServer ? 'to' : 'by'} the server`,
    );
    return;
  }
  const unicode = (u16(msg, 10) & FLAGS2_UNICODE) !== 0;
  const ok = u32(msg, 5) === 0;
  const tid = u16(msg, 24);
  const req = KEY_BASE + u16(msg, 12) * 2 ** 32 + u16(msg, 26) * 65536 + u16(msg, 30);
  let cmd = msg[4]!;
  let at = HEADER;
  for (let n = 0; n < MAX_CHAIN; n++) {
    if (!readBlock(msg, cmd, at)) {
      state.problem(
        'smb.truncated-command',
        `SMB1 command 0x${cmd.toString(16)} runs past the end of its message`,
      );
      return;
    }
    if (toServer) request(msg, block, unicode, tid, req, state);
    else response(msg, block, ok, tid, req, state);
    if (!isAndX(cmd) || block.wordCount < 2) return;
    const next = msg[block.words]!;
    if (next === NO_ANDX) return;
    const nextAt = u16(msg, block.words + 2);
    if (nextAt <= at || nextAt >= msg.length) {
      // Backwards or outside: following it could loop or read nothing real.
      state.problem(
        'smb.bad-andx-offset',
        `SMB1 AndX offset ${nextAt} does not point forward inside the message`,
      );
      return;
    }
    cmd = next;
    at = nextAt;
  }
  state.problem('smb.andx-chain-too-long', `SMB1 AndX chain longer than ${MAX_CHAIN} commands`);
}

function readBlock(msg: Uint8Array, cmd: number, at: number): boolean {
  if (at >= msg.length) return false;
  const wc = msg[at]!;
  const words = at + 1;
  const bc = words + wc * 2;
  if (bc > msg.length) return false;
  block.cmd = cmd;
  block.words = words;
  block.wordCount = wc;
  if (bc + 2 <= msg.length) {
    block.bytes = bc + 2;
    block.bytesEnd = Math.min(block.bytes + u16(msg, bc), msg.length);
  } else {
    // No ByteCount: some responses (errors) stop after the words.
    block.bytes = msg.length;
    block.bytesEnd = msg.length;
  }
  return true;
}

function request(
  msg: Uint8Array,
  b: Block,
  unicode: boolean,
  tid: number,
  req: number,
  state: SmbState,
): void {
  const w = b.words;
  switch (b.cmd) {
    case WRITE_ANDX: {
      if (b.wordCount !== 12 && b.wordCount !== 14) return;
      const fid = u16(msg, w + 4);
      let offset = u32(msg, w + 6);
      if (b.wordCount === 14) offset += u32(msg, w + 24) * 2 ** 32;
      const low = u16(msg, w + 20);
      const high = u16(msg, w + 18);
      const dataAt = u16(msg, w + 22);
      // DataLengthHigh only counts with large writes; a stray value must not claim bytes that are not there.
      let len = low + high * 65536;
      if (high !== 0 && dataAt + len > msg.length && dataAt + low <= msg.length) len = low;
      state.write(fid, tid, offset, dataSlice(msg, dataAt, len, state));
      return;
    }
    case WRITE: {
      if (b.wordCount !== 5 || b.bytesEnd - b.bytes < 3 || msg[b.bytes] !== 0x01) return;
      const fid = u16(msg, w);
      const offset = u32(msg, w + 4);
      state.write(fid, tid, offset, dataSlice(msg, b.bytes + 3, u16(msg, b.bytes + 1), state));
      return;
    }
    case READ_ANDX: {
      if (b.wordCount !== 10 && b.wordCount !== 12) return;
      let offset = u32(msg, w + 6);
      if (b.wordCount === 12) offset += u32(msg, w + 20) * 2 ** 32;
      state.readRequest(req, u16(msg, w + 4), tid, offset);
      return;
    }
    case READ:
      if (b.wordCount === 5) state.readRequest(req, u16(msg, w), tid, u32(msg, w + 4));
      return;
    case NT_CREATE_ANDX: {
      if (b.wordCount !== 24) return;
      const nameLen = u16(msg, w + 5);
      state.createRequest(req, smbString(msg, b.bytes, nameLen, unicode), tid);
      return;
    }
    case TREE_CONNECT_ANDX: {
      if (b.wordCount !== 4) return;
      const pathAt = b.bytes + u16(msg, w + 6);
      state.treeRequest(req, smbString(msg, pathAt, msg.length, unicode));
      return;
    }
    case CLOSE:
      if (b.wordCount === 3) state.closeRequest(req, u16(msg, w));
      return;
  }
}

function response(msg: Uint8Array, b: Block, ok: boolean, tid: number, req: number, state: SmbState): void {
  const w = b.words;
  switch (b.cmd) {
    case READ_ANDX: {
      if (!ok || b.wordCount !== 12) {
        state.readFailed(req);
        return;
      }
      const low = u16(msg, w + 10);
      const dataAt = u16(msg, w + 12);
      const high = u16(msg, w + 14);
      let len = low + high * 65536;
      if (high !== 0 && dataAt + len > msg.length && dataAt + low <= msg.length) len = low;
      state.readResponse(req, dataSlice(msg, dataAt, len, state));
      return;
    }
    case READ: {
      if (!ok || b.wordCount !== 5 || b.bytesEnd - b.bytes < 3 || msg[b.bytes] !== 0x01) {
        state.readFailed(req);
        return;
      }
      state.readResponse(req, dataSlice(msg, b.bytes + 3, u16(msg, b.bytes + 1), state));
      return;
    }
    case NT_CREATE_ANDX: {
      // WordCount 34, or 42 for the extended response (often sent with 34 words' worth).
      const good = ok && b.wordCount >= 34;
      const fid = good ? u16(msg, w + 5) : 0;
      const resourceType = good ? u16(msg, w + 63) : 0;
      state.createResponse(req, fid, good, resourceType === 1 || resourceType === 2 ? true : null);
      return;
    }
    case TREE_CONNECT_ANDX: {
      const good = ok && b.wordCount >= 3;
      let pipe: boolean | null = null;
      if (good && b.bytesEnd - b.bytes >= 3) {
        // Service is an OEM string: "IPC" for the pipe tree, "A:" for disks.
        pipe = msg[b.bytes] === 0x49 && msg[b.bytes + 1] === 0x50 && msg[b.bytes + 2] === 0x43;
      }
      state.treeResponse(req, tid, good, pipe);
      return;
    }
    case CLOSE:
      state.closeResponse(req);
      return;
  }
}

/** `len` bytes at `at`, clipped to the message (a clipped or lying length is reported). */
function dataSlice(msg: Uint8Array, at: number, len: number, state: SmbState): Uint8Array {
  if (at < HEADER || at > msg.length) {
    state.problem('smb.bad-data-offset', `SMB1 data offset ${at} lies outside the message`);
    return msg.subarray(0, 0);
  }
  if (at + len > msg.length) {
    if (!state.clipped)
      state.problem('smb.truncated-data', `SMB1 data of ${len} bytes at ${at} runs past the message end`);
    len = msg.length - at;
  }
  return msg.subarray(at, at + len);
}

/**
 * A name of at most `maxLen` bytes at `start` (Unicode strings start 2-aligned
 * from the header), ending at its NUL or the message end.
 */
function smbString(msg: Uint8Array, start: number, maxLen: number, unicode: boolean): Uint8Array {
  if (unicode && start & 1) start++;
  const end = Math.min(start + maxLen, msg.length);
  if (unicode) return utf16ToUtf8(msg, start, utf16End(msg, start, end));
  return copyName(msg, start, asciiEnd(msg, start, end));
}
