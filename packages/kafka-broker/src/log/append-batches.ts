// Validates appended bytes and assigns offsets: shared by every PartitionLog implementation.
//
// Each batch must be whole, magic 2, CRC-valid and hold at least one record. Offsets are assigned by
// rewriting baseOffset in place (outside the CRC), so the stored bytes are the producer's bytes; only
// LogAppendTime topics change covered fields (timestamp type, maxTimestamp) and so recompute the CRC.

import { LogError, LogErrorCode } from './errors.ts';
import {
  isBatchCrcValid,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  readInt64,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
} from './protocol.ts';

export interface AssignedBatch {
  pos: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

const MAGIC = 16;
const LAST_OFFSET_DELTA = 23;
const MAX_TIMESTAMP = 35;
const RECORD_COUNT = 57;

export function assignOffsets(
  buf: Buffer,
  nextOffset: number,
  maxBatchBytes: number,
  options: { partitionLeaderEpoch?: number | undefined; logAppendTime?: number | undefined } = {},
): AssignedBatch[] {
  const { partitionLeaderEpoch, logAppendTime } = options;
  const out: AssignedBatch[] = [];
  let pos = 0;
  let offset = nextOffset;
  while (pos < buf.length) {
    if (buf.length - pos < LOG_OVERHEAD + 5) {
      throw new LogError(LogErrorCode.CORRUPT_BATCH, `append holds ${buf.length - pos} stray bytes after its batches`);
    }
    const magic = buf.readInt8(pos + MAGIC);
    if (magic === 0 || magic === 1) {
      throw new LogError(
        LogErrorCode.LEGACY_FORMAT,
        `append holds a magic ${magic} message set (a pre-0.11 client); convert it to a v2 batch first`,
      );
    }
    const size = buf.readInt32BE(pos + 8) + LOG_OVERHEAD;
    if (magic !== 2 || size < RECORD_BATCH_OVERHEAD || pos + size > buf.length) {
      throw new LogError(
        LogErrorCode.CORRUPT_BATCH,
        `batch at byte ${pos} is not a whole v2 batch (magic ${magic}, ${size} bytes, ${buf.length - pos} present)`,
      );
    }
    if (size > maxBatchBytes) {
      throw new LogError(
        LogErrorCode.BATCH_TOO_LARGE,
        `batch of ${size} bytes exceeds the ${maxBatchBytes}-byte limit`,
      );
    }
    if (!isBatchCrcValid(buf, pos, size)) {
      throw new LogError(LogErrorCode.CORRUPT_BATCH, `batch at byte ${pos} fails its CRC-32C`);
    }
    const delta = buf.readInt32BE(pos + LAST_OFFSET_DELTA);
    if (delta < 0 || buf.readInt32BE(pos + RECORD_COUNT) < 1) {
      throw new LogError(LogErrorCode.CORRUPT_BATCH, `batch at byte ${pos} holds no records`);
    }
    out.push({
      pos,
      size,
      baseOffset: offset,
      lastOffset: offset + delta,
      maxTimestamp: readInt64(buf, pos + MAX_TIMESTAMP),
    });
    offset += delta + 1;
    pos += size;
  }
  if (out.length === 0) throw new LogError(LogErrorCode.CORRUPT_BATCH, 'append holds no batches');
  // rewrite only after every batch validated, so a rejected append leaves the buffer untouched
  for (const b of out) {
    setBaseOffset(buf, b.pos, b.baseOffset);
    if (partitionLeaderEpoch !== undefined) setPartitionLeaderEpoch(buf, b.pos, partitionLeaderEpoch);
    if (logAppendTime !== undefined) {
      setLogAppendTime(buf, b.pos, logAppendTime);
      b.maxTimestamp = logAppendTime;
    }
  }
  return out;
}
