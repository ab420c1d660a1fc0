/**
 * What an SMB connection remembers between messages, shared by the SMB1 and
 * SMB2 command parsers: tree ids and whether they are the pipe tree (IPC$),
 * open handles and their names, requests awaiting their responses, and the
 * files being put together. Every table is bounded; what does not fit is
 * counted in SmbStats and the oldest entry gives way.
 *
 * Requests and responses are matched by a numeric request key (SMB1: PID and
 * MID; SMB2: MessageId). Handles are keyed by FileKey (SMB1: the 16-bit FID;
 * SMB2: the 16-byte FileId as text).
 */
import type { FileTx } from '../../../schema/app-tx.js';
import type { ProblemLog } from '../../../schema/problem.js';
import { isIpcShare } from './bytes.js';
import { FileAssembly } from './file-assembly.js';
import type { NbssCounters } from './nbss.js';

export type FileKey = number | string;

/** Counters of one parser; all numbers only grow. */
export interface SmbStats extends NbssCounters {
  smb1Messages: number;
  smb2Messages: number;
  /** SMB3 transform (encrypted) messages, skipped. */
  encryptedMessages: number;
  /** SMB3 compressed messages, skipped. */
  compressedMessages: number;
  /** Files reported (each direction of a handle that carried data is one file). */
  files: number;
  /** Files not followed because maxFiles were already open. */
  filesDropped: number;
  /** File bytes not kept: beyond maxFileBytes, after unfilled holes, or of dropped files. */
  fileBytesDropped: number;
  /** Table entries (pending requests, handles, trees) pushed out by their bound. */
  evicted: number;
}

export function createSmbStats(): SmbStats {
  return {
    resyncs: 0,
    lostMessages: 0,
    clippedBytes: 0,
    skippedBytes: 0,
    smb1Messages: 0,
    smb2Messages: 0,
    encryptedMessages: 0,
    compressedMessages: 0,
    files: 0,
    filesDropped: 0,
    fileBytesDropped: 0,
    evicted: 0,
  };
}

export interface SmbStateOptions {
  onFile(f: FileTx, what: 'data' | 'done'): void;
  maxFileBytes: number;
  maxFiles: number;
  problems?: ProblemLog;
  file?: string;
}

interface Handle {
  /** One key, or two when an SMB2 compound used the handle before its FileId was known. */
  keys: FileKey[];
  name: Uint8Array;
  pipe: boolean;
  up: FileAssembly | null;
  down: FileAssembly | null;
  /** A direction's data was refused (maxFiles): counted once, then ignored. */
  refused: number;
}

interface PendingCreate {
  name: Uint8Array;
  treeKey: number;
}

interface PendingRead {
  fileKey: FileKey;
  treeKey: number;
  offset: number;
}

const MAX_PENDING = 1024;
const MAX_HANDLES = 4096;
const MAX_TREES = 256;
/** Share and pipe names kept for the rule engine (smb.share, smb.named_pipe). */
const MAX_NAMES = 64;
const EMPTY = new Uint8Array(0);
const UP = 1;
const DOWN = 2;

export class SmbState {
  readonly stats = createSmbStats();
  /** Share paths from TREE_CONNECT requests, first seen first, distinct, at most 64. */
  readonly shares: Uint8Array[] = [];
  /** Names opened on the pipe tree (IPC$), distinct, at most 64. */
  readonly namedPipes: Uint8Array[] = [];
  /** Where the message being parsed lies, for problem reports. */
  where = '';
  /** The message being parsed lost bytes to the buffer bound: short data is expected, not an error. */
  clipped = false;

  private readonly trees = new Map<number, boolean>();
  private readonly handles = new Map<FileKey, Handle>();
  private readonly pendingTrees = new Map<number, Uint8Array>();
  private readonly pendingCreates = new Map<number, PendingCreate>();
  private readonly pendingReads = new Map<number, PendingRead>();
  private readonly pendingCloses = new Map<number, FileKey>();
  private openFiles = 0;

  constructor(private readonly opts: SmbStateOptions) {}

  problem(code: string, message: string): void {
    const p = this.opts.problems;
    if (p === undefined) return;
    p.add({
      stage: 'session',
      code,
      message: this.where === '' ? message : `${message} (${this.where})`,
      ...(this.opts.file !== undefined ? { file: this.opts.file } : {}),
    });
  }

  treeRequest(req: number, path: Uint8Array): void {
    this.bounded(this.pendingTrees, req, path);
    remember(this.shares, path);
  }

  /** `pipe`: what the response says (share type / service), or null when it does not say. */
  treeResponse(req: number, treeKey: number, ok: boolean, pipe: boolean | null): void {
    const path = this.pendingTrees.get(req);
    this.pendingTrees.delete(req);
    if (!ok) return;
    this.bounded(this.trees, treeKey, pipe ?? (path !== undefined && isIpcShare(path)));
  }

  createRequest(req: number, name: Uint8Array, treeKey: number): void {
    this.bounded(this.pendingCreates, req, { name, treeKey });
  }

  /** `pipeHint`: the response says the handle is a pipe (SMB1 resource type), or null. */
  createResponse(req: number, fileKey: FileKey, ok: boolean, pipeHint: boolean | null): void {
    const pc = this.pendingCreates.get(req);
    this.pendingCreates.delete(req);
    if (!ok) return;
    const prov = this.handles.get(provisionalKey(req));
    if (prov !== undefined) {
      // The compound already used this handle: the real FileId now names it too.
      this.handles.set(fileKey, prov);
      prov.keys.push(fileKey);
      return;
    }
    const old = this.handles.get(fileKey);
    if (old !== undefined) this.finish(old);
    const pipe = pipeHint ?? (pc !== undefined && this.trees.get(pc.treeKey) === true);
    const name = pc?.name ?? EMPTY;
    if (pipe && name.length > 0) remember(this.namedPipes, name);
    this.addHandle(fileKey, name, pipe);
  }

  /**
   * The handle a related compound means by FileId 0xFF..FF right after a
   * CREATE whose response is not seen yet. Null when that CREATE is unknown.
   */
  provisional(createReq: number): FileKey | null {
    const key = provisionalKey(createReq);
    if (this.handles.has(key)) return key;
    const pc = this.pendingCreates.get(createReq);
    if (pc === undefined) return null;
    const pipe = this.trees.get(pc.treeKey) === true;
    if (pipe && pc.name.length > 0) remember(this.namedPipes, pc.name);
    this.addHandle(key, pc.name, pipe);
    return key;
  }

  write(fileKey: FileKey, treeKey: number, offset: number, data: Uint8Array): void {
    this.put(this.handle(fileKey, treeKey), UP, offset, data);
  }

  readRequest(req: number, fileKey: FileKey, treeKey: number, offset: number): void {
    this.bounded(this.pendingReads, req, { fileKey, treeKey, offset });
  }

  /** Data of the READ response to request `req`; returns false when that request was not seen. */
  readResponse(req: number, data: Uint8Array): boolean {
    const pr = this.pendingReads.get(req);
    if (pr === undefined) return false;
    this.pendingReads.delete(req);
    this.put(this.handle(pr.fileKey, pr.treeKey), DOWN, pr.offset, data);
    return true;
  }

  /** Forgets a pending read whose response was an error. */
  readFailed(req: number): void {
    this.pendingReads.delete(req);
  }

  closeRequest(req: number, fileKey: FileKey): void {
    this.bounded(this.pendingCloses, req, fileKey);
  }

  /** The file is complete once the server answers its CLOSE. */
  closeResponse(req: number): void {
    const key = this.pendingCloses.get(req);
    if (key === undefined) return;
    this.pendingCloses.delete(req);
    const h = this.handles.get(key);
    if (h !== undefined) this.finish(h);
  }

  /** End of the connection: every file still open is done. */
  end(): void {
    for (const h of [...this.handles.values()]) this.finish(h);
    this.pendingTrees.clear();
    this.pendingCreates.clear();
    this.pendingReads.clear();
    this.pendingCloses.clear();
  }

  private handle(fileKey: FileKey, treeKey: number): Handle {
    const h = this.handles.get(fileKey);
    if (h !== undefined) return h;
    // Opened before the capture started: no name, pipe only if its tree says so.
    return this.addHandle(fileKey, EMPTY, this.trees.get(treeKey) === true);
  }

  private addHandle(key: FileKey, name: Uint8Array, pipe: boolean): Handle {
    if (this.handles.size >= MAX_HANDLES) {
      const oldest = this.handles.values().next().value as Handle;
      this.stats.evicted++;
      this.finish(oldest);
    }
    const h: Handle = { keys: [key], name, pipe, up: null, down: null, refused: 0 };
    this.handles.set(key, h);
    return h;
  }

  private put(h: Handle, dir: number, offset: number, data: Uint8Array): void {
    if (h.pipe || data.length === 0) return; // pipe traffic is RPC, not a file
    let f = dir === UP ? h.up : h.down;
    if (f === null) {
      if (h.refused & dir) {
        this.stats.fileBytesDropped += data.length;
        return;
      }
      if (this.openFiles >= this.opts.maxFiles) {
        h.refused |= dir;
        this.stats.filesDropped++;
        this.stats.fileBytesDropped += data.length;
        return;
      }
      f = new FileAssembly('smb', this.stats.files++, h.name, dir === UP, this.opts.maxFileBytes);
      this.openFiles++;
      if (dir === UP) h.up = f;
      else h.down = f;
    }
    if (f.put(offset, data)) this.opts.onFile(f.tx, 'data');
  }

  private finish(h: Handle): void {
    for (const k of h.keys) if (this.handles.get(k) === h) this.handles.delete(k);
    for (const f of [h.up, h.down]) {
      if (f === null) continue;
      f.finish();
      this.stats.fileBytesDropped += f.droppedBytes;
      this.openFiles--;
      this.opts.onFile(f.tx, 'done');
    }
    h.up = null;
    h.down = null;
  }

  private bounded<K, V>(m: Map<K, V>, k: K, v: V): void {
    if (!m.has(k) && m.size >= (m === (this.trees as unknown) ? MAX_TREES : MAX_PENDING)) {
      m.delete(m.keys().next().value as K);
      this.stats.evicted++;
    }
    m.set(k, v);
  }
}

function provisionalKey(createReq: number): string {
  return `p${createReq}`;
}

/** Adds `name` to `list` unless present or the list is full. */
function remember(list: Uint8Array[], name: Uint8Array): void {
  if (name.length === 0 || list.length >= MAX_NAMES) return;
  for (const n of list) if (sameBytes(n, name)) return;
  list.push(name);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
