// Idempotent producer state for one partition: per producer id, its epoch, the last sequence
// appended and the last five batches (sequence range -> base offset), as Kafka keeps them.
//
// check() runs before an append and answers: append it, it is a duplicate (answer with the original
// offset), or reject it (OUT_OF_ORDER_SEQUENCE_NUMBER / INVALID_PRODUCER_EPOCH). record() runs after a
// successful append. Producers this process has not seen (ids allocated before a restart) may start
// at any sequence; producers it allocated must start at 0.

import { ErrorCode } from '@seaway/kafka-protocol';

interface CachedBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  lastSeq: number;
  /** Wall-clock ms of the last append (DescribeProducers). */
  lastTimestamp: number;
  batches: CachedBatch[];
}

/** One producer as DescribeProducers reports it. */
export interface ProducerView {
  producerId: number;
  epoch: number;
  lastSeq: number;
  lastTimestamp: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'reject'; errorCode: number; message: string };

const KEEP = 5;
const APPEND: SequenceCheck = { kind: 'append' };

export class ProducerStateTable {
  readonly #producers = new Map<number, ProducerEntry>();
  /** Producer ids below this were allocated by an earlier process; their history is unknown. */
  readonly #firstFreshId: number;

  constructor(firstFreshId: number) {
    this.#firstFreshId = firstFreshId;
  }

  check(producerId: number, epoch: number, firstSeq: number, lastSeq: number): SequenceCheck {
    if (producerId < 0) return APPEND;
    const e = this.#producers.get(producerId);
    if (e === undefined || epoch > e.epoch) {
      if (firstSeq === 0 || (e === undefined && producerId < this.#firstFreshId)) return APPEND;
      return {
        kind: 'reject',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${producerId} epoch ${epoch} must start at sequence 0, got ${firstSeq}`,
      };
    }
    if (epoch < e.epoch) {
      return {
        kind: 'reject',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `producer ${producerId} epoch ${epoch} is older than the current epoch ${e.epoch}`,
      };
    }
    for (const b of e.batches) {
      if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) return { kind: 'duplicate', baseOffset: b.baseOffset };
    }
    const expected = e.lastSeq === 0x7fffffff ? 0 : e.lastSeq + 1;
    if (firstSeq !== expected) {
      return {
        kind: 'reject',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${producerId} sent sequence ${firstSeq}, expected ${expected}`,
      };
    }
    return APPEND;
  }

  record(producerId: number, epoch: number, firstSeq: number, lastSeq: number, baseOffset: number): void {
    if (producerId < 0) return;
    let e = this.#producers.get(producerId);
    if (e === undefined || epoch !== e.epoch) {
      e = { epoch, lastSeq, lastTimestamp: 0, batches: [] };
      this.#producers.set(producerId, e);
    }
    e.lastSeq = lastSeq;
    e.lastTimestamp = Date.now();
    e.batches.push({ firstSeq, lastSeq, baseOffset });
    if (e.batches.length > KEEP) e.batches.shift();
  }

  /** The producers that appended here since this process started. */
  *active(): Generator<ProducerView> {
    for (const [producerId, e] of this.#producers) {
      yield { producerId, epoch: e.epoch, lastSeq: e.lastSeq, lastTimestamp: e.lastTimestamp };
    }
  }
}
