import type { Event } from '../schema/event.js';
import type { Store } from '../store/store.js';
import type { JsonlWriter } from './jsonl-writer.js';

const BATCH = 10_000;

/**
 * Where every text input's events go: counted, written to events.jsonl, and
 * held for the store until a batch is full, so memory stays bounded.
 */
export interface EventSink {
  add(e: Event): void;
  /** Writes the held events to the store once a batch is full; call between chunks. */
  maybeFlush(): Promise<void>;
  /** Writes whatever is held. */
  flush(): Promise<void>;
  /** Events added so far. */
  readonly count: number;
}

export function createEventSink(o: {
  store?: Store;
  eventsOut?: JsonlWriter;
  onEvent: (e: Event) => void;
}): EventSink {
  let pending: Event[] = [];
  let count = 0;
  const flush = async () => {
    if (o.store && pending.length) await o.store.writeEvents(pending);
    pending = [];
  };
  return {
    add(e) {
      count++;
      o.onEvent(e);
      o.eventsOut?.write(e);
      if (o.store) pending.push(e);
    },
    maybeFlush: async () => {
      if (pending.length >= BATCH) await flush();
    },
    flush,
    get count() {
      return count;
    },
  };
}
