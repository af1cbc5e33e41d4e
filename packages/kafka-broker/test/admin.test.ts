// Admin APIs at the protocol level: CreateTopics validation, configs (describe, alter, incremental),
// CreatePartitions, DeleteTopics by id, DescribeCluster, OffsetForLeaderEpoch, Metadata by topic id.

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ErrorCode, encodeRecordBatch, ZERO_UUID } from '@seaway/kafka-protocol';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, tempDir, unique } from './support.ts';

let broker: KafkaBroker;
let c: RawClient;
before(async () => {
  broker = await startTestBroker();
  c = await RawClient.open(broker.port);
});
after(async () => {
  c.close();
  await broker.close();
});

const create = async (topic: Record<string, unknown>, validateOnly = false) =>
  (
    await c.send(19, 7, {
      topics: [{ numPartitions: 1, replicationFactor: 1, ...topic }],
      timeoutMs: 1000,
      validateOnly,
    })
  ).body.topics[0];

test('CreateTopics validates names, partitions, replication, configs and duplicates', async () => {
  assert.equal((await create({ name: 'bad name!' })).errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
  assert.equal((await create({ name: unique('t'), numPartitions: 0 })).errorCode, ErrorCode.INVALID_PARTITIONS);
  assert.equal(
    (await create({ name: unique('t'), replicationFactor: 3 })).errorCode,
    ErrorCode.INVALID_REPLICATION_FACTOR,
  );
  assert.equal(
    (await create({ name: unique('t'), configs: [{ name: 'no.such.config', value: '1' }] })).errorCode,
    ErrorCode.INVALID_CONFIG,
  );
  const name = unique('t');
  const dry = await create({ name }, true);
  assert.equal(dry.errorCode, ErrorCode.NONE);
  const made = await create({
    name,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [{ name: 'retention.ms', value: '1000' }],
  });
  assert.equal(made.errorCode, ErrorCode.NONE);
  assert.equal(made.numPartitions, 1);
  assert.equal(made.configs.find((x: { name: string }) => x.name === 'retention.ms').value, '1000');
  assert.notEqual(made.topicId, 'AAAAAAAAAAAAAAAAAAAAAA');
  assert.equal((await create({ name })).errorCode, ErrorCode.TOPIC_ALREADY_EXISTS);
});

test('DescribeConfigs lists every topic config with its default and source; broker configs too', async () => {
  const name = unique('t');
  await create({ name, configs: [{ name: 'cleanup.policy', value: 'compact' }] });
  const r = await c.send(32, 4, {
    resources: [
      { resourceType: 2, resourceName: name, configurationKeys: null },
      { resourceType: 4, resourceName: '1', configurationKeys: ['num.partitions'] },
    ],
    includeSynonyms: true,
    includeDocumentation: true,
  });
  const [topic, brokerRes] = r.body.results;
  const byName = new Map(topic.configs.map((x: { name: string }) => [x.name, x]));
  assert.ok(byName.size >= 25);
  assert.deepEqual(
    (({ value, configSource }) => ({ value, configSource }))(
      byName.get('cleanup.policy') as { value: string; configSource: number },
    ),
    { value: 'compact', configSource: 1 },
  );
  assert.deepEqual(
    (({ value, configSource }) => ({ value, configSource }))(
      byName.get('retention.ms') as { value: string; configSource: number },
    ),
    { value: '604800000', configSource: 5 },
  );
  assert.deepEqual(
    brokerRes.configs.map((x: { name: string; value: string }) => [x.name, x.value]),
    [['num.partitions', '1']],
  );
  const missing = await c.send(32, 4, {
    resources: [{ resourceType: 2, resourceName: 'nope', configurationKeys: null }],
  });
  assert.equal(missing.body.results[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

test('AlterConfigs replaces overrides; IncrementalAlterConfigs sets, appends and deletes', async () => {
  const name = unique('t');
  await create({ name, configs: [{ name: 'retention.ms', value: '1000' }] });
  const describe = async () => {
    const r = await c.send(32, 4, {
      resources: [{ resourceType: 2, resourceName: name, configurationKeys: ['retention.ms', 'cleanup.policy'] }],
    });
    return Object.fromEntries(r.body.results[0].configs.map((x: { name: string; value: string }) => [x.name, x.value]));
  };
  const alter = await c.send(33, 2, {
    resources: [{ resourceType: 2, resourceName: name, configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
    validateOnly: false,
  });
  assert.equal(alter.body.responses[0].errorCode, ErrorCode.NONE);
  assert.deepEqual(await describe(), { 'retention.ms': '604800000', 'cleanup.policy': 'compact' });
  const inc = await c.send(44, 1, {
    resources: [
      {
        resourceType: 2,
        resourceName: name,
        configs: [
          { name: 'retention.ms', configOperation: 0, value: '5000' },
          { name: 'cleanup.policy', configOperation: 2, value: 'delete' },
        ],
      },
    ],
    validateOnly: false,
  });
  assert.equal(inc.body.responses[0].errorCode, ErrorCode.NONE);
  assert.deepEqual(await describe(), { 'retention.ms': '5000', 'cleanup.policy': 'compact,delete' });
  await c.send(44, 1, {
    resources: [
      { resourceType: 2, resourceName: name, configs: [{ name: 'cleanup.policy', configOperation: 1, value: null }] },
    ],
    validateOnly: false,
  });
  assert.equal((await describe())['cleanup.policy'], 'delete');
  const bad = await c.send(44, 1, {
    resources: [
      { resourceType: 2, resourceName: name, configs: [{ name: 'retention.ms', configOperation: 0, value: 'soon' }] },
    ],
    validateOnly: false,
  });
  assert.equal(bad.body.responses[0].errorCode, ErrorCode.INVALID_CONFIG);
});

test('IncrementalAlterConfigs of segment.bytes and retention.bytes applies to the open log without a restart', async () => {
  const { dir, remove } = await tempDir();
  const b = await startTestBroker({ dataDir: dir });
  const raw = await RawClient.open(b.port);
  try {
    const name = unique('t');
    await raw.send(19, 7, { topics: [{ name, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
    const produce = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const records = encodeRecordBatch([{ value: 'x'.repeat(300) }, { value: 'y'.repeat(300) }]);
        const r = await raw.send(0, 11, {
          acks: -1,
          timeoutMs: 1000,
          topicData: [{ name, partitionData: [{ index: 0, records }] }],
        });
        assert.equal(r.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
      }
    };
    const earliest = async () => {
      const r = await raw.send(2, 7, {
        replicaId: -1,
        topics: [{ name, partitions: [{ partitionIndex: 0, timestamp: -2n }] }],
      });
      return r.body.topics[0].partitions[0].offset as bigint;
    };
    const set = async (configs: Array<{ name: string; value: string }>) => {
      const r = await raw.send(44, 1, {
        resources: [
          { resourceType: 2, resourceName: name, configs: configs.map((x) => ({ ...x, configOperation: 0 })) },
        ],
        validateOnly: false,
      });
      return r.body.responses[0].errorCode as number;
    };
    assert.equal(await set([{ name: 'segment.bytes', value: '100' }]), ErrorCode.INVALID_CONFIG);
    assert.equal(await set([{ name: 'segment.bytes', value: '2048' }]), ErrorCode.NONE);
    await produce(20);
    const segments = (await readdir(join(dir, 'logs', `${name}-0`))).filter((f) => f.endsWith('.log'));
    assert.ok(segments.length >= 5, `${segments.length} segments`);
    await b.runLogMaintenance();
    assert.equal(await earliest(), 0n);
    assert.equal(await set([{ name: 'retention.bytes', value: '4096' }]), ErrorCode.NONE);
    await b.runLogMaintenance();
    assert.ok((await earliest()) > 0n);
  } finally {
    raw.close();
    await b.close();
    await remove();
  }
});

test('__consumer_offsets is internal: Metadata says so, Produce, DeleteTopics and CreatePartitions refuse it', async () => {
  const meta = await c.send(3, 12, { topics: null, allowAutoTopicCreation: false });
  const internal = meta.body.topics.filter((t: { isInternal: boolean }) => t.isInternal);
  assert.deepEqual(
    internal.map((t: { name: string; partitions: unknown[] }) => [t.name, t.partitions.length]),
    [['__consumer_offsets', 10]],
  );
  const produced = await c.send(0, 11, {
    acks: -1,
    timeoutMs: 1000,
    topicData: [
      { name: '__consumer_offsets', partitionData: [{ index: 0, records: encodeRecordBatch([{ value: 'x' }]) }] },
    ],
  });
  assert.equal(produced.body.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
  const deleted = await c.send(20, 6, {
    topics: [{ name: '__consumer_offsets', topicId: ZERO_UUID }],
    timeoutMs: 1000,
  });
  assert.equal(deleted.body.responses[0].errorCode, ErrorCode.INVALID_REQUEST);
  const grown = await c.send(37, 3, {
    topics: [{ name: '__consumer_offsets', count: 20, assignments: null }],
    timeoutMs: 1000,
    validateOnly: false,
  });
  assert.equal(grown.body.results[0].errorCode, ErrorCode.INVALID_REQUEST);
});

test('CreatePartitions only grows; DeleteTopics by id; Metadata by id afterwards is UNKNOWN_TOPIC_ID', async () => {
  const name = unique('t');
  const made = await create({ name, numPartitions: 2 });
  const grow = async (count: number) =>
    (await c.send(37, 3, { topics: [{ name, count, assignments: null }], timeoutMs: 1000, validateOnly: false })).body
      .results[0].errorCode;
  assert.equal(await grow(1), ErrorCode.INVALID_PARTITIONS);
  assert.equal(await grow(4), ErrorCode.NONE);
  const byId = await c.send(3, 12, { topics: [{ topicId: made.topicId, name: null }], allowAutoTopicCreation: false });
  assert.equal(byId.body.topics[0].name, name);
  assert.equal(byId.body.topics[0].partitions.length, 4);
  const del = await c.send(20, 6, { topics: [{ name: null, topicId: made.topicId }], timeoutMs: 1000 });
  assert.equal(del.body.responses[0].errorCode, ErrorCode.NONE);
  const gone = await c.send(3, 12, { topics: [{ topicId: made.topicId, name: null }], allowAutoTopicCreation: false });
  assert.equal(gone.body.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_ID);
  const again = await c.send(20, 5, { topicNames: [name], timeoutMs: 1000 });
  assert.equal(again.body.responses[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

test('DescribeCluster names this broker; OffsetForLeaderEpoch ends epoch 0 at the high watermark', async () => {
  const d = await c.send(60, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 });
  assert.deepEqual(
    d.body.brokers.map((b: { brokerId: number; port: number }) => [b.brokerId, b.port]),
    [[1, broker.port]],
  );
  assert.equal(d.body.clusterId, broker.clusterId);
  const name = unique('t');
  await create({ name });
  const e = await c.send(23, 4, {
    replicaId: -1,
    topics: [{ topic: name, partitions: [{ partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }] }],
  });
  assert.deepEqual(
    (({ errorCode, leaderEpoch, endOffset }) => ({ errorCode, leaderEpoch, endOffset }))(
      e.body.topics[0].partitions[0],
    ),
    { errorCode: ErrorCode.NONE, leaderEpoch: 0, endOffset: 0n },
  );
});
