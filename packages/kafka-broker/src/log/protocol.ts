// The record-batch helpers the log needs, in one place. They come from kafka-protocol's records module
// by relative path because that package's src/index.ts (owned by the lead) does not re-export them
// yet; once it does, change this file to `from '@seaway/kafka-protocol'` and nothing else moves.

export {
  completeBatchSize,
  decodeRecordBatch,
  isBatchCrcValid,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RecordBatchError,
  readBatchHeader,
  readInt64,
  setBaseOffset,
  setPartitionLeaderEpoch,
} from '../../../kafka-protocol/src/records/index.ts';
