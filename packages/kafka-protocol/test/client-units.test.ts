// The producer's pieces that need no broker: the Java-compatible key hash and the batch writer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { murmur2, partitionForKey } from '../src/client/murmur2.ts';
import { Writer } from '../src/primitives/writer.ts';
import { isBatchCrcValid } from '../src/records/batch-header.ts';
import { type ProducerRecord, writeRecordBatch } from '../src/records/batch-writer.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../src/records/records.ts';

test('murmur2 gives the values of the Java client (Kafka UtilsTest vectors)', () => {
  const cases: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [s, h] of cases) assert.equal(murmur2(Buffer.from(s)), h, s);
});

test('partitionForKey is the positive hash modulo the partition count', () => {
  assert.equal(partitionForKey(Buffer.from('21'), 7), (-973932308 & 0x7fffffff) % 7);
  for (let i = 0; i < 200; i++) {
    const p = partitionForKey(Buffer.from(`k${i}`), 9);
    assert.ok(p >= 0 && p < 9);
  }
});

function roundTrip(records: ProducerRecord[], ts = 1_700_000_000_000) {
  const w = new Writer(16);
  w.raw(Buffer.from('prefix')); // a batch may start anywhere in the writer
  const start = writeRecordBatch(w, records, ts);
  const batch = Buffer.from(w.view().subarray(start));
  assert.ok(isBatchCrcValid(batch), 'CRC-32C of the batch is valid');
  return { batch, decoded: decodeRecordBatch(batch) };
}

test('a written batch decodes to the same keys, values, headers, offsets and timestamp', () => {
  const records: ProducerRecord[] = [
    { key: Buffer.from('k1'), value: Buffer.from('v1'), headers: { 'mqtt.topic': '/ais/1', 'mqtt.qos': '1' } },
    { key: null, value: Buffer.alloc(0), headers: null },
    { key: Buffer.alloc(0), value: null },
    { key: null, value: Buffer.from('unicode'), headers: { héader: 'välue ✓', empty: '' } },
  ];
  const { decoded } = roundTrip(records);
  assert.equal(decoded.header.recordCount, 4);
  assert.equal(decoded.header.lastOffsetDelta, 3);
  assert.equal(decoded.header.baseTimestamp, 1_700_000_000_000);
  assert.deepEqual(
    decoded.records.map((r) => ({
      offset: r.offset,
      timestamp: r.timestamp,
      key: r.key?.toString() ?? null,
      value: r.value?.toString() ?? null,
      headers: r.headers.map((h) => [h.key, h.value?.toString()]),
    })),
    [
      {
        offset: 0,
        timestamp: 1_700_000_000_000,
        key: 'k1',
        value: 'v1',
        headers: [
          ['mqtt.topic', '/ais/1'],
          ['mqtt.qos', '1'],
        ],
      },
      { offset: 1, timestamp: 1_700_000_000_000, key: null, value: '', headers: [] },
      { offset: 2, timestamp: 1_700_000_000_000, key: '', value: null, headers: [] },
      {
        offset: 3,
        timestamp: 1_700_000_000_000,
        key: null,
        value: 'unicode',
        headers: [
          ['héader', 'välue ✓'],
          ['empty', ''],
        ],
      },
    ],
  );
});

test('record sizes around the varint width boundaries and more than 63 headers decode exactly', () => {
  const records: ProducerRecord[] = [];
  for (const n of [0, 50, 55, 56, 57, 60, 63, 64, 100, 8180, 8185, 8191, 8192, 70_000]) {
    records.push({ key: null, value: Buffer.alloc(n, n % 251) });
  }
  const many: Record<string, string> = {};
  for (let i = 0; i < 70; i++) many[`h${i}`] = `v${i}`;
  records.push({ key: Buffer.from('many'), value: Buffer.from('x'), headers: many });
  const { decoded } = roundTrip(records);
  assert.equal(decoded.records.length, records.length);
  decoded.records.forEach((r, i) => {
    assert.deepEqual(r.value, records[i]?.value, `record ${i}`);
    assert.equal(r.offset, i);
  });
  const last = decoded.records.at(-1);
  assert.equal(last?.headers.length, 70);
  assert.equal(last?.headers[69]?.value?.toString(), 'v69');
});

test('the batch writer produces the same bytes as the general encoder for the same records', () => {
  const records: ProducerRecord[] = [
    { key: Buffer.from('a'), value: Buffer.from('1'), headers: { x: 'y' } },
    { key: null, value: Buffer.from('2'), headers: null },
  ];
  const { batch } = roundTrip(records, 42);
  const general = encodeRecordBatch(
    records.map((r) => ({
      key: r.key,
      value: r.value,
      headers: Object.entries(r.headers ?? {}).map(([key, value]) => ({ key, value })),
      timestamp: 42,
    })),
    { baseTimestamp: 42 },
  );
  assert.deepEqual(batch, general);
});
