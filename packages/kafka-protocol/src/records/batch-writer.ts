// Writes one uncompressed v2 record batch straight into a reusable Writer: the producer's hot path.
//
// encodeRecordBatch (records.ts) takes any RecordInput and allocates per record; this writer takes the
// shape a producer holds (key and value Buffers, headers as a string map) and allocates nothing per
// record: header keys are encoded once and cached, ASCII header values are written byte by byte, and
// each record's length varint is written after its body, shifting the body only when the guessed
// width was wrong. Every record gets the batch's timestamp (delta 0) and offset delta = its index.

import type { Writer } from '../primitives/writer.ts';
import {
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_SEQUENCE,
  BASE_TIMESTAMP,
  BATCH_LENGTH,
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
} from './batch-header.ts';
import { crc32c } from './crc32c.ts';
import { varintSize, writeInt64, writeVarint } from './varint.ts';

export interface ProducerRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** Header values are written as UTF-8. */
  headers?: Readonly<Record<string, string>> | null;
}

const headerKeys = new Map<string, Buffer>();
const MAX_CACHED_KEYS = 1024;

function headerKey(k: string): Buffer {
  let b = headerKeys.get(k);
  if (b === undefined) {
    b = Buffer.from(k, 'utf8');
    if (headerKeys.size < MAX_CACHED_KEYS) headerKeys.set(k, b);
  }
  return b;
}

/** Upper bound of the bytes a record takes besides its length varint. */
function maxRecordSize(r: ProducerRecord, index: number): number {
  let n = 1 + 1 + 5 + 5 + 5 + (r.key?.length ?? 0) + 5 + (r.value?.length ?? 0) + 5;
  const h = r.headers;
  if (h) for (const k in h) n += 10 + headerKey(k).length + (h[k] as string).length * 3;
  return n + varintSize(index);
}

function putBytes(buf: Buffer, p: number, b: Buffer | null): number {
  if (b === null) {
    buf[p] = 1; // zigzag(-1)
    return p + 1;
  }
  p = writeVarint(buf, p, b.length);
  return p + b.copy(buf, p);
}

/** Length-prefixed UTF-8: ASCII (nearly every header value) without a native call. */
function putString(buf: Buffer, p: number, s: string): number {
  const n = s.length;
  const at = writeVarint(buf, p, n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = Buffer.byteLength(s, 'utf8');
      const start = writeVarint(buf, p, bytes);
      return start + buf.write(s, start, bytes, 'utf8');
    }
    buf[at + i] = c;
  }
  return at + n;
}

/** An idempotent producer's fields of a batch (InitProducerId's id and epoch, the partition's next sequence). */
export interface BatchProducer {
  id: number;
  epoch: number;
  baseSequence: number;
}

/**
 * Appends a batch of `records` to `w` and returns where it starts; the batch is
 * `w.buf.subarray(start, w.pos)` until the writer is reset. `timestamp` is the create time of all.
 * Without `producer` the batch carries no producer id (-1), epoch (-1) or sequence (-1).
 */
export function writeRecordBatch(
  w: Writer,
  records: readonly ProducerRecord[],
  timestamp: number,
  producer?: BatchProducer,
): number {
  const count = records.length;
  const start = w.pos;
  w.ensure(RECORD_BATCH_OVERHEAD);
  let p = start + RECORD_BATCH_OVERHEAD;
  for (let i = 0; i < count; i++) {
    const r = records[i] as ProducerRecord;
    const max = maxRecordSize(r, i);
    w.pos = p;
    w.ensure(max + 5);
    const buf = w.buf;
    const guess = varintSize(max);
    const body = p + guess;
    let q = body;
    buf[q++] = 0; // attributes
    buf[q++] = 0; // timestamp delta
    q = writeVarint(buf, q, i);
    q = putBytes(buf, q, r.key);
    q = putBytes(buf, q, r.value);
    const h = r.headers;
    if (h) {
      const countAt = q++;
      let n = 0;
      for (const k in h) {
        const kb = headerKey(k);
        q = writeVarint(buf, q, kb.length);
        q += kb.copy(buf, q);
        q = putString(buf, q, h[k] as string);
        n++;
      }
      if (n < 64) buf[countAt] = n << 1;
      else {
        // more than 63 headers: the count takes two bytes, move the headers up by one
        buf.copyWithin(countAt + 2, countAt + 1, q);
        writeVarint(buf, countAt, n);
        q++;
      }
    } else buf[q++] = 0;
    const size = q - body;
    const width = varintSize(size);
    if (width !== guess) {
      buf.copyWithin(p + width, body, q);
      q += width - guess;
    }
    writeVarint(buf, p, size);
    p = q;
  }
  w.pos = p;
  const out = w.buf;
  const size = p - start;
  writeInt64(out, start + BASE_OFFSET, 0);
  out.writeInt32BE(size - LOG_OVERHEAD, start + BATCH_LENGTH);
  out.writeInt32BE(-1, start + PARTITION_LEADER_EPOCH);
  out[start + MAGIC] = 2;
  out.writeInt16BE(0, start + ATTRIBUTES);
  out.writeInt32BE(count - 1, start + LAST_OFFSET_DELTA);
  writeInt64(out, start + BASE_TIMESTAMP, timestamp);
  writeInt64(out, start + MAX_TIMESTAMP, timestamp);
  writeInt64(out, start + PRODUCER_ID, producer ? producer.id : -1);
  out.writeInt16BE(producer ? producer.epoch : -1, start + PRODUCER_EPOCH);
  out.writeInt32BE(producer ? producer.baseSequence : -1, start + BASE_SEQUENCE);
  out.writeInt32BE(count, start + RECORD_COUNT);
  out.writeUInt32BE(crc32c(out, start + ATTRIBUTES, p), start + CRC);
  return start;
}
