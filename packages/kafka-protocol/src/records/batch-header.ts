// Record batch v2 (magic 2) header: read it without touching the records, walk concatenated batches,
// check the CRC, and rewrite baseOffset / partitionLeaderEpoch in place.
//
// Layout (Kafka protocol guide, "Record Batch"): baseOffset int64, batchLength int32,
// partitionLeaderEpoch int32, magic int8, crc uint32, attributes int16, lastOffsetDelta int32,
// baseTimestamp int64, maxTimestamp int64, producerId int64, producerEpoch int16, baseSequence int32,
// recordCount int32, then the records. batchLength counts the bytes after itself. The CRC-32C covers
// attributes to the end, so baseOffset and partitionLeaderEpoch can change without recomputing it.

import { crc32c } from './crc32c.ts';
import { readInt64, writeInt64 } from './varint.ts';

export const BASE_OFFSET = 0;
export const BATCH_LENGTH = 8;
export const PARTITION_LEADER_EPOCH = 12;
export const MAGIC = 16;
export const CRC = 17;
export const ATTRIBUTES = 21;
export const LAST_OFFSET_DELTA = 23;
export const BASE_TIMESTAMP = 27;
export const MAX_TIMESTAMP = 35;
export const PRODUCER_ID = 43;
export const PRODUCER_EPOCH = 51;
export const BASE_SEQUENCE = 53;
export const RECORD_COUNT = 57;
/** Size of the v2 batch header; records start here. */
export const RECORD_BATCH_OVERHEAD = 61;
/** baseOffset + batchLength: the bytes before batchLength starts counting. */
export const LOG_OVERHEAD = 12;

export const CompressionType = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionName = keyof typeof CompressionType;
export const COMPRESSION_NAMES: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export const TimestampType = { createTime: 0, logAppendTime: 1 } as const;

export interface RecordBatchHeader {
  baseOffset: number;
  /** Bytes after the batchLength field; the whole batch is batchLength + 12 bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionName;
  timestampType: 0 | 1;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizonMs: boolean;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export class RecordBatchError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RecordBatchError';
    this.code = code;
  }
}

/** Reads the v2 header of the batch at `pos`. Throws RecordBatchError for other magics or short input. */
export function readBatchHeader(buf: Buffer, pos = 0): RecordBatchHeader {
  if (buf.length - pos < RECORD_BATCH_OVERHEAD) {
    throw new RecordBatchError(
      'SEAWAY_BATCH_TRUNCATED',
      `record batch header needs ${RECORD_BATCH_OVERHEAD} bytes, only ${buf.length - pos} left`,
    );
  }
  const magic = buf.readInt8(pos + MAGIC);
  if (magic !== 2) {
    throw new RecordBatchError(
      magic === 0 || magic === 1 ? 'SEAWAY_BATCH_LEGACY_MAGIC' : 'SEAWAY_BATCH_BAD_MAGIC',
      `record batch at byte ${pos} has magic ${magic}; only magic 2 (Kafka 0.11+) batches are stored` +
        (magic === 0 || magic === 1 ? ' (convert legacy message sets with decodeLegacyMessageSet)' : ''),
    );
  }
  const attributes = buf.readInt16BE(pos + ATTRIBUTES);
  const codec = attributes & 7;
  const compression = COMPRESSION_NAMES[codec];
  if (compression === undefined) {
    throw new RecordBatchError('SEAWAY_BATCH_BAD_COMPRESSION', `record batch uses unknown compression type ${codec}`);
  }
  return {
    baseOffset: readInt64(buf, pos + BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + BATCH_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH),
    magic,
    crc: buf.readUInt32BE(pos + CRC),
    attributes,
    compression,
    timestampType: attributes & 8 ? 1 : 0,
    isTransactional: (attributes & 16) !== 0,
    isControl: (attributes & 32) !== 0,
    hasDeleteHorizonMs: (attributes & 64) !== 0,
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, pos + BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, pos + MAX_TIMESTAMP),
    producerId: readInt64(buf, pos + PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + RECORD_COUNT),
  };
}

/** Total size in bytes of the batch (any magic) starting at `pos`, or -1 if its size field is not there yet. */
export function batchSizeAt(buf: Buffer, pos: number): number {
  if (buf.length - pos < LOG_OVERHEAD) return -1;
  return buf.readInt32BE(pos + BATCH_LENGTH) + LOG_OVERHEAD;
}

export interface BatchSpan {
  /** Byte position of the batch in the buffer. */
  pos: number;
  /** Total size in bytes. */
  size: number;
  header: RecordBatchHeader;
}

/**
 * Size of the complete v2 batch at `pos`, or -1 when the bytes up to `end` hold only part of it (a fetch
 * response may end in a partial batch). Throws on a legacy message or an impossible length.
 */
export function completeBatchSize(buf: Buffer, pos: number, end = buf.length): number {
  if (end - pos < LOG_OVERHEAD) return -1;
  const size = buf.readInt32BE(pos + BATCH_LENGTH) + LOG_OVERHEAD;
  const magic = end - pos > MAGIC ? buf.readInt8(pos + MAGIC) : 2;
  if (magic === 0 || magic === 1) {
    throw new RecordBatchError(
      'SEAWAY_BATCH_LEGACY_MAGIC',
      `message at byte ${pos} has magic ${magic} (a pre-0.11 client); decode it with decodeLegacyMessageSet`,
    );
  }
  if (size < RECORD_BATCH_OVERHEAD) {
    throw new RecordBatchError(
      'SEAWAY_BATCH_BAD_LENGTH',
      `record batch at byte ${pos} claims ${size} bytes, less than the ${RECORD_BATCH_OVERHEAD}-byte header`,
    );
  }
  return pos + size > end ? -1 : size;
}

/**
 * Walks concatenated v2 batches in `buf[start, end)`. Stops cleanly at a trailing partial batch;
 * `result.end` tells where the complete batches end.
 */
export function scanBatches(buf: Buffer, start = 0, end = buf.length): { batches: BatchSpan[]; end: number } {
  const batches: BatchSpan[] = [];
  let pos = start;
  for (;;) {
    const size = completeBatchSize(buf, pos, end);
    if (size < 0) break;
    batches.push({ pos, size, header: readBatchHeader(buf, pos) });
    pos += size;
  }
  return { batches, end: pos };
}

/** Iterates complete batches; see scanBatches. */
export function* iterateBatches(buf: Buffer, start = 0, end = buf.length): Generator<BatchSpan> {
  let pos = start;
  for (;;) {
    const size = completeBatchSize(buf, pos, end);
    if (size < 0) return;
    yield { pos, size, header: readBatchHeader(buf, pos) };
    pos += size;
  }
}

/** CRC-32C the batch at `pos` should carry (over attributes..end). */
export function computeBatchCrc(buf: Buffer, pos = 0, size = batchSizeAt(buf, pos)): number {
  return crc32c(buf, pos + ATTRIBUTES, pos + size);
}

/** True when the stored CRC matches the batch content. */
export function isBatchCrcValid(buf: Buffer, pos = 0, size = batchSizeAt(buf, pos)): boolean {
  if (size < RECORD_BATCH_OVERHEAD || pos + size > buf.length) return false;
  return buf.readUInt32BE(pos + CRC) === computeBatchCrc(buf, pos, size);
}

/** Throws SEAWAY_BATCH_CRC when the batch at `pos` is corrupt. */
export function assertBatchCrc(buf: Buffer, pos = 0): void {
  const size = batchSizeAt(buf, pos);
  if (!isBatchCrcValid(buf, pos, size)) {
    const stored = buf.length >= pos + CRC + 4 ? buf.readUInt32BE(pos + CRC) : -1;
    throw new RecordBatchError(
      'SEAWAY_BATCH_CRC',
      `record batch at byte ${pos} fails its CRC-32C (stored ${stored >>> 0}); the producer sent corrupt bytes`,
    );
  }
}

/** Rewrites baseOffset in place (not covered by the CRC). */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buf, pos + BASE_OFFSET, baseOffset);
}

/** Rewrites partitionLeaderEpoch in place (not covered by the CRC). */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + PARTITION_LEADER_EPOCH);
}

/**
 * Marks the batch at `pos` as LogAppendTime with `timestamp` as its maxTimestamp (what a broker does for
 * topics with message.timestamp.type=LogAppendTime) and recomputes the CRC, since both fields are
 * covered by it. Records then all read as `timestamp`.
 */
export function setLogAppendTime(buf: Buffer, pos: number, timestamp: number): void {
  const size = batchSizeAt(buf, pos);
  buf.writeInt16BE(buf.readInt16BE(pos + ATTRIBUTES) | 8, pos + ATTRIBUTES);
  writeInt64(buf, pos + MAX_TIMESTAMP, timestamp);
  buf.writeUInt32BE(crc32c(buf, pos + ATTRIBUTES, pos + size), pos + CRC);
}

/** Offset of the last record: baseOffset + lastOffsetDelta, read straight from the bytes. */
export function lastOffsetOf(buf: Buffer, pos = 0): number {
  return readInt64(buf, pos + BASE_OFFSET) + buf.readInt32BE(pos + LAST_OFFSET_DELTA);
}
