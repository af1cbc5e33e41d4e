// The narrow async interface one partition's log offers the broker, shared by the on-disk and the
// in-memory implementation (test/log-contract.test.ts runs the same suite against both).
//
// Offsets: logStartOffset <= offsets < highWatermark. This is a single-node broker, so the high
// watermark is the log end offset: everything appended is committed.

import type { CompactionOptions, CompactionResult } from './compaction.ts';

export interface AppendResult {
  /** Offset given to the first record appended. */
  baseOffset: number;
  /** Offset of the last record appended. */
  lastOffset: number;
  /** Wall-clock ms the log used for the append (LogAppendTime). */
  appendTime: number;
  /** Number of batches appended. */
  batches: number;
}

export interface AppendOptions {
  /** Written into each batch's partitionLeaderEpoch field (not covered by the CRC). */
  partitionLeaderEpoch?: number;
  /**
   * Topic has message.timestamp.type=LogAppendTime: each batch is stamped with the append time
   * (timestamp type bit, maxTimestamp, new CRC).
   */
  logAppendTime?: boolean;
}

export interface TimestampLookup {
  offset: number;
  timestamp: number;
}

export interface RetentionResult {
  /** Bytes the log no longer holds. */
  deletedBytes: number;
  /** Segments (or, in memory, batches) removed. */
  deletedUnits: number;
}

export interface PartitionLog {
  /** Next offset to be assigned; reads at this offset return nothing. */
  readonly highWatermark: number;
  /** First offset still readable. */
  readonly logStartOffset: number;
  /** Bytes held (sum of batch sizes). */
  readonly sizeBytes: number;
  /** Why part of the log cannot be read (damage found at open), or undefined when it is whole. */
  storageProblem?(): string | undefined;
  /**
   * Appends one or more whole v2 batches, checks their CRCs, assigns offsets by rewriting baseOffset
   * (in the given buffer), and stores the bytes as received.
   */
  append(batches: Buffer, options?: AppendOptions): Promise<AppendResult>;
  /**
   * Whole batches starting with the one that contains `offset`, up to `maxBytes` in total, but always
   * at least one batch. Empty at the high watermark; LogError OFFSET_OUT_OF_RANGE outside the log.
   */
  read(offset: number, maxBytes: number): Promise<Buffer>;
  /**
   * First record whose timestamp >= ts (ListOffsets). -1 gives the high watermark, -2 the log start,
   * -3 the first record with the largest timestamp (KIP-734). Undefined when no record qualifies.
   */
  offsetForTimestamp(ts: number): Promise<TimestampLookup | undefined>;
  /** Advances logStartOffset to `offset` (capped at the high watermark); returns the new start. */
  deleteRecordsBefore(offset: number): Promise<number>;
  /** Removes every batch whose last offset >= `offset` (whole batches); returns the new high watermark. */
  truncate(offset: number): Promise<number>;
  /** Deletes whole old data by the configured retention.ms / retention.bytes. */
  applyRetention(now?: number): Promise<RetentionResult>;
  /**
   * Compaction (cleanup.policy=compact): rewrites old data keeping the latest record per key, with
   * offsets unchanged. FileLog rewrites closed segments only; MemoryLog all batches but the newest.
   */
  compact(options?: CompactionOptions): Promise<CompactionResult>;
  /**
   * Changes retention, segment roll and batch size limits of an open log (AlterConfigs): fields left
   * out keep their value. Takes effect at the next append or retention pass; MemoryLog ignores the
   * segment fields (it has no segments). A bad value throws LogError BAD_CONFIG and changes nothing.
   */
  reconfigure(config: LogConfig): void;
  /** Forces appended data to stable storage (no-op in memory). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type FsyncPolicy = 'never' | 'always' | { everyMs: number };

export interface RetentionConfig {
  /** Delete data whose newest timestamp is older than this; -1 keeps forever. */
  retentionMs?: number;
  /** Delete the oldest data while the log is larger than this; -1 keeps everything. */
  retentionBytes?: number;
}

/** What reconfigure() can change on an open log. */
export interface LogConfig extends RetentionConfig {
  /** Roll before a segment grows past this many bytes (at least 1024). */
  segmentBytes?: number;
  /** Roll a non-empty active segment older than this many ms. */
  segmentMs?: number;
  /** Largest single batch accepted. */
  maxBatchBytes?: number;
}
