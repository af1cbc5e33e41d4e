// Transaction bookkeeping of one partition: which producers have a transaction open in it (and the
// offset of their first record: the last stable offset, LSO, is the smallest of these, or the high
// watermark), and the aborted transactions (producer id, first offset, offset of the ABORT marker)
// that read_committed fetches list so consumers drop those records.
//
// Kept in memory. At start the transaction coordinator rebuilds it by scanning the partition's
// batches (transactional data batches open a transaction, control batches close it) when
// __transaction_state holds anything; an aborted entry whose marker is below the log start is dropped.
//
// Control batches (KIP-98): attributes transactional|control, the producer id and epoch, base
// sequence -1, one record with key int16 version 0 + int16 type (0 ABORT, 1 COMMIT) and value int16
// version 0 + int32 coordinator epoch.

import {
  ATTRIBUTES,
  BATCH_LENGTH,
  encodeRecordBatch,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  PRODUCER_ID,
  RECORD_BATCH_OVERHEAD,
  readInt64,
} from '@seaway/kafka-protocol';
import type { PartitionLog } from '../log/index.ts';
import type { Partition } from '../state/cluster.ts';

export const TRANSACTIONAL_FLAG = 16;
export const CONTROL_FLAG = 32;

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: bigint;
}

interface AbortedEntry {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
}

/** One control batch (COMMIT or ABORT marker) for a producer's transaction. */
export function encodeMarker(producerId: number, producerEpoch: number, commit: boolean, coordinatorEpoch = 0): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt32BE(coordinatorEpoch, 2);
  return encodeRecordBatch([{ key, value }], {
    isTransactional: true,
    isControl: true,
    producerId,
    producerEpoch,
    baseSequence: -1,
  });
}

export class PartitionTxns {
  /** producer id -> first offset of its open transaction here */
  readonly ongoing = new Map<number, number>();
  /** ascending by lastOffset (markers are appended in order) */
  readonly #aborted: AbortedEntry[] = [];
  #firstUnstable = Number.POSITIVE_INFINITY;

  /** A transactional data batch was appended at baseOffset. */
  opened(producerId: number, baseOffset: number): void {
    if (this.ongoing.has(producerId)) return;
    this.ongoing.set(producerId, baseOffset);
    if (baseOffset < this.#firstUnstable) this.#firstUnstable = baseOffset;
  }

  /** A marker for the producer was appended at markerOffset. */
  closed(producerId: number, markerOffset: number, commit: boolean, logStartOffset = 0): void {
    const first = this.ongoing.get(producerId);
    if (first === undefined) return;
    this.ongoing.delete(producerId);
    if (!commit) this.#aborted.push({ producerId, firstOffset: first, lastOffset: markerOffset });
    if (first === this.#firstUnstable) {
      let min = Number.POSITIVE_INFINITY;
      for (const o of this.ongoing.values()) if (o < min) min = o;
      this.#firstUnstable = min;
    }
    if (this.#aborted.length > 1024 && this.#aborted[0]!.lastOffset < logStartOffset) {
      let k = 0;
      while (k < this.#aborted.length && this.#aborted[k]!.lastOffset < logStartOffset) k++;
      this.#aborted.splice(0, k);
    }
  }

  /** First offset a read_committed consumer may not read yet (the LSO). */
  lastStableOffset(highWatermark: number): number {
    return Math.min(this.#firstUnstable, highWatermark);
  }

  /** Aborted transactions overlapping [from, to): what a read_committed fetch of that range lists. */
  abortedIn(from: number, to: number): AbortedTxn[] {
    const a = this.#aborted;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.lastOffset < from) lo = mid + 1;
      else hi = mid;
    }
    const out: AbortedTxn[] = [];
    for (let i = lo; i < a.length; i++) {
      const e = a[i]!;
      if (e.firstOffset < to) out.push({ producerId: BigInt(e.producerId), firstOffset: BigInt(e.firstOffset) });
    }
    return out;
  }

  /** Rebuilds the state from the log's batches (at start). */
  async rebuild(log: PartitionLog): Promise<void> {
    let offset = log.logStartOffset;
    while (offset < log.highWatermark) {
      const buf = await log.read(offset, 1 << 20);
      if (buf.length === 0) break;
      let pos = 0;
      while (pos + RECORD_BATCH_OVERHEAD <= buf.length) {
        const size = LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH);
        const base = readInt64(buf, pos);
        const attributes = buf.readInt8(pos + MAGIC) === 2 ? buf.readInt16BE(pos + ATTRIBUTES) : 0;
        if (attributes & TRANSACTIONAL_FLAG) {
          const pid = readInt64(buf, pos + PRODUCER_ID);
          if (attributes & CONTROL_FLAG) {
            // the control record's key: int16 version, int16 type; the record starts after the header
            this.closed(pid, base, controlType(buf, pos) === 1, log.logStartOffset);
          } else this.opened(pid, base);
        }
        offset = base + buf.readInt32BE(pos + LAST_OFFSET_DELTA) + 1;
        pos += size;
      }
    }
  }
}

/** The type (0 ABORT, 1 COMMIT) of the control record of an uncompressed control batch. */
function controlType(buf: Buffer, pos: number): number {
  // record: varint length, int8 attributes, varint timestampDelta, varint offsetDelta, varint keyLength, key
  let p = pos + RECORD_BATCH_OVERHEAD;
  for (let field = 0; field < 4; field++) {
    while (buf[p]! & 0x80) p++;
    p++;
    if (field === 0) p++; // attributes after the length
  }
  return buf.readInt16BE(p + 2);
}

/** Appends a COMMIT/ABORT marker after the partition's queued appends, if the producer has data open there. */
export function writeMarker(
  p: Partition,
  producerId: number,
  epoch: number,
  commit: boolean,
  coordinatorEpoch = 0,
): Promise<void> {
  const run = p.chain.then(async () => {
    if (!p.txns.ongoing.has(producerId)) return;
    const r = await p.log.append(encodeMarker(producerId, epoch, commit, coordinatorEpoch), {
      partitionLeaderEpoch: 0,
    });
    p.txns.closed(producerId, r.baseOffset, commit, p.log.logStartOffset);
    p.notifyAppend();
  });
  p.chain = run.catch(() => undefined);
  return run;
}
