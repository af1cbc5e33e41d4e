// Record batch v2, legacy message sets, CRC-32C and varints: everything about the bytes of a log.

export * from './batch-header.ts';
export { type ProducerRecord, writeRecordBatch } from './batch-writer.ts';
export { crc32c } from './crc32c.ts';
export {
  decodeLegacyMessageSet,
  type LegacyMessage,
  legacyToRecordBatch,
} from './legacy.ts';
export {
  type DecodedBatch,
  type DecodeOptions,
  decodeRecordBatch,
  type EncodeBatchOptions,
  encodeRecordBatch,
  type KafkaRecord,
  type RecordHeader,
  type RecordInput,
} from './records.ts';
export { readInt64, readVarint, varintSize, writeInt64, writeVarint } from './varint.ts';
