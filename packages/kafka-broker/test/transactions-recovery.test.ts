// A broker that stopped between PrepareCommit and CompleteCommit finishes the commit when it starts
// again: the COMMIT marker reaches the data partition (the LSO moves past it), the transaction's
// group offsets (carried on the PrepareCommit record) are committed, and the transaction is
// CompleteCommit. The PrepareCommit record is written into __transaction_state by hand, the way the
// coordinator writes it, to stand in for a crash at exactly that point. Embedded broker only.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode, encodeRecordBatch } from '@seaway/kafka-protocol';
import { FileLog } from '../src/log/index.ts';
import { encodeTxnKey, encodeTxnValue, TXN_TOPIC, txnPartitionFor } from '../src/txn/txn-log.ts';
import { RawClient, startTestBroker, tempDir, unique } from './support.ts';

test('a transaction found in PrepareCommit at start is completed: marker, group offsets, CompleteCommit', {
  timeout: 60_000,
}, async () => {
  const { dir, remove } = await tempDir();
  try {
    const tid = unique('recover-tid');
    const topic = unique('recover');
    const group = unique('recover-g');
    let broker = await startTestBroker({ dataDir: dir });
    let c = await RawClient.open(broker.port);
    await c.send(19, 5, {
      topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10_000,
    });
    const init = (
      await c.send(22, 4, { transactionalId: tid, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 })
    ).body;
    const pid = Number(init.producerId);
    const epoch: number = init.producerEpoch;
    await c.send(24, 3, {
      v3AndBelowTransactionalId: tid,
      v3AndBelowProducerId: init.producerId,
      v3AndBelowProducerEpoch: epoch,
      v3AndBelowTopics: [{ name: topic, partitions: [0] }],
    });
    const records = encodeRecordBatch([{ value: Buffer.from('r') }], {
      producerId: pid,
      producerEpoch: epoch,
      baseSequence: 0,
      isTransactional: true,
    });
    const produced = await c.send(0, 9, {
      transactionalId: tid,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
    });
    assert.equal(produced.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
    c.close();
    await broker.close();

    // the record the coordinator appends before it writes markers
    const log = await FileLog.open(join(dir, 'logs', `${TXN_TOPIC}-${txnPartitionFor(tid)}`));
    const now = Date.now();
    await log.append(
      encodeRecordBatch([
        {
          key: encodeTxnKey(tid),
          value: encodeTxnValue({
            producerId: pid,
            producerEpoch: epoch,
            timeoutMs: 60_000,
            state: 'PrepareCommit',
            partitions: [{ topic, partitions: [0] }],
            updateMs: now,
            startMs: now,
            offsets: [{ group, topic, partition: 0, offset: 9, leaderEpoch: -1, metadata: 'm', commitTimestamp: now }],
          }),
        },
      ]),
    );
    await log.close();

    broker = await startTestBroker({ dataDir: dir });
    c = await RawClient.open(broker.port);
    try {
      const f = await c.send(1, 12, {
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 1,
        topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
      });
      const p = f.body.responses[0].partitions[0];
      assert.deepEqual([Number(p.highWatermark), Number(p.lastStableOffset)], [2, 2], 'record + COMMIT marker');
      assert.deepEqual(p.abortedTransactions, []);
      const o = await c.send(9, 7, {
        groupId: group,
        topics: [{ name: topic, partitionIndexes: [0] }],
        requireStable: true,
      });
      const op = o.body.topics[0].partitions[0];
      assert.deepEqual([Number(op.committedOffset), op.metadata, op.errorCode], [9, 'm', ErrorCode.NONE]);
      const d = await c.send(65, 0, { transactionalIds: [tid] });
      assert.equal(d.body.transactionStates[0].transactionState, 'CompleteCommit');
    } finally {
      c.close();
      await broker.close();
    }
  } finally {
    await remove();
  }
});
