// Records inside a v2 batch: decode them (after decompression) and encode a batch from records.
//
// Record layout (Kafka protocol guide, "Record"): length varint, attributes int8, timestampDelta
// varlong, offsetDelta varint, keyLength varint + key, valueLength varint + value, header count varint,
// then per header keyLength varint + UTF-8 key, valueLength varint + value. Length -1 means null.

import { compress, decompress } from '../compression/index.ts';
import {
  ATTRIBUTES,
  assertBatchCrc,
  BASE_OFFSET,
  BASE_SEQUENCE,
  BASE_TIMESTAMP,
  BATCH_LENGTH,
  type CompressionName,
  CompressionType,
  CRC,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAX_TIMESTAMP,
  PARTITION_LEADER_EPOCH,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT,
  RecordBatchError,
  type RecordBatchHeader,
  readBatchHeader,
} from './batch-header.ts';
import { crc32c } from './crc32c.ts';
import { type Cursor, readVarint, varintSize, writeInt64, writeVarint } from './varint.ts';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  /** Absolute offset: baseOffset + offsetDelta. */
  offset: number;
  /** Absolute timestamp: baseTimestamp + timestampDelta (for LogAppendTime batches, maxTimestamp). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface DecodedBatch {
  header: RecordBatchHeader;
  records: KafkaRecord[];
}

export interface DecodeOptions {
  /** Check the CRC before decoding (default true). */
  verifyCrc?: boolean;
}

/** Decodes the v2 batch at `pos`: header, then records after decompressing them. */
export function decodeRecordBatch(buf: Buffer, pos = 0, options: DecodeOptions = {}): DecodedBatch {
  const header = readBatchHeader(buf, pos);
  const end = pos + header.batchLength + LOG_OVERHEAD;
  if (end > buf.length) {
    throw new RecordBatchError(
      'SEAWAY_BATCH_TRUNCATED',
      `record batch at byte ${pos} needs ${end - pos} bytes, only ${buf.length - pos} are there`,
    );
  }
  if (options.verifyCrc !== false) assertBatchCrc(buf, pos);
  if (header.recordCount < 0 || header.lastOffsetDelta < 0) {
    throw new RecordBatchError(
      'SEAWAY_BATCH_BAD_COUNT',
      `record batch at byte ${pos} claims ${header.recordCount} records, lastOffsetDelta ${header.lastOffsetDelta}`,
    );
  }
  let body = buf.subarray(pos + RECORD_BATCH_OVERHEAD, end);
  if (header.compression !== 'none') body = decompress(header.compression, body);
  const cursor: Cursor = { buf: body, pos: 0 };
  const records: KafkaRecord[] = new Array(header.recordCount);
  const logAppend = header.timestampType === 1;
  for (let i = 0; i < header.recordCount; i++) {
    const r = readRecord(cursor, header.baseOffset, header.baseTimestamp);
    if (logAppend) r.timestamp = header.maxTimestamp;
    records[i] = r;
  }
  return { header, records };
}

function readBytes(c: Cursor): Buffer | null {
  const len = readVarint(c);
  if (len < 0) return null;
  if (c.pos + len > c.buf.length) {
    throw new RecordBatchError('SEAWAY_RECORD_TRUNCATED', `record field of ${len} bytes runs past the batch end`);
  }
  const out = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return out;
}

function readRecord(c: Cursor, baseOffset: number, baseTimestamp: number): KafkaRecord {
  const length = readVarint(c);
  const start = c.pos;
  if (length < 0 || start + length > c.buf.length) {
    throw new RecordBatchError('SEAWAY_RECORD_TRUNCATED', `record of ${length} bytes runs past the batch end`);
  }
  c.pos++; // attributes: unused by every Kafka version so far
  const timestampDelta = readVarint(c);
  const offsetDelta = readVarint(c);
  const key = readBytes(c);
  const value = readBytes(c);
  const count = readVarint(c);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    const k = readBytes(c);
    if (k === null) throw new RecordBatchError('SEAWAY_RECORD_BAD_HEADER', 'record header key is null');
    headers.push({ key: k.toString('utf8'), value: readBytes(c) });
  }
  if (c.pos !== start + length) {
    throw new RecordBatchError(
      'SEAWAY_RECORD_BAD_LENGTH',
      `record claims ${length} bytes but its fields take ${c.pos - start}`,
    );
  }
  return { offset: baseOffset + offsetDelta, timestamp: baseTimestamp + timestampDelta, key, value, headers };
}

export interface RecordInput {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: ReadonlyArray<{ key: string; value: Buffer | string | null }>;
  /** Milliseconds since the epoch; defaults to the batch's baseTimestamp (or now). */
  timestamp?: number;
  /** Offset relative to the batch base; defaults to the record's index. Compaction keeps gaps. */
  offsetDelta?: number;
}

export interface EncodeBatchOptions {
  compression?: CompressionName;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  /** Defaults to the smallest record timestamp, or Date.now(). */
  baseTimestamp?: number;
  timestampType?: 0 | 1;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Defaults to the last record's offsetDelta; compaction keeps the original to preserve offsets. */
  lastOffsetDelta?: number;
}

const toBuf = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? Buffer.from(v, 'utf8') : v;

function encodeRecordsBody(records: readonly RecordInput[], baseTimestamp: number): Buffer {
  const parts: {
    key: Buffer | null;
    value: Buffer | null;
    headers: [Buffer, Buffer | null][];
    ts: number;
    delta: number;
  }[] = [];
  let total = 0;
  const sizes: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const key = toBuf(r.key);
    const value = toBuf(r.value);
    const headers: [Buffer, Buffer | null][] = (r.headers ?? []).map((h) => [
      Buffer.from(h.key, 'utf8'),
      toBuf(h.value),
    ]);
    const tsDelta = (r.timestamp ?? baseTimestamp) - baseTimestamp;
    const delta = r.offsetDelta ?? i;
    let size = 1 + varintSize(tsDelta) + varintSize(delta);
    size += key ? varintSize(key.length) + key.length : 1;
    size += value ? varintSize(value.length) + value.length : 1;
    size += varintSize(headers.length);
    for (const [hk, hv] of headers) {
      size += varintSize(hk.length) + hk.length + (hv ? varintSize(hv.length) + hv.length : 1);
    }
    sizes.push(size);
    total += varintSize(size) + size;
    parts.push({ key, value, headers, ts: tsDelta, delta });
  }
  const out = Buffer.allocUnsafe(total);
  let p = 0;
  const putBytes = (b: Buffer | null) => {
    if (b === null) return void (p = writeVarint(out, p, -1));
    p = writeVarint(out, p, b.length);
    p += b.copy(out, p);
  };
  for (let i = 0; i < parts.length; i++) {
    const r = parts[i]!;
    p = writeVarint(out, p, sizes[i]!);
    out[p++] = 0;
    p = writeVarint(out, p, r.ts);
    p = writeVarint(out, p, r.delta);
    putBytes(r.key);
    putBytes(r.value);
    p = writeVarint(out, p, r.headers.length);
    for (const [hk, hv] of r.headers) {
      putBytes(hk);
      putBytes(hv);
    }
  }
  return out;
}

/** Encodes one v2 batch holding `records` (offset deltas 0..n-1), compressed as asked, with a valid CRC. */
export function encodeRecordBatch(records: readonly RecordInput[], options: EncodeBatchOptions = {}): Buffer {
  if (records.length === 0)
    throw new RecordBatchError('SEAWAY_BATCH_EMPTY', 'a record batch needs at least one record');
  let minTs = Number.POSITIVE_INFINITY;
  for (const r of records) if (r.timestamp !== undefined && r.timestamp < minTs) minTs = r.timestamp;
  const baseTimestamp = options.baseTimestamp ?? (Number.isFinite(minTs) ? minTs : Date.now());
  let maxTs = baseTimestamp;
  for (const r of records) if (r.timestamp !== undefined && r.timestamp > maxTs) maxTs = r.timestamp;
  const compression = options.compression ?? 'none';
  const raw = encodeRecordsBody(records, baseTimestamp);
  const body = compression === 'none' ? raw : compress(compression, raw);
  const size = RECORD_BATCH_OVERHEAD + body.length;
  const out = Buffer.allocUnsafe(size);
  writeInt64(out, BASE_OFFSET, options.baseOffset ?? 0);
  out.writeInt32BE(size - LOG_OVERHEAD, BATCH_LENGTH);
  out.writeInt32BE(options.partitionLeaderEpoch ?? -1, PARTITION_LEADER_EPOCH);
  out.writeInt8(2, MAGIC);
  let attributes: number = CompressionType[compression];
  if (options.timestampType === 1) attributes |= 8;
  if (options.isTransactional) attributes |= 16;
  if (options.isControl) attributes |= 32;
  out.writeInt16BE(attributes, ATTRIBUTES);
  out.writeInt32BE(options.lastOffsetDelta ?? records.at(-1)!.offsetDelta ?? records.length - 1, LAST_OFFSET_DELTA);
  writeInt64(out, BASE_TIMESTAMP, baseTimestamp);
  writeInt64(out, MAX_TIMESTAMP, maxTs);
  writeInt64(out, PRODUCER_ID, options.producerId ?? -1);
  out.writeInt16BE(options.producerEpoch ?? -1, PRODUCER_EPOCH);
  out.writeInt32BE(options.baseSequence ?? -1, BASE_SEQUENCE);
  out.writeInt32BE(records.length, RECORD_COUNT);
  body.copy(out, RECORD_BATCH_OVERHEAD);
  out.writeUInt32BE(crc32c(out, ATTRIBUTES, size), CRC);
  return out;
}
