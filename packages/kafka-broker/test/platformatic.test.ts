// @platformatic/kafka 1.x (the Node 20 line) against the embedded broker and real Apache Kafka:
// admin create/metadata/delete, produce with keys and headers, consume in a group from the earliest
// offset.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`@platformatic/kafka against ${target.name}`, { skip: target.skip }, () => {
    test('create a topic, produce with keys and headers, consume them in a group', { timeout: 60_000 }, async () => {
      const bootstrapBrokers = [target.bootstrap()];
      const topic = unique('plt');
      const admin = new Admin({ clientId: 'seaway-test', bootstrapBrokers });
      await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
      const meta = await admin.metadata({ topics: [topic] });
      assert.equal(meta.topics.get(topic)?.partitionsCount, 2);
      const producer = new Producer({ clientId: 'seaway-test', bootstrapBrokers, serializers: stringSerializers });
      await producer.send({
        messages: Array.from({ length: 10 }, (_, i) => ({
          topic,
          key: `k${i}`,
          value: `v${i}`,
          headers: { n: String(i) },
        })),
      });
      await producer.close();
      const consumer = new Consumer({
        groupId: unique('plt-g'),
        clientId: 'seaway-test',
        bootstrapBrokers,
        deserializers: stringDeserializers,
        maxWaitTime: 200,
      });
      const stream = await consumer.consume({
        autocommit: true,
        topics: [topic],
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        mode: 'earliest',
      });
      const got = new Map<string, string>();
      let header = '';
      for await (const m of stream) {
        got.set(String(m.key), String(m.value));
        if (m.key === 'k3') header = String(m.headers.get('n'));
        if (got.size === 10) break;
      }
      await consumer.close(true);
      assert.equal(got.get('k7'), 'v7');
      assert.equal(header, '3');
      await admin.deleteTopics({ topics: [topic] });
      await admin.close();
    });
  });
}
