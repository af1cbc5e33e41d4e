// DeleteRecords and cleanup.policy, on the embedded broker and on Apache Kafka: a topic that is
// compacted only refuses it with POLICY_VIOLATION (kafkajs deleteTopicRecords and the Java
// kafka-delete-records tool) and keeps every record; compact,delete and delete topics are cut.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const javaSkip = !javaAvailable()
  ? 'java not installed'
  : !isFetched()
    ? 'Kafka jars not fetched (node scripts/kafka/kafka.mjs fetch)'
    : false;
if (javaSkip) process.stderr.write(`\n!!!!!!!!\nSKIPPED: kafka-delete-records legs: ${javaSkip}\n!!!!!!!!\n\n`);

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ dataDir: null });
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

type PartitionErrors = { partitions?: Array<{ error?: { type?: string } }> };

/** Retries retriable errors while a fresh topic's leader is not known yet (Apache Kafka). */
async function retry<T>(fn: () => Promise<T>, attempts = 40): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || (e as { retriable?: boolean }).retriable === false) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

for (const target of targets) {
  describe(`DeleteRecords and cleanup.policy on ${target.name}`, { skip: target.skip }, () => {
    let kafka: Kafka;
    let admin: Admin;
    before(async () => {
      kafka = new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING, clientId: 'seaway-policy' });
      admin = kafka.admin();
      await admin.connect();
    });
    after(() => admin.disconnect());

    /** A topic with `policy`, 4 keyed records in its one partition. */
    async function topicWith(policy: string): Promise<string> {
      const topic = unique(`dr-${policy.replace(',', '-')}`);
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: policy }] }],
      });
      const producer = kafka.producer();
      await producer.connect();
      await retry(() =>
        producer.send({ topic, acks: -1, messages: [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `v${i}` })) }),
      );
      await producer.disconnect();
      await admin.fetchTopicMetadata({ topics: [topic] }); // deleteTopicRecords needs the leader in the admin's metadata
      return topic;
    }
    const low = async (topic: string) => (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)?.low;

    test('kafkajs deleteTopicRecords on a compact topic fails with POLICY_VIOLATION and deletes nothing', async () => {
      const topic = await topicWith('compact');
      await assert.rejects(
        retry(() => admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] })),
        (e: Error & { cause?: PartitionErrors } & PartitionErrors) => {
          // kafkajs wraps the non-retriable KafkaJSDeleteTopicRecordsError; its partitions name the code
          const types = (e.cause?.partitions ?? e.partitions ?? []).map((x) => x.error?.type);
          assert.deepEqual(types, ['POLICY_VIOLATION'], `${e.message}: ${JSON.stringify(types)}`);
          return true;
        },
      );
      assert.equal(await low(topic), '0');
    });

    for (const policy of ['compact,delete', 'delete']) {
      test(`kafkajs deleteTopicRecords on a ${policy} topic moves the log start`, async () => {
        const topic = await topicWith(policy);
        await retry(() => admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] }));
        assert.equal(await low(topic), '2');
      });
    }

    test('kafka-delete-records: POLICY_VIOLATION on compact, low_watermark on compact,delete', {
      skip: javaSkip,
      timeout: 90_000,
    }, async () => {
      const compact = await topicWith('compact');
      const both = await topicWith('compact,delete');
      const file = join(await mkdtemp(join(tmpdir(), 'seaway-dr-')), 'delete.json');
      await writeFile(
        file,
        JSON.stringify({
          version: 1,
          partitions: [compact, both].map((topic) => ({ topic, partition: 0, offset: 3 })),
        }),
      );
      const r = await kafkaTool('kafka-delete-records', [
        '--bootstrap-server',
        target.bootstrap(),
        '--offset-json-file',
        file,
      ]);
      const out = r.stdout + r.stderr;
      assert.match(out, new RegExp(`${compact}-0.*PolicyViolationException`), out);
      assert.match(out, new RegExp(`${both}-0.*low_watermark: 3`), out);
      assert.equal(await low(compact), '0');
      assert.equal(await low(both), '3');
    });
  });
}
