// kafkajs against the embedded broker and, when SEAWAY_TEST_KAFKA is set, the same scenarios against
// real Apache Kafka: produce/consume with keys, headers and gzip; a consumer group of 3 that rebalances
// when one member leaves; commit and resume; admin operations.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeRecordBatch, ErrorCode, scanBatches, ZERO_UUID } from '@seaway/kafka-protocol';
import { CompressionTypes, type Consumer, Kafka, logLevel } from 'kafkajs';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { OFFSETS_TOPIC, offsetsPartitionFor } from '../src/group/offset-store.ts';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

const real = realKafka();
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const targets: Array<{ name: string; skip: string | false; bootstrap: () => string }> = [];
let embedded: KafkaBroker;
targets.push({ name: 'embedded broker', skip: false, bootstrap: () => embedded.bootstrap });
targets.push({ name: 'Apache Kafka', skip: !real && 'no real Kafka', bootstrap: () => real as string });

before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

/** Retries a client call that real Kafka may refuse while a change propagates. */
// 30 s: a fresh Apache Kafka creates __consumer_offsets and loads its coordinator on first use.
async function retry<T>(fn: () => Promise<T>, attempts = 120): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() > end) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

for (const target of targets) {
  describe(`kafkajs against ${target.name}`, { skip: target.skip }, () => {
    const client = () =>
      new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING, clientId: 'seaway-test' });

    test('produce with keys, headers and gzip, consume from the beginning', async () => {
      const kafka = client();
      const topic = unique('kjs-basic');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
      const producer = kafka.producer();
      await producer.connect();
      const messages = Array.from({ length: 20 }, (_, i) => ({
        key: `k${i}`,
        value: `v${i}`,
        headers: { n: String(i) },
      }));
      await producer.send({ topic, messages, compression: CompressionTypes.GZIP });
      await producer.send({ topic, messages: [{ key: 'plain', value: 'none' }] });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: unique('kjs-g'), maxWaitTimeInMs: 300 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen = new Map<string, { value: string; header: string | undefined }>();
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.set(message.key?.toString() ?? '', {
            value: message.value?.toString() ?? '',
            header: message.headers?.n?.toString(),
          });
        },
      });
      await until('21 messages', () => seen.size === 21);
      await consumer.disconnect();
      assert.deepEqual(seen.get('k7'), { value: 'v7', header: '7' });
      assert.deepEqual(seen.get('plain'), { value: 'none', header: undefined });
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    });

    test('a consumer group of 3 rebalances when one member leaves', { timeout: 90_000 }, async () => {
      const kafka = client();
      const topic = unique('kjs-group');
      const groupId = unique('kjs-g3');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
      const assigned = new Map<Consumer, number[]>();
      const consumers: Consumer[] = [];
      for (let i = 0; i < 3; i++) {
        const consumer = kafka.consumer({
          groupId,
          sessionTimeout: 10_000,
          heartbeatInterval: 300,
          rebalanceTimeout: 20_000,
          maxWaitTimeInMs: 300,
        });
        consumer.on(consumer.events.GROUP_JOIN, (e) => assigned.set(consumer, e.payload.memberAssignment[topic] ?? []));
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage: async () => {} });
        consumers.push(consumer);
      }
      const spread = () => [...assigned.values()];
      await until('3 members sharing 6 partitions', () => {
        const s = spread();
        return s.length === 3 && s.every((p) => p.length === 2) && new Set(s.flat()).size === 6;
      });
      const leaving = consumers[2]!;
      await leaving.disconnect();
      assigned.delete(leaving);
      await until('2 members sharing 6 partitions', () => {
        const s = spread();
        return s.length === 2 && s.every((p) => p.length === 3) && new Set(s.flat()).size === 6;
      });
      const described = await admin.describeGroups([groupId]);
      assert.equal(described.groups[0]?.state, 'Stable');
      assert.equal(described.groups[0]?.members.length, 2);
      for (const c of consumers.slice(0, 2)) await c.disconnect();
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    });

    test('committed offsets survive the consumer: a new one resumes after the last commit', {
      timeout: 60_000,
    }, async () => {
      const kafka = client();
      const topic = unique('kjs-resume');
      const groupId = unique('kjs-gr');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
      const first = kafka.consumer({ groupId, maxWaitTimeInMs: 300 });
      await first.connect();
      await first.subscribe({ topic, fromBeginning: true });
      const got: string[] = [];
      await first.run({
        autoCommit: false,
        eachMessage: async ({ message }) => void got.push(message.value?.toString() ?? ''),
      });
      await until('10 messages', () => got.length === 10);
      await first.commitOffsets([{ topic, partition: 0, offset: '6' }]);
      await first.disconnect();
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      assert.equal(offsets[0]?.partitions[0]?.offset, '6');
      await producer.send({ topic, messages: [{ value: 'm10' }] });
      const second = kafka.consumer({ groupId, maxWaitTimeInMs: 300 });
      await second.connect();
      await second.subscribe({ topic, fromBeginning: true });
      const resumed: string[] = [];
      await second.run({ eachMessage: async ({ message }) => void resumed.push(message.value?.toString() ?? '') });
      await until('5 messages after the commit', () => resumed.length === 5);
      await second.disconnect();
      assert.deepEqual(resumed, ['m6', 'm7', 'm8', 'm9', 'm10']);
      await producer.disconnect();
      await admin.deleteGroups([groupId]);
      assert.ok(!(await admin.listGroups()).groups.some((g) => g.groupId === groupId));
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    });

    test('admin: describe configs, create partitions, delete records, offsets by timestamp, delete topic', async () => {
      const kafka = client();
      const topic = unique('kjs-admin');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
      });
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] });
      const entries = configs.resources[0]?.configEntries ?? [];
      assert.equal(entries.find((e) => e.configName === 'retention.ms')?.configValue, '3600000');
      assert.equal(entries.find((e) => e.configName === 'cleanup.policy')?.configValue, 'delete');
      await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(meta.topics[0]?.partitions.length, 3);
      const producer = kafka.producer();
      await producer.connect();
      const t0 = Date.now() - 10_000;
      await retry(() =>
        producer.send({
          topic,
          messages: Array.from({ length: 5 }, (_, i) => ({
            value: `x${i}`,
            partition: 0,
            timestamp: String(t0 + i * 1000),
          })),
        }),
      );
      await producer.disconnect();
      const byTs = await retry(() => admin.fetchTopicOffsetsByTimestamp(topic, t0 + 2500));
      assert.equal(byTs.find((p) => p.partition === 0)?.offset, '3');
      await retry(() => admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] }));
      const offsets = await retry(() => admin.fetchTopicOffsets(topic));
      const p0 = offsets.find((p) => p.partition === 0);
      assert.equal(p0?.low, '2');
      assert.equal(p0?.high, '5');
      await admin.deleteTopics({ topics: [topic] });
      assert.ok(!(await admin.listTopics()).includes(topic));
      await admin.disconnect();
    });

    test('committed offsets are records in the internal topic __consumer_offsets', async (t) => {
      if (target.name !== 'embedded broker' && process.env.SEAWAY_COMPARE_OFFSETS_TOPIC !== '1') {
        // On a freshly formatted Apache Kafka the first standalone commit is not found by this raw
        // fetch (it is on a cluster that has served groups before); the layout was compared on such
        // a cluster. SEAWAY_COMPARE_OFFSETS_TOPIC=1 runs it here anyway.
        t.skip('fresh Apache Kafka: compared on a warm cluster only (SEAWAY_COMPARE_OFFSETS_TOPIC=1)');
        return;
      }
      const kafka = client();
      const topic = unique('kjs-co');
      const groupId = unique('kjs-co-g');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      const raw = await RawClient.open(Number(target.bootstrap().split(':').at(-1)));
      try {
        const meta = async () =>
          (await raw.send(3, 12, { topics: [{ name: OFFSETS_TOPIC, topicId: ZERO_UUID }] })).body.topics[0];
        // a standalone commit (generation -1, no member), as kafka-consumer-groups --reset-offsets sends
        const commit = async (offset: bigint) => {
          const r = await raw.send(8, 8, {
            groupId,
            generationIdOrMemberEpoch: -1,
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
          });
          assert.equal(r.body.topics[0].partitions[0].errorCode, ErrorCode.NONE);
        };
        // Real Kafka creates __consumer_offsets when a client looks for a group coordinator (a commit
        // alone gets NOT_COORDINATOR on a fresh cluster), so ask first, as clients do.
        await retry(async () => {
          const r = await raw.send(10, 3, { key: groupId, keyType: 0 });
          assert.equal(r.body.errorCode, ErrorCode.NONE);
        });
        await retry(() => commit(1n));
        const m = await retry(async () => {
          const x = await meta();
          assert.equal(x.errorCode, ErrorCode.NONE);
          return x;
        });
        assert.equal(m.isInternal, true);
        assert.ok((await admin.listTopics()).includes(OFFSETS_TOPIC), 'kafkajs lists internal topics too');
        const partition = offsetsPartitionFor(groupId, m.partitions.length);
        // On a fresh Apache Kafka the partition's leader may still be loading: wait for a real offset.
        const from = await retry(async () => {
          const end = await raw.send(2, 7, {
            replicaId: -1,
            topics: [{ name: OFFSETS_TOPIC, partitions: [{ partitionIndex: partition, timestamp: -1n }] }],
          });
          const p = end.body.topics[0].partitions[0];
          assert.equal(p.errorCode, ErrorCode.NONE);
          assert.ok((p.offset as bigint) >= 0n);
          return p.offset as bigint;
        });
        await commit(7n);
        const found = await retry(async () => {
          const f = await raw.send(1, 12, {
            maxWaitMs: 0,
            minBytes: 1,
            maxBytes: 1 << 20,
            topics: [
              { topic: OFFSETS_TOPIC, partitions: [{ partition, fetchOffset: from, partitionMaxBytes: 1 << 20 }] },
            ],
          });
          const buf: Buffer = f.body.responses[0].partitions[0].records ?? Buffer.alloc(0);
          const mine = [];
          for (const b of scanBatches(buf).batches) {
            for (const r of decodeRecordBatch(buf, b.pos).records) {
              const k = r.key;
              if (!k || k.readInt16BE(0) > 1) continue;
              const g = k.toString('utf8', 4, 4 + k.readInt16BE(2));
              if (g === groupId) mine.push({ key: k, value: r.value });
            }
          }
          assert.ok(mine.length > 0, 'no commit record yet');
          return mine.at(-1)!;
        });
        // OffsetCommitKey v1 (group, topic, partition); the value starts with its version and the offset
        const name = (s: string) => Buffer.concat([Buffer.from([s.length >> 8, s.length & 255]), Buffer.from(s)]);
        assert.deepEqual(found.key, Buffer.concat([Buffer.from([0, 1]), name(groupId), name(topic), Buffer.alloc(4)]));
        assert.equal(found.value?.readBigInt64BE(2), 7n);
      } finally {
        raw.close();
        await admin.deleteGroups([groupId]).catch(() => undefined);
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        await admin.disconnect();
      }
    });
  });
}
