// Units of the transaction state: __transaction_state records (Kafka's v0 layout, plus the offsets
// Seaway appends to PrepareCommit) and a partition's open/aborted transactions, including the
// rebuild from a log that holds transactional batches and COMMIT/ABORT markers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecordBatch } from '@seaway/kafka-protocol';
import { MemoryLog } from '../src/log/index.ts';
import { encodeMarker, PartitionTxns } from '../src/txn/partition-txns.ts';
import {
  decodeTxnKey,
  decodeTxnValue,
  encodeTxnKey,
  encodeTxnValue,
  type TxnLogValue,
  txnPartitionFor,
} from '../src/txn/txn-log.ts';

const value: TxnLogValue = {
  producerId: 4242,
  producerEpoch: 7,
  timeoutMs: 60_000,
  state: 'PrepareCommit',
  partitions: [
    { topic: 'orders', partitions: [0, 2] },
    { topic: '__consumer_offsets', partitions: [3] },
  ],
  updateMs: 1_700_000_000_123,
  startMs: 1_700_000_000_000,
  offsets: [
    {
      group: 'g',
      topic: 'orders',
      partition: 0,
      offset: 17,
      leaderEpoch: -1,
      metadata: null,
      commitTimestamp: 1_700_000_000_123,
    },
  ],
};

test('transaction log records round-trip; a Kafka-written v0 value decodes with no offsets', () => {
  assert.equal(decodeTxnKey(encodeTxnKey('tid-é')), 'tid-é');
  assert.deepEqual(decodeTxnValue(encodeTxnValue(value)), value);
  const kafkaLayout = encodeTxnValue({ ...value, state: 'Ongoing', offsets: [] });
  // Kafka's v0 value: 2 + 8 + 2 + 4 + 1 + partitions + 8 + 8 bytes, nothing after
  const partitionsBytes = 4 + (2 + 6 + 4 + 8) + (2 + 18 + 4 + 4);
  assert.equal(kafkaLayout.length, 2 + 8 + 2 + 4 + 1 + partitionsBytes + 8 + 8);
  assert.deepEqual(decodeTxnValue(kafkaLayout).offsets, []);
  assert.equal(decodeTxnValue(kafkaLayout).state, 'Ongoing');
  // Java's "".hashCode() is 0; "a" is 97
  assert.equal(txnPartitionFor(''), 0);
  assert.equal(txnPartitionFor('a'), 97 % 10);
});

test('the LSO is the first offset of the oldest open transaction; aborted ones are listed by range', () => {
  const t = new PartitionTxns();
  assert.equal(t.lastStableOffset(10), 10);
  t.opened(1, 3);
  t.opened(2, 5);
  t.opened(1, 6); // same transaction, later batch
  assert.equal(t.lastStableOffset(10), 3);
  t.closed(1, 7, false);
  assert.equal(t.lastStableOffset(10), 5);
  t.closed(2, 8, true);
  assert.equal(t.lastStableOffset(10), 10);
  assert.deepEqual(t.abortedIn(0, 10), [{ producerId: 1n, firstOffset: 3n }]);
  assert.deepEqual(t.abortedIn(8, 10), [], 'the abort ended at 7');
  assert.deepEqual(t.abortedIn(0, 3), [], 'it started at 3');
  t.closed(3, 9, false); // a marker for a producer with nothing open changes nothing
  assert.equal(t.abortedIn(0, 10).length, 1);
});

test('rebuild from a log: data batches open transactions, markers close them', async () => {
  const log = new MemoryLog();
  const txnBatch = (pid: number, v: string) =>
    encodeRecordBatch([{ value: Buffer.from(v) }], {
      producerId: pid,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
    });
  await log.append(encodeRecordBatch([{ value: Buffer.from('plain') }])); // 0
  await log.append(txnBatch(10, 'a')); // 1
  await log.append(txnBatch(11, 'b')); // 2
  await log.append(encodeMarker(10, 0, false)); // 3 ABORT for 10
  await log.append(txnBatch(12, 'c')); // 4
  await log.append(encodeMarker(11, 0, true)); // 5 COMMIT for 11
  const t = new PartitionTxns();
  await t.rebuild(log);
  assert.deepEqual([...t.ongoing], [[12, 4]]);
  assert.equal(t.lastStableOffset(log.highWatermark), 4);
  assert.deepEqual(t.abortedIn(0, 6), [{ producerId: 10n, firstOffset: 1n }]);
});
