/**
 * The regex worker thread: runs one RegExp call at a time for the main
 * thread, which waits on a shared Int32Array with a timeout and terminates
 * this thread when a call runs too long. Requests and replies travel on a
 * MessagePort read synchronously (receiveMessageOnPort), so neither side
 * needs its event loop.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';

/** Slots of the shared control array. */
export const REQUEST_SEQ = 0;
export const REPLY_SEQ = 1;
export const READY = 2;

export interface RegexRequest {
  source: string;
  flags: string;
  subject: string;
  from: number;
  sticky: boolean;
}

/** The JS match array (undefined for unset groups), or null. */
export interface RegexReply {
  index: number;
  match: Array<string | undefined>;
}

const MAX_CACHED = 512;

function serve(ctl: Int32Array, port: MessagePort): void {
  const cache = new Map<string, RegExp>();
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, REQUEST_SEQ, seen);
    seen = Atomics.load(ctl, REQUEST_SEQ);
    const req = receiveMessageOnPort(port)?.message as RegexRequest | undefined;
    let reply: RegexReply | null | { error: string } = null;
    if (req) {
      try {
        const key = `${req.sticky ? 'y' : 'g'}${req.flags}/${req.source}`;
        let re = cache.get(key);
        if (!re) {
          if (cache.size >= MAX_CACHED) cache.clear();
          re = new RegExp(req.source, req.flags + (req.sticky ? 'y' : 'g'));
          cache.set(key, re);
        }
        re.lastIndex = req.from;
        const m = re.exec(req.subject);
        reply = m ? { index: m.index, match: Array.from(m) } : null;
      } catch (e) {
        reply = { error: (e as Error).message };
      }
    }
    port.postMessage(reply);
    Atomics.store(ctl, REPLY_SEQ, seen);
    Atomics.notify(ctl, REPLY_SEQ);
  }
}

const data = workerData as { ctl?: Int32Array; port?: MessagePort } | null;
if (data?.ctl && data.port) serve(data.ctl, data.port);
