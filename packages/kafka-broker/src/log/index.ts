// Partition log storage: one interface, an on-disk and an in-memory implementation.

export type { CompactionOptions, CompactionResult } from './compaction.ts';
export { LogError, LogErrorCode, type LogErrorCodeValue } from './errors.ts';
export { FileLog, type FileLogOptions, type OpenReport } from './file-log.ts';
export { MemoryLog, type MemoryLogOptions } from './memory-log.ts';
export type {
  AppendOptions,
  AppendResult,
  FsyncPolicy,
  LogConfig,
  PartitionLog,
  RetentionConfig,
  RetentionResult,
  TimestampLookup,
} from './types.ts';
