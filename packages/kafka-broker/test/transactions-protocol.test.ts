// Transaction APIs at the protocol level (raw requests), against the embedded broker and real
// Apache Kafka: the error codes a client sees for bad timeouts, ending a transaction that is not
// open, producing to a partition not added, partitions that do not exist, stale epochs after a new
// InitProducerId (fencing), client-written control batches; the LSO and aborted list in Fetch;
// AddOffsetsToTxn/TxnOffsetCommit offsets hidden until the commit (UNSTABLE_OFFSET_COMMIT for
// OffsetFetch requireStable, KIP-447); DescribeTransactions and ListTransactions with filters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, encodeRecordBatch } from '@seaway/kafka-protocol';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

const real = realKafka();
let embedded: KafkaBroker;
const targets = [
  { name: 'embedded broker', skip: false as string | false, port: () => embedded.port },
  { name: 'Apache Kafka', skip: !real && 'no real Kafka', port: () => Number((real as string).split(':').pop()) },
];

before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

const RETRIABLE: ReadonlySet<number> = new Set([
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.CONCURRENT_TRANSACTIONS,
  // a topic Apache Kafka has just created may not have its leader yet
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
]);

/** Sends until the error code is not a coordinator-loading or concurrent-transaction one. */
// biome-ignore lint/suspicious/noExplicitAny: tests read decoded bodies loosely
async function send(c: RawClient, key: number, version: number, body: object, code: (b: any) => number) {
  for (let i = 0; ; i++) {
    const r = await c.send(key, version, body as never);
    if (!RETRIABLE.has(code(r.body)) || i > 100) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
}

function batch(producerId: bigint, producerEpoch: number, baseSequence: number, values: string[], control = false) {
  return encodeRecordBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v) })),
    {
      producerId: Number(producerId),
      producerEpoch,
      baseSequence,
      isTransactional: true,
      isControl: control,
    },
  );
}

for (const target of targets) {
  describe(`transaction APIs against ${target.name}`, { skip: target.skip }, () => {
    test('error codes, fencing, LSO and aborted transactions in Fetch, describe and list', {
      timeout: 120_000,
    }, async () => {
      const c = await RawClient.open(target.port());
      try {
        const tid = unique('raw-tid');
        const topic = unique('raw-txn');
        const created = await c.send(19, 5, {
          topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        });
        assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);

        const coord = await send(c, 10, 4, { keyType: 1, coordinatorKeys: [tid] }, (b) => b.coordinators[0].errorCode);
        assert.equal(coord.coordinators[0].errorCode, ErrorCode.NONE);

        const badTimeout = await send(
          c,
          22,
          4,
          { transactionalId: tid, transactionTimeoutMs: 900_001, producerId: -1n, producerEpoch: -1 },
          (b) => b.errorCode,
        );
        assert.equal(badTimeout.errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);

        const init = await send(
          c,
          22,
          4,
          { transactionalId: tid, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 },
          (b) => b.errorCode,
        );
        assert.equal(init.errorCode, ErrorCode.NONE);
        const pid: bigint = init.producerId;
        const epoch: number = init.producerEpoch;

        const produce = async (records: Buffer) => ({
          body: await send(
            c,
            0,
            9,
            {
              transactionalId: tid,
              acks: -1,
              timeoutMs: 10_000,
              topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
            },
            (b) => b.responses[0].partitionResponses[0].errorCode,
          ),
        });
        const endTxn = (e: number, committed: boolean) =>
          send(c, 26, 3, { transactionalId: tid, producerId: pid, producerEpoch: e, committed }, (b) => b.errorCode);
        const addPartitions = (e: number, topics: Array<{ name: string; partitions: number[] }>) =>
          send(
            c,
            24,
            3,
            {
              v3AndBelowTransactionalId: tid,
              v3AndBelowProducerId: pid,
              v3AndBelowProducerEpoch: e,
              v3AndBelowTopics: topics,
            },
            (b) => b.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode,
          );
        const groupId = unique('raw-txn-g');
        const addOffsets = (e: number) =>
          send(c, 25, 3, { transactionalId: tid, producerId: pid, producerEpoch: e, groupId }, (b) => b.errorCode);
        const txnOffsetCommit = (e: number, offset: bigint) =>
          send(
            c,
            28,
            3,
            {
              transactionalId: tid,
              groupId,
              producerId: pid,
              producerEpoch: e,
              generationId: -1,
              memberId: '',
              groupInstanceId: null,
              topics: [
                {
                  name: topic,
                  partitions: [
                    { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: 'm' },
                  ],
                },
              ],
            },
            (b) => b.topics[0].partitions[0].errorCode,
          );
        const offsetFetch = async (requireStable: boolean) => {
          const r = await send(
            c,
            9,
            7,
            { groupId, topics: [{ name: topic, partitionIndexes: [0] }], requireStable },
            (b) => b.errorCode,
          );
          const p = r.topics[0].partitions[0];
          return [Number(p.committedOffset), p.errorCode];
        };
        const fetch = async (isolationLevel: number) => {
          const f = await c.send(1, 12, {
            maxWaitMs: 0,
            minBytes: 1,
            maxBytes: 1 << 20,
            isolationLevel,
            topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
          });
          const p = f.body.responses[0].partitions[0];
          return {
            hw: Number(p.highWatermark),
            lso: Number(p.lastStableOffset),
            bytes: (p.records?.length ?? 0) > 0,
            aborted: (p.abortedTransactions ?? []).map((a: { producerId: bigint; firstOffset: bigint }) => [
              a.producerId === pid,
              Number(a.firstOffset),
            ]),
          };
        };

        // nothing open yet
        assert.equal((await endTxn(epoch, true)).errorCode, ErrorCode.INVALID_TXN_STATE);
        // a transactional batch for a partition the transaction does not hold
        const early = await produce(batch(pid, epoch, 0, ['early']));
        assert.equal(early.body.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_TXN_STATE);

        // a partition that does not exist: nothing is added
        const missing = await addPartitions(epoch, [
          { name: topic, partitions: [0] },
          { name: topic, partitions: [7] },
        ]);
        const codes = new Map<number, number>();
        for (const t of missing.resultsByTopicV3AndBelow)
          for (const p of t.resultsByPartition) codes.set(p.partitionIndex, p.partitionErrorCode);
        assert.deepEqual(
          [codes.get(0), codes.get(7)],
          [ErrorCode.OPERATION_NOT_ATTEMPTED, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        );

        const added = await addPartitions(epoch, [{ name: topic, partitions: [0] }]);
        assert.equal(added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode, ErrorCode.NONE);
        // the v4+ (broker-side, KIP-890) batched form: verifyOnly asks without adding
        const verified = await c.send(24, 4, {
          transactions: [
            {
              transactionalId: tid,
              producerId: pid,
              producerEpoch: epoch,
              verifyOnly: true,
              topics: [{ name: topic, partitions: [0] }],
            },
            {
              transactionalId: unique('nobody'),
              producerId: pid,
              producerEpoch: epoch,
              verifyOnly: true,
              topics: [{ name: topic, partitions: [0] }],
            },
          ],
        });
        const verifiedCodes = verified.body.resultsByTransaction.map(
          (t: { topicResults: Array<{ resultsByPartition: Array<{ partitionErrorCode: number }> }> }) =>
            t.topicResults[0]!.resultsByPartition[0]!.partitionErrorCode,
        );
        assert.deepEqual(verifiedCodes, [ErrorCode.NONE, ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
        const p1 = await produce(batch(pid, epoch, 0, ['t0', 't1']));
        assert.equal(p1.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
        const control = await produce(batch(pid, epoch, 2, ['x'], true));
        assert.equal(control.body.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_RECORD);

        assert.equal((await addOffsets(epoch)).errorCode, ErrorCode.NONE);
        assert.equal((await txnOffsetCommit(epoch, 1n)).topics[0].partitions[0].errorCode, ErrorCode.NONE);
        assert.deepEqual(await offsetFetch(true), [-1, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
        assert.deepEqual(await offsetFetch(false), [-1, ErrorCode.NONE]);

        assert.deepEqual(await fetch(1), { hw: 2, lso: 0, bytes: false, aborted: [] });
        assert.deepEqual(await fetch(0), { hw: 2, lso: 0, bytes: true, aborted: [] });

        const described = await c.send(65, 0, { transactionalIds: [tid, unique('nobody')] });
        const [mine, nobody] = described.body.transactionStates;
        assert.equal(mine.errorCode, ErrorCode.NONE);
        assert.equal(mine.transactionState, 'Ongoing');
        assert.equal(mine.producerId, pid);
        // the data partition and the group's __consumer_offsets partition (Kafka has 50 of those, we 10)
        assert.deepEqual(
          mine.topics
            .map((t: { topic: string; partitions: number[] }) => [t.topic, t.partitions.length])
            .sort((a: [string], b: [string]) => a[0].localeCompare(b[0])),
          [
            ['__consumer_offsets', 1],
            [topic, 1],
          ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        );
        assert.ok(Number(mine.transactionStartTimeMs) > 0);
        assert.equal(nobody.errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);

        const listed = await c.send(66, 1, {
          stateFilters: ['Ongoing', 'Bogus'],
          producerIdFilters: [pid],
          durationFilter: -1n,
        });
        assert.deepEqual(listed.body.unknownStateFilters, ['Bogus']);
        assert.deepEqual(
          listed.body.transactionStates.map((s: { transactionalId: string; transactionState: string }) => [
            s.transactionalId,
            s.transactionState,
          ]),
          [[tid, 'Ongoing']],
        );
        const none = await c.send(66, 0, { stateFilters: ['CompleteAbort'], producerIdFilters: [pid] });
        assert.deepEqual(none.body.transactionStates, []);
        // the duration filter compares with the start time of the open transaction
        const young = await c.send(66, 1, { stateFilters: [], producerIdFilters: [pid], durationFilter: 3_600_000n });
        assert.deepEqual(young.body.transactionStates, []);

        // a new producer for the same id: the open transaction is aborted, the old epoch fenced
        const again = await send(
          c,
          22,
          4,
          { transactionalId: tid, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 },
          (b) => b.errorCode,
        );
        assert.equal(again.errorCode, ErrorCode.NONE);
        assert.equal(again.producerId, pid);
        assert.ok(again.producerEpoch > epoch);
        assert.deepEqual(await fetch(1), { hw: 3, lso: 3, bytes: true, aborted: [[true, 0]] });
        assert.deepEqual(await offsetFetch(true), [-1, ErrorCode.NONE], 'the aborted offset is gone');

        assert.equal((await endTxn(epoch, true)).errorCode, ErrorCode.PRODUCER_FENCED);
        const stale = await addPartitions(epoch, [{ name: topic, partitions: [0] }]);
        assert.equal(
          stale.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode,
          ErrorCode.PRODUCER_FENCED,
        );
        const zombie = await produce(batch(pid, epoch, 2, ['zombie']));
        assert.equal(zombie.body.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);

        // the new epoch commits
        const e2: number = again.producerEpoch;
        await addPartitions(e2, [{ name: topic, partitions: [0] }]);
        const p2 = await produce(batch(pid, e2, 0, ['ok']));
        assert.equal(p2.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
        assert.equal((await addOffsets(e2)).errorCode, ErrorCode.NONE);
        assert.equal((await txnOffsetCommit(e2, 4n)).topics[0].partitions[0].errorCode, ErrorCode.NONE);
        assert.equal((await endTxn(e2, true)).errorCode, ErrorCode.NONE);
        // Apache Kafka answers EndTxn before its markers are written: unstable for a moment (clients retry)
        let stable = await offsetFetch(true);
        for (let i = 0; stable[1] === ErrorCode.UNSTABLE_OFFSET_COMMIT && i < 100; i++) {
          await new Promise((res) => setTimeout(res, 100));
          stable = await offsetFetch(true);
        }
        assert.deepEqual(stable, [4, ErrorCode.NONE]);
        assert.equal((await endTxn(e2, true)).errorCode, ErrorCode.NONE, 'a retried commit answers NONE');
        assert.equal((await endTxn(e2, false)).errorCode, ErrorCode.INVALID_TXN_STATE);
        const end = await fetch(1);
        assert.deepEqual({ ...end, bytes: undefined }, { hw: 5, lso: 5, bytes: undefined, aborted: [[true, 0]] });
      } finally {
        c.close();
      }
    });
  });
}
