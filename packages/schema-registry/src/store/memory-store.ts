// In-memory RegistryStore: a shared array log, so two stores over one MemoryLog behave like two
// registries over one topic (a "restart" keeps the log). For tests and Kafka-less embedding.

import { SeawayCode, SeawayRegistryError } from '../errors.ts';
import type { RecordListener, RegistryStore } from './store.ts';

export class MemoryLog {
  readonly records: { key: string | null; value: string | null }[] = [];
  readonly listeners = new Set<RecordListener>();
}

export function createMemoryStore(log: MemoryLog = new MemoryLog()): RegistryStore & { log: MemoryLog } {
  let listener: RecordListener | null = null;
  let closed = false;
  return {
    log,
    description: 'memory',
    async open(l) {
      if (closed) throw new SeawayRegistryError(SeawayCode.STORE_CLOSED, 'memory store was closed; create a new one');
      listener = l;
      for (const r of log.records) l(r.key, r.value);
      log.listeners.add(l);
    },
    async append(key, value) {
      if (closed || !listener)
        throw new SeawayRegistryError(SeawayCode.STORE_CLOSED, 'memory store is not open; call open() first');
      log.records.push({ key, value });
      for (const l of log.listeners) l(key, value);
    },
    async close() {
      closed = true;
      if (listener) log.listeners.delete(listener);
      listener = null;
    },
  };
}
