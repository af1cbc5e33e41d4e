// kafkajs transactions against the embedded broker and, when SEAWAY_TEST_KAFKA is set, real Apache
// Kafka: commit and abort seen by a read_committed and a read_uncommitted consumer, sendOffsets
// visible to the group only after the commit, and fencing of a producer by a newer one with the same
// transactional id.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { startTestBroker, unique } from './support.ts';

const real = realKafka();
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

let embedded: KafkaBroker;
const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { name: 'Apache Kafka', skip: !real && 'no real Kafka', bootstrap: () => real as string },
];

before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

/** Reads values from the start of a 1-partition topic until `count` arrived or `ms` passed. */
async function readAll(kafka: Kafka, topic: string, readUncommitted: boolean, count: number, ms = 20_000) {
  const consumer = kafka.consumer({ groupId: unique('kjs-txn-read'), readUncommitted, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value?.toString() ?? '');
        if (seen.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

for (const target of targets) {
  describe(`kafkajs transactions against ${target.name}`, { skip: target.skip }, () => {
    const client = () =>
      new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING, clientId: 'seaway-txn' });

    test('committed records reach read_committed consumers, aborted ones only read_uncommitted', {
      timeout: 90_000,
    }, async () => {
      const kafka = client();
      const topic = unique('kjs-txn');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      const producer = kafka.producer({ transactionalId: unique('kjs-tid'), idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const t1 = await producer.transaction();
      await t1.send({ topic, messages: [{ value: 'c1' }, { value: 'c2' }] });
      await t1.commit();
      const t2 = await producer.transaction();
      await t2.send({ topic, messages: [{ value: 'a1' }, { value: 'a2' }, { value: 'a3' }] });
      await t2.abort();
      const t3 = await producer.transaction();
      await t3.send({ topic, messages: [{ value: 'c3' }] });
      await t3.commit();
      await producer.disconnect();

      assert.deepEqual(await readAll(kafka, topic, false, 3), ['c1', 'c2', 'c3']);
      assert.deepEqual(await readAll(kafka, topic, true, 6), ['c1', 'c2', 'a1', 'a2', 'a3', 'c3']);
    });

    test('sendOffsets: the group sees the offsets only after the commit, never after an abort', {
      timeout: 90_000,
    }, async () => {
      const kafka = client();
      const topic = unique('kjs-txn-offsets');
      const groupId = unique('kjs-txn-group');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const producer = kafka.producer({ transactionalId: unique('kjs-tid'), idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const committedOffset = async () =>
        (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset;

      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ value: 'x' }] });
      await aborted.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }],
      });
      await aborted.abort();
      assert.equal(await committedOffset(), '-1');

      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ value: 'y' }] });
      await txn.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: '42' }] }],
      });
      assert.equal(await committedOffset(), '-1', 'pending offsets are not visible before the commit');
      await txn.commit();
      assert.equal(await committedOffset(), '42');
      await producer.disconnect();
      await admin.disconnect();
    });

    test('a second producer with the same transactional id fences the first', { timeout: 90_000 }, async () => {
      const kafka = client();
      const topic = unique('kjs-txn-fence');
      const transactionalId = unique('kjs-tid');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      const old = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
      await old.connect();
      const zombie = await old.transaction();
      await zombie.send({ topic, messages: [{ value: 'zombie' }] });

      const fresh = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
      await fresh.connect();
      const t = await fresh.transaction(); // InitProducerId bumps the epoch, aborting the zombie's transaction
      await t.send({ topic, messages: [{ value: 'fresh' }] });
      await t.commit();

      await assert.rejects(zombie.commit(), (e: Error & { type?: string }) => {
        assert.match(String(e.type ?? e.name), /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/);
        return true;
      });
      await old.disconnect();
      await fresh.disconnect();
      assert.deepEqual(await readAll(kafka, topic, false, 1), ['fresh']);
    });
  });
}
