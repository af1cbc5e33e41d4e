// Legacy message sets (magic 0 and 1, clients before Kafka 0.11): decode them far enough to convert
// them to a v2 batch or reject them with a clear error.
//
// Entry layout (Kafka protocol guide, "Message Sets"): offset int64, messageSize int32, crc uint32
// (CRC-32/IEEE over magic..end), magic int8, attributes int8 (bits 0-2 compression, bit 3 timestamp
// type in v1), timestamp int64 (v1 only), key int32-length bytes, value int32-length bytes. A compressed
// message carries a whole inner message set as its value. Kafka 4 no longer accepts these from
// producers; the broker can answer UNSUPPORTED_VERSION, or convert with legacyToRecordBatch.

import { crc32 } from 'node:zlib';
import { decompress } from '../compression/index.ts';
import { COMPRESSION_NAMES, RecordBatchError } from './batch-header.ts';
import { encodeRecordBatch } from './records.ts';
import { readInt64 } from './varint.ts';

export interface LegacyMessage {
  offset: number;
  magic: 0 | 1;
  /** -1 for magic 0, which has no timestamp. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

const ENTRY_OVERHEAD = 12; // offset + messageSize
const MIN_MESSAGE = 4 + 1 + 1 + 4 + 4; // crc, magic, attributes, key length, value length

function readBytes(buf: Buffer, pos: number, end: number): [Buffer | null, number] {
  if (pos + 4 > end) throw new RecordBatchError('SEAWAY_LEGACY_TRUNCATED', 'legacy message field cut short');
  const len = buf.readInt32BE(pos);
  pos += 4;
  if (len < 0) return [null, pos];
  if (pos + len > end)
    throw new RecordBatchError('SEAWAY_LEGACY_TRUNCATED', `legacy message field of ${len} bytes runs past its end`);
  return [buf.subarray(pos, pos + len), pos + len];
}

/**
 * Decodes a v0/v1 message set, unwrapping compressed wrapper messages. A trailing partial entry is
 * ignored, like a fetch response's. Throws RecordBatchError with SEAWAY_LEGACY_* codes on corruption.
 */
export function decodeLegacyMessageSet(buf: Buffer, depth = 0): LegacyMessage[] {
  const out: LegacyMessage[] = [];
  let pos = 0;
  while (pos + ENTRY_OVERHEAD <= buf.length) {
    const offset = readInt64(buf, pos);
    const size = buf.readInt32BE(pos + 8);
    const start = pos + ENTRY_OVERHEAD;
    const end = start + size;
    if (size < MIN_MESSAGE) {
      throw new RecordBatchError('SEAWAY_LEGACY_BAD_LENGTH', `legacy message at byte ${pos} claims ${size} bytes`);
    }
    if (end > buf.length) break;
    const crc = buf.readUInt32BE(start);
    if (crc32(buf.subarray(start + 4, end)) !== crc) {
      throw new RecordBatchError('SEAWAY_LEGACY_CRC', `legacy message at byte ${pos} fails its CRC-32`);
    }
    const magic = buf[start + 4]!;
    if (magic !== 0 && magic !== 1) {
      throw new RecordBatchError(
        'SEAWAY_BATCH_BAD_MAGIC',
        `expected a magic 0/1 message at byte ${pos}, found ${magic}`,
      );
    }
    const attributes = buf[start + 5]!;
    let p = start + 6;
    let timestamp = -1;
    if (magic === 1) {
      timestamp = readInt64(buf, p);
      p += 8;
    }
    const [key, afterKey] = readBytes(buf, p, end);
    const [value] = readBytes(buf, afterKey, end);
    const codec = COMPRESSION_NAMES[attributes & 7];
    if (codec === undefined || codec === 'zstd') {
      throw new RecordBatchError('SEAWAY_BATCH_BAD_COMPRESSION', `legacy message uses compression ${attributes & 7}`);
    }
    if (codec === 'none') {
      out.push({ offset, magic, timestamp, key, value });
    } else {
      if (depth > 0 || value === null) {
        throw new RecordBatchError('SEAWAY_LEGACY_BAD_WRAPPER', 'compressed legacy message is nested or empty');
      }
      const inner = decodeLegacyMessageSet(decompress(codec, value), depth + 1);
      // v1 inner offsets are relative: the wrapper carries the last inner offset
      const last = inner.at(-1);
      const shift = magic === 1 && last ? offset - last.offset : 0;
      for (const m of inner)
        out.push({
          ...m,
          offset: m.offset + shift,
          timestamp: magic === 1 && attributes & 8 ? timestamp : m.timestamp,
        });
    }
    pos = end;
  }
  return out;
}

/** Converts a legacy message set to one v2 batch (uncompressed unless asked), or undefined if it holds none. */
export function legacyToRecordBatch(buf: Buffer, now = Date.now()): Buffer | undefined {
  const messages = decodeLegacyMessageSet(buf);
  if (messages.length === 0) return undefined;
  return encodeRecordBatch(
    messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp >= 0 ? m.timestamp : now })),
  );
}
