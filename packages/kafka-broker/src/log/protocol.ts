// The record-batch helpers the log needs, in one place, so the log's dependency on kafka-protocol is
// visible at a glance.

export {
  completeBatchSize,
  decodeRecordBatch,
  encodeRecordBatch,
  isBatchCrcValid,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RecordBatchError,
  readBatchHeader,
  readInt64,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
} from '@seaway/kafka-protocol';
