// Cluster-level admin APIs at the protocol level, each against the embedded broker and real Apache
// Kafka: feature flags in ApiVersions v3/v4, ListOffsets v8-v10 special timestamps (-3 max
// timestamp, -4 earliest local, -5 latest tiered), Metadata v13, DescribeCluster v2, UpdateFeatures,
// DescribeTopicPartitions paging.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, encodeRecordBatch } from '@seaway/kafka-protocol';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real } from './cli-support.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, port: () => embedded.port },
  { ...REAL_TARGET, port: () => Number((real as string).split(':').pop()) },
];

const FEATURE_NAMES = [
  'eligible.leader.replicas.version',
  'group.version',
  'kraft.version',
  'metadata.version',
  'share.version',
  'transaction.version',
];

for (const target of targets) {
  describe(`cluster admin APIs against ${target.name}`, { skip: target.skip }, () => {
    let c: RawClient;
    before(async () => {
      c = await RawClient.open(target.port());
    });
    after(() => c.close());

    const apiVersions = async (version: number) =>
      (await c.send(18, version, { clientSoftwareName: 'seaway-test', clientSoftwareVersion: '1' })).body;

    test('ApiVersions v4 lists the features of Kafka 4.1; v3 leaves out those whose minimum is 0', async () => {
      const v4 = await apiVersions(4);
      const names = v4.supportedFeatures.map((f: { name: string }) => f.name).sort();
      assert.deepEqual(names, FEATURE_NAMES);
      const mv = v4.supportedFeatures.find((f: { name: string }) => f.name === 'metadata.version');
      assert.deepEqual([mv.minVersion, mv.maxVersion], [7, 27]);
      const finalized = new Map(
        v4.finalizedFeatures.map((f: { name: string; maxVersionLevel: number }) => [f.name, f.maxVersionLevel]),
      );
      assert.equal(finalized.get('metadata.version'), 27);
      assert.equal(finalized.get('eligible.leader.replicas.version'), 1);
      assert.equal(finalized.has('kraft.version'), false, 'level 0 is not listed as finalized');
      assert.ok(v4.finalizedFeaturesEpoch >= 0n);
      const v3 = await apiVersions(3);
      assert.deepEqual(
        v3.supportedFeatures.map((f: { name: string }) => f.name),
        ['metadata.version'],
      );
      const v2 = await apiVersions(2);
      assert.deepEqual(v2.supportedFeatures, []);
    });

    test('UpdateFeatures keeps metadata.version at its level and refuses an unknown feature', async () => {
      const keep = await c.send(57, 2, {
        timeoutMs: 10_000,
        featureUpdates: [{ feature: 'metadata.version', maxVersionLevel: 27, upgradeType: 1 }],
        validateOnly: true,
      });
      assert.equal(keep.body.errorCode, ErrorCode.NONE, keep.body.errorMessage);
      const unknown = await c.send(57, 1, {
        timeoutMs: 10_000,
        featureUpdates: [{ feature: 'no.such.version', maxVersionLevel: 1, upgradeType: 1 }],
        validateOnly: true,
      });
      assert.equal(unknown.body.errorCode, ErrorCode.INVALID_UPDATE_VERSION);
      assert.deepEqual(unknown.body.results, []);
      assert.match(unknown.body.errorMessage, /no\.such\.version/);
    });

    test('ListOffsets v10 answers -1, -2, -3, -4 and -5; -4 before v8 and -6 are UNSUPPORTED_VERSION', async () => {
      const name = unique('lo');
      const created = await c.send(19, 7, {
        topics: [{ name, numPartitions: 1, replicationFactor: 1 }],
        timeoutMs: 10_000,
      });
      assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);
      const now = Date.now();
      for (const ts of [now - 3000, now - 1000, now - 2000]) {
        // a new topic's leader may take a moment on Apache Kafka: retry NOT_LEADER_OR_FOLLOWER
        let errorCode: number = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        for (let attempt = 0; attempt < 50 && errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
          const r = await c.send(0, 11, {
            acks: -1,
            timeoutMs: 10_000,
            topicData: [
              { name, partitionData: [{ index: 0, records: encodeRecordBatch([{ value: 'x', timestamp: ts }]) }] },
            ],
          });
          errorCode = r.body.responses[0].partitionResponses[0].errorCode;
        }
        assert.equal(errorCode, ErrorCode.NONE);
      }
      const list = async (timestamp: bigint, version = 10) =>
        (
          await c.send(2, version, {
            replicaId: -1,
            topics: [{ name, partitions: [{ partitionIndex: 0, timestamp, currentLeaderEpoch: -1 }] }],
            timeoutMs: 1000,
          })
        ).body.topics[0].partitions[0];
      const pick = (p: { errorCode: number; offset: bigint; timestamp: bigint; leaderEpoch: number }) => [
        p.errorCode,
        p.offset,
        p.timestamp,
        p.leaderEpoch,
      ];
      assert.deepEqual(pick(await list(-1n)), [0, 3n, -1n, 0]);
      assert.deepEqual(pick(await list(-2n)), [0, 0n, -1n, 0]);
      assert.deepEqual(pick(await list(-3n)), [0, 1n, BigInt(now - 1000), 0]);
      assert.deepEqual(pick(await list(-4n)), [0, 0n, -1n, 0]);
      assert.deepEqual(pick(await list(-5n)), [0, -1n, -1n, -1]);
      assert.deepEqual(pick(await list(BigInt(now - 2500))), [0, 1n, BigInt(now - 1000), 0]);
      assert.equal((await list(-6n)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
      assert.equal((await list(-4n, 7)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
      assert.equal((await list(-5n, 8)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
      assert.deepEqual(pick(await list(-4n, 8)), [0, 0n, -1n, 0]);
    });

    test('DescribeTopicPartitions pages with responsePartitionLimit and a cursor; a missing topic is UNKNOWN_TOPIC_OR_PARTITION', async () => {
      const name = unique('dtp');
      const created = await c.send(19, 7, {
        topics: [{ name, numPartitions: 3, replicationFactor: 1 }],
        timeoutMs: 10_000,
      });
      assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);
      const page = async (cursor: { topicName: string; partitionIndex: number } | null) =>
        (await c.send(75, 0, { topics: [{ name }, { name: `${name}-missing` }], responsePartitionLimit: 2, cursor }))
          .body;
      const first = await page(null);
      const mine = first.topics.find((t: { name: string }) => t.name === name);
      assert.deepEqual(
        mine.partitions.map((p: { partitionIndex: number; isrNodes: number[]; eligibleLeaderReplicas: number[] }) => [
          p.partitionIndex,
          p.isrNodes.length,
          p.eligibleLeaderReplicas,
        ]),
        [
          [0, 1, []],
          [1, 1, []],
        ],
      );
      assert.deepEqual(first.nextCursor, { topicName: name, partitionIndex: 2 });
      const second = await page(first.nextCursor);
      const rest = second.topics.find((t: { name: string }) => t.name === name);
      assert.deepEqual(
        rest.partitions.map((p: { partitionIndex: number }) => p.partitionIndex),
        [2],
      );
      const missing = second.topics.find((t: { name: string }) => t.name === `${name}-missing`);
      assert.equal(missing.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      assert.equal(second.nextCursor, null);
    });

    test('Metadata v13 carries a top-level errorCode 0; DescribeCluster v2 marks the broker not fenced', async () => {
      const md = await c.send(3, 13, { topics: null, allowAutoTopicCreation: false });
      assert.equal(md.body.errorCode, ErrorCode.NONE);
      assert.equal(md.body.brokers.length, 1);
      const dc = await c.send(60, 2, { endpointType: 1, includeFencedBrokers: true });
      assert.equal(dc.body.errorCode, ErrorCode.NONE);
      assert.deepEqual(
        dc.body.brokers.map((b: { isFenced: boolean }) => b.isFenced),
        [false],
      );
      assert.equal(dc.body.clusterId, md.body.clusterId);
    });
  });
}

test('UpdateFeatures on the embedded broker refuses any change of a level, naming the feature', async () => {
  const c = await RawClient.open(embedded.port);
  try {
    const r = await c.send(57, 2, {
      timeoutMs: 10_000,
      featureUpdates: [{ feature: 'eligible.leader.replicas.version', maxVersionLevel: 0, upgradeType: 2 }],
      validateOnly: false,
    });
    assert.equal(r.body.errorCode, ErrorCode.INVALID_UPDATE_VERSION);
    assert.match(r.body.errorMessage, /eligible\.leader\.replicas\.version/);
    const v4 = (await c.send(18, 4, { clientSoftwareName: 't', clientSoftwareVersion: '1' })).body;
    assert.ok(v4.finalizedFeatures.some((f: { name: string }) => f.name === 'eligible.leader.replicas.version'));
  } finally {
    c.close();
  }
});
