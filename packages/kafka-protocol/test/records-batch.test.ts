import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertBatchCrc,
  completeBatchSize,
  isBatchCrcValid,
  iterateBatches,
  lastOffsetOf,
  RECORD_BATCH_OVERHEAD,
  readBatchHeader,
  scanBatches,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
} from '../src/records/batch-header.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../src/records/records.ts';
import { CLIENT_BATCHES } from './records-fixtures.ts';

const errCode = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

const sample = (n: number, tag = 'r') =>
  Array.from({ length: n }, (_, i) => ({
    key: `${tag}-key-${i}`,
    value: `${tag}-value-${i}-`.repeat(i + 1),
    timestamp: 1_700_000_000_000 + i * 10,
    headers: i % 2 ? [{ key: 'h', value: `v${i}` }] : [],
  }));

test('batch header decodes every field without touching records', () => {
  const batch = encodeRecordBatch(sample(3), {
    baseOffset: 42,
    partitionLeaderEpoch: 7,
    producerId: 9001,
    producerEpoch: 3,
    baseSequence: 11,
    isTransactional: true,
    compression: 'gzip',
  });
  const h = readBatchHeader(batch);
  assert.equal(h.baseOffset, 42);
  assert.equal(h.batchLength, batch.length - 12);
  assert.equal(h.partitionLeaderEpoch, 7);
  assert.equal(h.magic, 2);
  assert.equal(h.compression, 'gzip');
  assert.equal(h.timestampType, 0);
  assert.equal(h.isTransactional, true);
  assert.equal(h.isControl, false);
  assert.equal(h.hasDeleteHorizonMs, false);
  assert.equal(h.lastOffsetDelta, 2);
  assert.equal(h.baseTimestamp, 1_700_000_000_000);
  assert.equal(h.maxTimestamp, 1_700_000_000_020);
  assert.equal(h.producerId, 9001);
  assert.equal(h.producerEpoch, 3);
  assert.equal(h.baseSequence, 11);
  assert.equal(h.recordCount, 3);
  assert.equal(lastOffsetOf(batch), 44);
});

for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`records round-trip through a ${compression} batch`, () => {
    const input = sample(20, compression);
    input.push({
      key: null as unknown as string,
      value: null as unknown as string,
      timestamp: 1_700_000_000_500,
      headers: [],
    });
    const batch = encodeRecordBatch(input, { compression, baseOffset: 100 });
    const { header, records } = decodeRecordBatch(batch);
    assert.equal(header.compression, compression);
    assert.equal(records.length, input.length);
    records.forEach((r, i) => {
      const want = input[i]!;
      assert.equal(r.offset, 100 + i);
      assert.equal(r.timestamp, want.timestamp);
      assert.equal(r.key?.toString() ?? null, want.key);
      assert.equal(r.value?.toString() ?? null, want.value);
      assert.deepEqual(
        r.headers.map((x) => [x.key, x.value?.toString()]),
        want.headers.map((x) => [x.key, x.value]),
      );
    });
  });
}

test('LogAppendTime batches report maxTimestamp for every record', () => {
  const batch = encodeRecordBatch(sample(2), { timestampType: 1 });
  const { header, records } = decodeRecordBatch(batch);
  assert.equal(header.timestampType, 1);
  for (const r of records) assert.equal(r.timestamp, header.maxTimestamp);
});

test('iterating concatenated batches stops cleanly before a trailing partial batch', () => {
  const a = encodeRecordBatch(sample(2, 'a'));
  const b = encodeRecordBatch(sample(3, 'b'), { compression: 'lz4' });
  const c = encodeRecordBatch(sample(1, 'c'));
  const all = Buffer.concat([a, b, c]);
  for (const cut of [all.length, all.length - 1, a.length + b.length + 5, a.length + b.length + 11]) {
    const buf = all.subarray(0, cut);
    const { batches, end } = scanBatches(buf);
    const want = cut === all.length ? 3 : 2;
    assert.equal(batches.length, want, `cut at ${cut}`);
    assert.equal(end, want === 3 ? all.length : a.length + b.length);
    assert.deepEqual(
      [...iterateBatches(buf)].map((x) => x.header.recordCount),
      [2, 3, 1].slice(0, want),
    );
  }
  assert.equal(completeBatchSize(all, 0), a.length);
  assert.equal(completeBatchSize(all.subarray(0, 20), 0), -1);
});

test('a batch length smaller than the header is rejected', () => {
  const batch = encodeRecordBatch(sample(1));
  batch.writeInt32BE(10, 8);
  assert.throws(() => scanBatches(batch), errCode('SEAWAY_BATCH_BAD_LENGTH'));
});

test('a flipped bit anywhere from attributes on fails the CRC; baseOffset and epoch rewrites do not', () => {
  const batch = encodeRecordBatch(sample(4), { compression: 'snappy' });
  assert.equal(isBatchCrcValid(batch), true);
  setBaseOffset(batch, 0, 123_456_789_012);
  setPartitionLeaderEpoch(batch, 0, 99);
  assert.equal(isBatchCrcValid(batch), true);
  assert.equal(readBatchHeader(batch).baseOffset, 123_456_789_012);
  assert.equal(readBatchHeader(batch).partitionLeaderEpoch, 99);
  assert.equal(decodeRecordBatch(batch).records[3]!.offset, 123_456_789_015);
  for (const pos of [21, 30, 60, RECORD_BATCH_OVERHEAD + 3, batch.length - 1]) {
    const bad = Buffer.from(batch);
    bad[pos]! ^= 0x10;
    assert.equal(isBatchCrcValid(bad), false, `byte ${pos}`);
    assert.throws(() => assertBatchCrc(bad), errCode('SEAWAY_BATCH_CRC'));
    assert.throws(() => decodeRecordBatch(bad), errCode('SEAWAY_BATCH_CRC'));
  }
});

test('a magic 0 or 1 message is named as legacy, other magics as bad', () => {
  const batch = encodeRecordBatch(sample(1));
  batch[16] = 1;
  assert.throws(() => readBatchHeader(batch), errCode('SEAWAY_BATCH_LEGACY_MAGIC'));
  assert.throws(() => scanBatches(batch), errCode('SEAWAY_BATCH_LEGACY_MAGIC'));
  batch[16] = 3;
  assert.throws(() => readBatchHeader(batch), errCode('SEAWAY_BATCH_BAD_MAGIC'));
});

test('setLogAppendTime stamps every record with the append time and keeps the CRC valid', () => {
  const batch = encodeRecordBatch(sample(3));
  setLogAppendTime(batch, 0, 1_800_000_000_000);
  assert.equal(isBatchCrcValid(batch), true);
  const { header, records } = decodeRecordBatch(batch);
  assert.equal(header.timestampType, 1);
  assert.equal(header.maxTimestamp, 1_800_000_000_000);
  assert.deepEqual(
    records.map((r) => r.timestamp),
    [1_800_000_000_000, 1_800_000_000_000, 1_800_000_000_000],
  );
});

test('a negative record count is rejected before any allocation', () => {
  const batch = encodeRecordBatch(sample(1));
  batch.writeInt32BE(-5, 57);
  assert.throws(() => decodeRecordBatch(batch, 0, { verifyCrc: false }), errCode('SEAWAY_BATCH_BAD_COUNT'));
});

test('an empty record list cannot be encoded', () => {
  assert.throws(() => encodeRecordBatch([]), errCode('SEAWAY_BATCH_EMPTY'));
});

for (const fx of CLIENT_BATCHES) {
  test(`batch written by a real client decodes: ${fx.name}`, () => {
    const buf = Buffer.from(fx.hex, 'hex');
    assert.equal(isBatchCrcValid(buf), true);
    const { header, records } = decodeRecordBatch(buf);
    assert.equal(header.compression, fx.compression);
    assert.deepEqual(
      records.map((r) => ({
        key: r.key?.toString() ?? null,
        value: r.value?.toString() ?? '',
        headers: r.headers.map((h) => [h.key, h.value?.toString() ?? '']),
      })),
      fx.records,
    );
  });
}

test('real-client fixtures cover every codec from both librdkafka and the Java client', () => {
  const seen = new Set(CLIENT_BATCHES.map((f) => `${f.name.split('-')[0]}-${f.compression}`));
  for (const client of ['kcat', 'java'])
    for (const c of ['gzip', 'snappy', 'lz4', 'zstd']) assert.ok(seen.has(`${client}-${c}`));
});

test('explicit offset deltas and lastOffsetDelta leave gaps, as compaction needs', () => {
  const batch = encodeRecordBatch(
    [
      { key: 'a', value: '1', offsetDelta: 1 },
      { key: 'b', value: '2', offsetDelta: 4 },
    ],
    { baseOffset: 10, lastOffsetDelta: 6 },
  );
  const { header, records } = decodeRecordBatch(batch);
  assert.equal(header.lastOffsetDelta, 6);
  assert.equal(header.recordCount, 2);
  assert.deepEqual(
    records.map((r) => r.offset),
    [11, 14],
  );
});
