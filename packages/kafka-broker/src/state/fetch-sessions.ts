// Fetch sessions (KIP-227): the broker remembers, per session, the partitions a consumer fetches
// and what it last told it about each, so incremental fetch requests name only the partitions whose
// fetch offset changed and responses carry only the partitions with news (records, a new high
// watermark / last stable offset / log start, or an error).
//
// Request (sessionId, sessionEpoch), as Kafka's FetchSession handling reads them:
//   (0, -1)   full fetch, no session (sessionless)
//   (0, 0)    full fetch that creates a session; the response carries its id
//   (id, 0)   closes session id, then as (0, 0)
//   (id, -1)  closes session id; full sessionless fetch
//   (id, n>0) incremental: FETCH_SESSION_ID_NOT_FOUND if id is unknown, INVALID_FETCH_SESSION_EPOCH
//             unless n is the session's next epoch; the request's partitions are added or updated,
//             forgotten ones removed, and the epoch advances
// The cache holds at most `maxSessions` (Kafka's max.incremental.fetch.session.cache.slots, 1000);
// when full, the least recently used session is evicted (its owner gets FETCH_SESSION_ID_NOT_FOUND
// and starts over with a full fetch). Sessions are not tied to a connection, as in Kafka.

import { randomInt } from 'node:crypto';

export interface SessionPartition {
  topic: string;
  /** the topic id the client named (v13+), or '' */
  topicId: string;
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  /** what the last response said (-2: never sent) */
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
}

export interface FetchSession {
  readonly id: number;
  /** the epoch the next incremental request must carry */
  epoch: number;
  /** "topic\0partition" -> state, in the order the client added them */
  readonly partitions: Map<string, SessionPartition>;
}

export const FINAL_EPOCH = -1;
export const INITIAL_EPOCH = 0;

export class FetchSessionCache {
  /** insertion order = least recently used first */
  readonly #sessions = new Map<number, FetchSession>();
  readonly #max: number;

  constructor(maxSessions = 1000) {
    this.#max = maxSessions;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** A session by id, marked as just used; undefined when unknown. */
  get(id: number): FetchSession | undefined {
    const s = this.#sessions.get(id);
    if (s === undefined) return undefined;
    this.#sessions.delete(id);
    this.#sessions.set(id, s);
    return s;
  }

  remove(id: number): void {
    this.#sessions.delete(id);
  }

  /** A new, empty session with epoch 1 next; evicts the least recently used one when full. */
  create(): FetchSession | undefined {
    if (this.#max <= 0) return undefined;
    if (this.#sessions.size >= this.#max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    let id = 0;
    while (id === 0 || this.#sessions.has(id)) id = randomInt(1, 0x7fffffff);
    const s: FetchSession = { id, epoch: 1, partitions: new Map() };
    this.#sessions.set(id, s);
    return s;
  }
}

/** The next epoch after `epoch` (wraps to 1, as Kafka's nextEpoch does). */
export function nextEpoch(epoch: number): number {
  return epoch >= 0x7fffffff ? 1 : epoch + 1;
}
