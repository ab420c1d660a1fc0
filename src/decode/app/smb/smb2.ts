/**
 * SMB2/SMB3 messages (MS-SMB2): a 64-byte header per command, commands
 * compounded by NextCommand. Field offsets (data, names) count from the start
 * of each command's own header. In a related compound a FileId of all 0xFF
 * bytes means "the handle of the previous command", typically a CREATE whose
 * response, with the real FileId, is not seen until later.
 */
import { u16, u32, u64, utf16ToUtf8 } from './bytes.js';
import type { FileKey, SmbState } from './state.js';

const HEADER = 64;
const FLAG_RESPONSE = 0x1;
const FLAG_ASYNC = 0x2;
const FLAG_RELATED = 0x4;

const TREE_CONNECT = 3;
const CREATE = 5;
const CLOSE = 6;
const READ = 8;
const WRITE = 9;

const STATUS_PENDING = 0x103;
/** Read of a message-mode pipe with more to come: the data returned is valid. */
const STATUS_BUFFER_OVERFLOW = 0x80000005;
const SHARE_TYPE_PIPE = 2;
const TREE_CONNECT_FLAG_EXTENSION = 0x4;
/** Commands followed per compound; more is not seen in practice. */
const MAX_COMPOUND = 64;
/** Tree keys of SMB2 live above 2^32 so that they never meet SMB1 TIDs. */
const TREE_BASE = 2 ** 32;

/** The previous command of the compound, for related operations. */
interface Chain {
  fileKey: FileKey | null;
  createReq: number;
}
const chain: Chain = { fileKey: null, createReq: -1 };

/**
 * Parses one SMB2 message (starting at its 0xFE 'SMB' id), all of its
 * compounded commands, into `state`.
 *
 * @example
 * parseSmb2(message, false, state); // a response from the server
 */
export function parseSmb2(msg: Uint8Array, toServer: boolean, state: SmbState): void {
  chain.fileKey = null;
  chain.createReq = -1;
  let at = 0;
  for (let n = 0; n < MAX_COMPOUND; n++) {
    if (at + HEADER > msg.length || u16(msg, at + 4) !== HEADER) {
      state.problem('smb.truncated-header', `SMB2 header at byte ${at} of its message is short or malformed`);
      return;
    }
    if (
      at > 0 &&
      !(msg[at] === 0xfe && msg[at + 1] === 0x53 && msg[at + 2] === 0x4d && msg[at + 3] === 0x42)
    ) {
      state.problem('smb.bad-compound', `SMB2 compounded command at byte ${at} has no SMB2 header`);
      return;
    }
    state.stats.smb2Messages++;
    const flags = u32(msg, at + 16);
    const next = u32(msg, at + 20);
    let end = msg.length;
    let last = next === 0;
    if (!last) {
      if (next < HEADER || at + next > msg.length) {
        state.problem('smb.bad-next-command', `SMB2 NextCommand ${next} points outside the message`);
        last = true;
      } else end = at + next;
    }
    const isResponse = (flags & FLAG_RESPONSE) !== 0;
    if (isResponse === toServer) {
      state.problem(
        'smb.wrong-direction',
        `SMB2 ${isResponse ? 'response' : 'request'} sent ${toServer ? 'to' : 'by'} the server`,
      );
    } else {
      const cmd = msg.subarray(at, end);
      if (toServer) request(cmd, flags, state);
      else response(cmd, flags, state);
    }
    if (last) return;
    at = end;
  }
  state.problem('smb.compound-too-long', `SMB2 compound longer than ${MAX_COMPOUND} commands`);
}

function requestKey(h: Uint8Array): number {
  // MessageId is 64-bit; sequence numbers never reach past 40 bits in a capture we can hold.
  return u32(h, 24) + h[28]! * TREE_BASE;
}

function treeKey(h: Uint8Array, flags: number): number {
  return flags & FLAG_ASYNC ? -1 : TREE_BASE + u32(h, 36);
}

function request(h: Uint8Array, flags: number, state: SmbState): void {
  const req = requestKey(h);
  const tree = treeKey(h, flags);
  const body = HEADER;
  if (h.length < body + 2) return;
  const command = u16(h, 12);
  const size = u16(h, body);
  switch (command) {
    case TREE_CONNECT: {
      if (size !== 9 || h.length < body + 8) return;
      if (u16(h, body + 2) & TREE_CONNECT_FLAG_EXTENSION) return; // 3.1.1 extension layout: path elsewhere
      const off = u16(h, body + 4);
      state.treeRequest(req, utf16ToUtf8(h, off, off + u16(h, body + 6)));
      return;
    }
    case CREATE: {
      if (size !== 57 || h.length < body + 56) return;
      const off = u16(h, body + 44);
      state.createRequest(req, utf16ToUtf8(h, off, off + u16(h, body + 46)), tree);
      chain.createReq = req;
      chain.fileKey = null;
      return;
    }
    case WRITE: {
      if (size !== 49 || h.length < body + 48) return;
      const key = fileKey(h, body + 16, flags, state);
      if (key === null) return;
      const dataAt = u16(h, body + 2);
      state.write(key, tree, u64(h, body + 8), dataSlice(h, dataAt, u32(h, body + 4), state));
      return;
    }
    case READ: {
      if (size !== 49 || h.length < body + 48) return;
      const key = fileKey(h, body + 16, flags, state);
      if (key !== null) state.readRequest(req, key, tree, u64(h, body + 8));
      return;
    }
    case CLOSE: {
      if (size !== 24 || h.length < body + 24) return;
      const key = fileKey(h, body + 8, flags, state);
      if (key !== null) state.closeRequest(req, key);
      return;
    }
  }
}

function response(h: Uint8Array, flags: number, state: SmbState): void {
  const status = u32(h, 8);
  if (status === STATUS_PENDING && flags & FLAG_ASYNC) return; // interim: the real answer follows
  const req = requestKey(h);
  const body = HEADER;
  const command = u16(h, 12);
  const size = h.length >= body + 2 ? u16(h, body) : 0;
  const ok = status === 0;
  switch (command) {
    case TREE_CONNECT: {
      const good = ok && size === 16 && h.length >= body + 16;
      const type = good ? h[body + 2]! : 0;
      state.treeResponse(req, treeKey(h, flags), good, type === 0 ? null : type === SHARE_TYPE_PIPE);
      return;
    }
    case CREATE: {
      const good = ok && size === 89 && h.length >= body + 88;
      state.createResponse(req, good ? fileIdText(h, body + 64) : '', good, null);
      return;
    }
    case READ: {
      if ((!ok && status !== STATUS_BUFFER_OVERFLOW) || size !== 17 || h.length < body + 16) {
        state.readFailed(req);
        return;
      }
      state.readResponse(req, dataSlice(h, h[body + 2]!, u32(h, body + 4), state));
      return;
    }
    case CLOSE:
      state.closeResponse(req);
      return;
  }
}

/** The handle a request names: its FileId, or for all-0xFF in a related compound, the previous command's. */
function fileKey(h: Uint8Array, at: number, flags: number, state: SmbState): FileKey | null {
  let allOnes = true;
  for (let i = at; i < at + 16; i++) {
    if (h[i] !== 0xff) {
      allOnes = false;
      break;
    }
  }
  if (!allOnes) {
    chain.fileKey = fileIdText(h, at);
    return chain.fileKey;
  }
  if (!(flags & FLAG_RELATED)) {
    state.problem(
      'smb.unrelated-file-id',
      'SMB2 request uses the compound FileId outside a related compound',
    );
    return null;
  }
  if (chain.fileKey === null && chain.createReq >= 0) chain.fileKey = state.provisional(chain.createReq);
  return chain.fileKey;
}

function fileIdText(h: Uint8Array, at: number): string {
  return `${u32(h, at)}.${u32(h, at + 4)}.${u32(h, at + 8)}.${u32(h, at + 12)}`;
}

/** `len` bytes at `at` of this command, clipped to it (a lying length is reported). */
function dataSlice(h: Uint8Array, at: number, len: number, state: SmbState): Uint8Array {
  if (len === 0) return h.subarray(0, 0);
  if (at < HEADER || at > h.length) {
    state.problem('smb.bad-data-offset', `SMB2 data offset ${at} lies outside the command`);
    return h.subarray(0, 0);
  }
  if (at + len > h.length) {
    if (!state.clipped)
      state.problem('smb.truncated-data', `SMB2 data of ${len} bytes at ${at} runs past the command end`);
    len = h.length - at;
  }
  return h.subarray(at, at + len);
}
