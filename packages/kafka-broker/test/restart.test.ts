// Persistence: with a dataDir, a broker started again on the same directory still has its topics
// (same ids and configs), records, committed group offsets and producer id counter.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCode } from '@seaway/kafka-protocol';
import { Kafka, logLevel } from 'kafkajs';
import { BrokerError, BrokerErrorCode } from '../src/index.ts';
import { RawClient, startTestBroker, tempDir, unique } from './support.ts';

test('topics, records and committed offsets survive a restart on the same dataDir', { timeout: 60_000 }, async () => {
  const { dir, remove } = await tempDir();
  const topic = unique('restart');
  const groupId = unique('restart-g');
  const first = await startTestBroker({ dataDir: dir });
  const port = first.port;
  let kafka = new Kafka({ brokers: [first.bootstrap], logLevel: logLevel.NOTHING });
  let admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
  });
  const idBefore = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0];
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [
      { partition: 0, offset: '4' },
      { partition: 1, offset: '2' },
    ],
  });
  const offsetsBefore = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  await first.close();

  const second = await startTestBroker({ dataDir: dir, port });
  kafka = new Kafka({ brokers: [second.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  assert.ok((await admin.listTopics()).includes(topic));
  const meta = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0];
  assert.equal(meta?.partitions.length, idBefore?.partitions.length);
  assert.deepEqual(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]).sort(),
    offsetsBefore.map((p) => [p.partition, p.high]).sort(),
  );
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  assert.deepEqual(committed[0]?.partitions.map((p) => [p.partition, p.offset]).sort(), [
    [0, '4'],
    [1, '2'],
  ]);
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
  });
  assert.equal(configs.resources[0]?.configEntries[0]?.configValue, 'compact');
  const consumer = kafka.consumer({ groupId: unique('restart-read'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values = new Set<string>();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.add(message.value?.toString() ?? '');
        if (values.size === 30) resolve();
      },
    });
  });
  await consumer.disconnect();
  // a new idempotent producer after the restart gets a fresh id and can write
  const producer2 = kafka.producer({ idempotent: true });
  await producer2.connect();
  await producer2.send({ topic, messages: [{ key: 'after', value: 'restart' }] });
  await producer2.disconnect();
  await admin.disconnect();
  await second.close();
  await remove();
});

test('a cluster.json that is not JSON fails the start with SEAWAY_BROKER_BAD_METADATA', async () => {
  const { dir, remove } = await tempDir();
  await writeFile(join(dir, 'cluster.json'), '{ not json');
  await assert.rejects(
    startTestBroker({ dataDir: dir }),
    (e: unknown) => e instanceof BrokerError && e.code === BrokerErrorCode.BAD_METADATA,
  );
  await remove();
});

test('bad options fail the start with SEAWAY_BROKER_BAD_CONFIG naming the option', async () => {
  await assert.rejects(
    startTestBroker({ defaultPartitions: 0 }),
    (e: unknown) =>
      e instanceof BrokerError && e.code === BrokerErrorCode.BAD_CONFIG && e.message.includes('defaultPartitions'),
  );
});

test('a port already in use fails the start with SEAWAY_BROKER_LISTEN_FAILED and leaves no state open', async () => {
  const first = await startTestBroker();
  await assert.rejects(
    startTestBroker({ port: first.port }),
    (e: unknown) =>
      e instanceof BrokerError && e.code === BrokerErrorCode.LISTEN_FAILED && e.message.includes('BROKER_PORT'),
  );
  await first.close();
});

test('a Stable group survives a restart: its members keep heartbeating with their generation', {
  timeout: 60_000,
}, async () => {
  const { dir, remove } = await tempDir();
  const groupId = unique('restart-group');
  const first = await startTestBroker({ dataDir: dir });
  const port = first.port;
  let c = await RawClient.open(port);
  const protocols = [{ name: 'range', metadata: Buffer.from('sub') }];
  const joinReq = (memberId: string) => ({
    groupId,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 5000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols,
    reason: null,
  });
  const id = (await c.send(11, 9, joinReq(''))).body.memberId as string;
  assert.equal((await c.send(11, 9, joinReq(id))).body.generationId, 1);
  const s = await c.send(14, 5, {
    groupId,
    generationId: 1,
    memberId: id,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId: id, assignment: Buffer.from('mine') }],
  });
  assert.equal(s.body.errorCode, ErrorCode.NONE);
  c.close();
  await first.close();

  const second = await startTestBroker({ dataDir: dir, port });
  try {
    c = await RawClient.open(port);
    assert.equal((await c.send(12, 4, { groupId, generationId: 1, memberId: id })).body.errorCode, ErrorCode.NONE);
    const d = (await c.send(15, 5, { groups: [groupId] })).body.groups[0];
    assert.equal(d.groupState, 'Stable');
    assert.equal(d.protocolData, 'range');
    assert.deepEqual(
      d.members.map((m: { memberId: string; memberAssignment: Buffer; memberMetadata: Buffer }) => [
        m.memberId,
        m.memberMetadata.toString(),
        m.memberAssignment.toString(),
      ]),
      [[id, 'sub', 'mine']],
    );
    const again = await c.send(14, 5, {
      groupId,
      generationId: 1,
      memberId: id,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    assert.equal(again.body.assignment.toString(), 'mine');
    c.close();
  } finally {
    await second.close();
    await remove();
  }
});
