// transaction.version 2 (KIP-890 part 2) at the protocol level (raw requests), against the embedded
// broker and real Apache Kafka 4.1.1 (which finalizes transaction.version 2 by default): ApiVersions v4
// lists it finalized; a Produce v12 transactional batch joins the transaction without AddPartitionsToTxn,
// a TxnOffsetCommit v5 without AddOffsetsToTxn; EndTxn v5 answers the same producer id with the epoch
// bumped; a retried EndTxn with the old epoch answers NONE; the old epoch is fenced on Produce; the next
// transaction (new epoch) aborts and bumps again. Fetch read_committed then serves the committed batch
// and lists the aborted one; OffsetFetch has the committed group offset. Both brokers must answer the
// same codes.

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
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
]);

// biome-ignore lint/suspicious/noExplicitAny: tests read decoded bodies loosely
async function send(c: RawClient, key: number, version: number, body: object, code: (b: any) => number) {
  for (let i = 0; ; i++) {
    const r = await c.send(key, version, body as never);
    if (!RETRIABLE.has(code(r.body)) || i > 100) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
}

const batch = (producerId: bigint, producerEpoch: number, baseSequence: number, values: string[]) =>
  encodeRecordBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v) })),
    { producerId: Number(producerId), producerEpoch, baseSequence, isTransactional: true },
  );

for (const target of targets) {
  describe(`transaction.version 2 against ${target.name}`, { skip: target.skip }, () => {
    test('implicit partition and group add, EndTxn v5 epoch bump, retry, fencing, read_committed', {
      timeout: 120_000,
    }, async () => {
      const c = await RawClient.open(target.port());
      try {
        const versions = await c.send(18, 4, { clientSoftwareName: 'seaway-test', clientSoftwareVersion: '1' });
        const finalized = new Map(
          versions.body.finalizedFeatures.map((f: { name: string; maxVersionLevel: number }) => [
            f.name,
            f.maxVersionLevel,
          ]),
        );
        assert.equal(finalized.get('transaction.version'), 2);

        const tid = unique('tv2-tid');
        const topic = unique('tv2');
        const groupId = unique('tv2-g');
        const created = await c.send(19, 5, {
          topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        });
        assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);
        await send(c, 10, 4, { keyType: 1, coordinatorKeys: [tid] }, (b) => b.coordinators[0].errorCode);
        const init = await send(
          c,
          22,
          5,
          { transactionalId: tid, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 },
          (b) => b.errorCode,
        );
        assert.equal(init.errorCode, ErrorCode.NONE);
        const pid: bigint = init.producerId;
        const e0: number = init.producerEpoch;

        const produce = (records: Buffer) =>
          send(
            c,
            0,
            12,
            {
              transactionalId: tid,
              acks: -1,
              timeoutMs: 10_000,
              topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
            },
            (b) => b.responses[0].partitionResponses[0].errorCode,
          ).then((b) => b.responses[0].partitionResponses[0].errorCode as number);
        const endTxn = (e: number, committed: boolean) =>
          send(c, 26, 5, { transactionalId: tid, producerId: pid, producerEpoch: e, committed }, (b) => b.errorCode);
        const txnOffsetCommit = (e: number, offset: bigint) =>
          send(
            c,
            28,
            5,
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
                    { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' },
                  ],
                },
              ],
            },
            (b) => b.topics[0].partitions[0].errorCode,
          ).then((b) => b.topics[0].partitions[0].errorCode as number);

        // transaction 1: no AddPartitionsToTxn, no AddOffsetsToTxn
        assert.equal(await produce(batch(pid, e0, 0, ['c1', 'c2'])), ErrorCode.NONE);
        await c.send(10, 4, { keyType: 0, coordinatorKeys: [groupId] });
        assert.equal(await txnOffsetCommit(e0, 2n), ErrorCode.NONE);
        const committed = await endTxn(e0, true);
        assert.equal(committed.errorCode, ErrorCode.NONE);
        assert.equal(committed.producerId, pid);
        assert.equal(committed.producerEpoch, e0 + 1, 'EndTxn v5 bumps the epoch');
        // the client did not see the answer and retries with the epoch it had
        const retried = await endTxn(e0, true);
        assert.equal(retried.errorCode, ErrorCode.NONE);
        // a late batch of the ended transaction is fenced
        const late = await produce(batch(pid, e0, 2, ['late']));
        assert.equal(late, ErrorCode.INVALID_PRODUCER_EPOCH);

        // transaction 2 with the new epoch (sequence numbers start again), aborted
        const e1 = e0 + 1;
        assert.equal(await produce(batch(pid, e1, 0, ['a1'])), ErrorCode.NONE);
        const aborted = await endTxn(e1, false);
        assert.equal(aborted.errorCode, ErrorCode.NONE);
        assert.equal(aborted.producerEpoch, e1 + 1);

        // Apache Kafka writes the markers a moment after EndTxn answers: fetch until the ABORT one is in
        const fetchAll = () =>
          c.send(1, 12, {
            maxWaitMs: 0,
            minBytes: 1,
            maxBytes: 1 << 20,
            isolationLevel: 1,
            topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
          });
        let f = await fetchAll();
        for (let i = 0; i < 40 && Number(f.body.responses[0].partitions[0].highWatermark) < 5; i++) {
          await new Promise((r) => setTimeout(r, 250));
          f = await fetchAll();
        }
        const p = f.body.responses[0].partitions[0];
        // c1 c2, COMMIT marker, a1, ABORT marker
        assert.equal(Number(p.highWatermark), 5);
        assert.equal(Number(p.lastStableOffset), 5);
        assert.deepEqual(
          (p.abortedTransactions ?? []).map((a: { producerId: bigint; firstOffset: bigint }) => [
            a.producerId === pid,
            Number(a.firstOffset),
          ]),
          [[true, 3]],
        );
        const fetched = await send(
          c,
          9,
          7,
          { groupId, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: true },
          (b) => b.topics[0].partitions[0].errorCode,
        );
        assert.equal(Number(fetched.topics[0].partitions[0].committedOffset), 2);
      } finally {
        c.socket.destroy();
      }
    });
  });
}
