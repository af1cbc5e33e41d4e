// Log compaction (cleanup.policy=compact) for one batch at a time: keep only the latest record per key.
//
// The caller builds `latest` (key -> offset of its newest record) over the whole log, then passes
// each old batch through compactBatch. Surviving records keep their offsets (offset deltas keep their
// gaps, lastOffsetDelta is unchanged so producer sequence state stays right); producer id, epoch,
// sequence, transactional flag and compression are kept. Control batches and records without a key are
// kept as they are. A tombstone (null value) that is the latest for its key is kept until it is older
// than deleteRetentionMs (Kafka's delete.retention.ms), then dropped. Re-encoding means a new CRC.

import { decodeRecordBatch, encodeRecordBatch, readBatchHeader } from './protocol.ts';

export interface CompactionOptions {
  /** How long a tombstone stays readable after it became the latest record for its key (default 24 h). */
  deleteRetentionMs?: number;
  now?: number;
}

export interface CompactionResult {
  /** Records dropped. */
  removedRecords: number;
  /** Bytes the log shrank by. */
  reclaimedBytes: number;
  /** Segments (or, in memory, batches) rewritten. */
  rewritten: number;
}

export type KeyMap = Map<string, number>;

/** Adds every keyed record of a batch to the key -> latest offset map. */
export function indexKeys(bytes: Buffer, pos: number, latest: KeyMap): void {
  const header = readBatchHeader(bytes, pos);
  if (header.isControl) return;
  for (const r of decodeRecordBatch(bytes, pos, { verifyCrc: false }).records) {
    if (r.key !== null) latest.set(r.key.toString('latin1'), r.offset);
  }
}

/**
 * The batch's bytes after compaction: the same Buffer when nothing changes, a new batch when some
 * records go, undefined when all of them go.
 */
export function compactBatch(
  bytes: Buffer,
  latest: KeyMap,
  tombstoneHorizon: number,
): { out: Buffer | undefined; removed: number } {
  const header = readBatchHeader(bytes, 0);
  if (header.isControl) return { out: bytes, removed: 0 };
  const { records } = decodeRecordBatch(bytes, 0, { verifyCrc: false });
  const keep = records.filter((r) => {
    if (r.key === null) return true;
    if (latest.get(r.key.toString('latin1')) !== r.offset) return false;
    return r.value !== null || r.timestamp >= tombstoneHorizon;
  });
  if (keep.length === records.length) return { out: bytes, removed: 0 };
  if (keep.length === 0) return { out: undefined, removed: records.length };
  const out = encodeRecordBatch(
    keep.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
      offsetDelta: r.offset - header.baseOffset,
    })),
    {
      baseOffset: header.baseOffset,
      partitionLeaderEpoch: header.partitionLeaderEpoch,
      baseTimestamp: header.baseTimestamp,
      timestampType: header.timestampType,
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      isTransactional: header.isTransactional,
      compression: header.compression,
      lastOffsetDelta: header.lastOffsetDelta,
    },
  );
  return { out, removed: records.length - keep.length };
}
