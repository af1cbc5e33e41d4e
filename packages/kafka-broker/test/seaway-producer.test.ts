// @seaway/kafka-protocol's producer (the bridge's path to Kafka) against the embedded broker and,
// with SEAWAY_TEST_KAFKA, real Apache Kafka: records read back with kafkajs, keyed records in the
// partition the Java client's partitioner picks, auto-created topics, a refused batch named by its
// Kafka error, and a broker restart survived by reconnecting.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ClientErrorCodes,
  KafkaClientError,
  KafkaProducer,
  OffsetsReader,
  type OpenTransport,
  type ProducerRecord,
} from '@seaway/kafka-protocol';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { startTestBroker, tempDir, unique } from './support.ts';

const real = realKafka();
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

const targets: Array<{
  name: string;
  skip: string | false;
  bootstrap: () => string;
  transport?: () => OpenTransport;
}> = [
  { name: 'embedded broker', skip: false, bootstrap: () => embedded.bootstrap },
  {
    name: 'embedded broker in process (local transport)',
    skip: false,
    bootstrap: () => embedded.bootstrap,
    transport: () => async () => embedded.localTransport('sp-test'),
  },
  { name: 'Apache Kafka', skip: !real && 'no real Kafka', bootstrap: () => real as string },
];

interface Read {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

async function readAll(bootstrap: string, topic: string, count: number): Promise<Read[]> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: unique('sp-read') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: Read[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${out.length} of ${count} records of ${topic}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        out.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers,
        });
        if (out.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

for (const target of targets) {
  describe(`Seaway producer against ${target.name}`, { skip: target.skip }, () => {
    const producerFor = (o: { retries?: number } = {}) =>
      new KafkaProducer({
        brokers: [target.bootstrap()],
        clientId: 'sp-test',
        ...o,
        ...(target.transport ? { transport: target.transport() } : {}),
      });
    test('keyed and unkeyed records with headers arrive intact, keyed ones where the Java partitioner puts them', async () => {
      const topic = unique('sp-basic');
      const admin = new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      await admin.disconnect();

      const producer = producerFor();
      await producer.connect();
      const keyed: ProducerRecord[] = [];
      for (let i = 0; i < 30; i++)
        keyed.push({
          key: Buffer.from(`vessel-${i}`),
          value: Buffer.from(`pos-${i}`),
          headers: { 'mqtt.topic': `/ais/${i}` },
        });
      const unkeyed: ProducerRecord[] = [];
      for (let i = 0; i < 10; i++)
        unkeyed.push({ key: null, value: Buffer.from(`free-${i}`), headers: { n: String(i), ü: 'ß' } });
      await producer.send(new Map([[topic, [...keyed, ...unkeyed]]]));
      await producer.close();

      const got = await readAll(target.bootstrap(), topic, 40);
      assert.equal(got.length, 40);
      const javaPartition = Partitioners.DefaultPartitioner();
      for (let i = 0; i < 30; i++) {
        const r = got.find((g) => g.key === `vessel-${i}`);
        assert.ok(r, `vessel-${i} read back`);
        assert.equal(r.value, `pos-${i}`);
        assert.deepEqual(r.headers, { 'mqtt.topic': `/ais/${i}` });
        const expected = javaPartition({
          topic,
          partitionMetadata: [0, 1, 2].map((p) => ({
            partitionId: p,
            leader: 0,
            replicas: [0],
            isr: [0],
            partitionErrorCode: 0,
          })),
          message: { key: Buffer.from(`vessel-${i}`), value: null },
        });
        assert.equal(r.partition, expected, `vessel-${i} partition`);
      }
      const free = got.filter((g) => g.key === null);
      assert.equal(free.length, 10);
      assert.equal(
        new Set(free.map((f) => f.partition)).size,
        1,
        'records without a key of one call share a partition',
      );
      assert.deepEqual(
        free.map((f) => f.value),
        Array.from({ length: 10 }, (_, i) => `free-${i}`),
        'in the order given',
      );
      assert.deepEqual(free[3]?.headers, { n: '3', ü: 'ß' });
    });

    test('an unknown topic is created on first send and several topics go in one call', async () => {
      const a = unique('sp-auto-a');
      const b = unique('sp-auto-b');
      const producer = producerFor();
      await producer.send(
        new Map([
          [a, [{ key: null, value: Buffer.from('a1') }]],
          [
            b,
            [
              { key: null, value: Buffer.from('b1') },
              { key: null, value: Buffer.from('b2') },
            ],
          ],
        ]),
      );
      await producer.send(new Map([[a, [{ key: null, value: Buffer.from('a2') }]]]));
      await producer.close();
      assert.deepEqual((await readAll(target.bootstrap(), a, 2)).map((r) => r.value).sort(), ['a1', 'a2']);
      assert.deepEqual(
        (await readAll(target.bootstrap(), b, 2)).map((r) => r.value),
        ['b1', 'b2'],
      );
    });

    test('OffsetsReader gives low and high offsets of every partition and skips internal topics', async () => {
      const topic = unique('sp-offsets');
      const admin = new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      const producer = producerFor();
      const records = (n: number, key: string) =>
        Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`${key}${i}`), value: Buffer.from('v') }));
      await producer.send(new Map([[topic, records(25, 'k')]]));
      await producer.close();
      const before = await admin.fetchTopicOffsets(topic);
      const trimmed = before.find((p) => Number(p.high) >= 2)?.partition ?? 0;
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: trimmed, offset: '1' }] });
      const kjs = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      const reader = new OffsetsReader({
        brokers: [target.bootstrap()],
        ...(target.transport ? { transport: target.transport() } : {}),
      });
      const all = await reader.read();
      reader.close();
      const mine = all.filter((p) => p.topic === topic).sort((a, b) => a.partition - b.partition);
      assert.deepEqual(
        mine.map((p) => ({ partition: p.partition, low: p.low, high: p.high })),
        kjs
          .map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }))
          .sort((a, b) => a.partition - b.partition),
        'the same figures as kafkajs fetchTopicOffsets',
      );
      assert.equal(
        mine.reduce((n, p) => n + p.high, 0),
        25,
      );
      assert.equal(mine.find((p) => p.partition === trimmed)?.low, 1, 'the log start after DeleteRecords');
      assert.ok(!all.some((p) => p.topic.startsWith('__')), 'internal topics are not listed');
    });

    test('a batch Kafka refuses rejects with the Kafka error name and is not retried', async () => {
      const topic = unique('sp-small');
      const admin = new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1024' }] }],
        waitForLeaders: true,
      });
      await admin.disconnect();
      const producer = producerFor();
      const err = await producer.send(new Map([[topic, [{ key: null, value: Buffer.alloc(4096, 1) }]]])).then(
        () => null,
        (e: unknown) => e,
      );
      await producer.close();
      assert.ok(err instanceof KafkaClientError, String(err));
      assert.equal(err.code, ClientErrorCodes.PRODUCE);
      assert.equal(err.kafkaError, 'MESSAGE_TOO_LARGE');
      assert.equal(err.retriable, false);
      assert.match(err.message, new RegExp(`${topic}-0`));
    });
  });
}

test('no broker at the address: connect fails with the address in the message', async () => {
  const producer = new KafkaProducer({ brokers: ['127.0.0.1:1'] });
  await assert.rejects(producer.connect(), (e: unknown) => {
    assert.ok(e instanceof KafkaClientError);
    assert.equal(e.code, ClientErrorCodes.CONNECT);
    assert.match(e.message, /127\.0\.0\.1:1/);
    return true;
  });
});

test('after the broker restarts on the same port, the next send reconnects and succeeds', async () => {
  const dir = await tempDir();
  let broker = await startTestBroker({ dataDir: dir.dir });
  const port = Number(broker.bootstrap.split(':')[1]);
  const topic = unique('sp-restart');
  const producer = new KafkaProducer({ brokers: [broker.bootstrap], retries: 8 });
  try {
    await producer.send(new Map([[topic, [{ key: null, value: Buffer.from('before') }]]]));
    await broker.close();
    broker = await startTestBroker({ dataDir: dir.dir, port });
    await producer.send(new Map([[topic, [{ key: null, value: Buffer.from('after') }]]]));
    const values = (await readAll(broker.bootstrap, topic, 2)).map((r) => r.value);
    assert.deepEqual(values, ['before', 'after']);
  } finally {
    await producer.close();
    await broker.close();
    await dir.remove();
  }
});
