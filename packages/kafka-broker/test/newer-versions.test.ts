// The versions Kafka 4.1.1 added after the message JSON in shared/ (kafka-protocol's
// scripts/newer-versions.ts), at the protocol level against the embedded broker and real Apache Kafka:
// Produce v13 names topics by id (an unknown id is UNKNOWN_TOPIC_ID), Fetch v18 reads the records
// back by id, DescribeGroups v6 answers an unknown group GROUP_ID_NOT_FOUND (v5: state Dead, no error).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, encodeRecordBatch, randomUuid } from '@seaway/kafka-protocol';
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

const produceById = (c: RawClient, topicId: string, value: string) =>
  c.send(0, 13, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 10_000,
    topicData: [
      { topicId, partitionData: [{ index: 0, records: encodeRecordBatch([{ value: Buffer.from(value) }]) }] },
    ],
  });

for (const target of targets) {
  describe(`Kafka 4.1 versions against ${target.name}`, { skip: target.skip }, () => {
    test('Produce v13 by topic id, Fetch v18 reads it back, an unknown id is UNKNOWN_TOPIC_ID', {
      timeout: 60_000,
    }, async () => {
      const c = await RawClient.open(target.port());
      try {
        const topic = unique('v13');
        const created = await c.send(19, 7, {
          topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        });
        assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);
        const topicId: string = created.body.topics[0].topicId;
        let r = await produceById(c, topicId, 'by-id');
        // a topic Apache Kafka has just created may not have its leader yet
        for (let i = 0; r.body.responses[0].partitionResponses[0].errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER; i++) {
          assert.ok(i < 100, 'no leader after 10 s');
          await new Promise((res) => setTimeout(res, 100));
          r = await produceById(c, topicId, 'by-id');
        }
        assert.equal(r.body.responses.length, 1);
        assert.equal(r.body.responses[0].topicId, topicId);
        assert.equal(r.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
        assert.equal(r.body.responses[0].partitionResponses[0].baseOffset, 0n);

        const missing = await produceById(c, randomUuid(), 'nowhere');
        assert.equal(missing.body.responses[0].partitionResponses[0].errorCode, ErrorCode.UNKNOWN_TOPIC_ID);

        const f = await c.send(1, 18, {
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1 << 20,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [{ topicId, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
          forgottenTopicsData: [],
          rackId: '',
        });
        assert.equal(f.body.errorCode, ErrorCode.NONE);
        const p = f.body.responses[0].partitions[0];
        assert.equal(f.body.responses[0].topicId, topicId);
        assert.equal(p.errorCode, ErrorCode.NONE);
        assert.equal(p.highWatermark, 1n);
        assert.ok(p.records.includes(Buffer.from('by-id')), 'the produced value is in the fetched batch');
      } finally {
        c.close();
      }
    });

    test('DescribeGroups v6 answers an unknown group GROUP_ID_NOT_FOUND, v5 state Dead with no error', {
      timeout: 30_000,
    }, async () => {
      const c = await RawClient.open(target.port());
      try {
        const group = unique('nogroup');
        // the group coordinator of a fresh Kafka may still be loading
        const describe = async (version: number) => {
          for (let i = 0; ; i++) {
            const r = await c.send(15, version, { groups: [group], includeAuthorizedOperations: false });
            const code = r.body.groups[0].errorCode;
            if (code !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && code !== ErrorCode.COORDINATOR_NOT_AVAILABLE)
              return r.body.groups[0];
            assert.ok(i < 100, `coordinator not ready after 10 s (${code})`);
            await new Promise((res) => setTimeout(res, 100));
          }
        };
        const v6 = await describe(6);
        assert.equal(v6.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
        assert.equal(v6.errorMessage, `Group ${group} not found.`);
        assert.equal(v6.groupId, group);
        const v5 = await describe(5);
        assert.equal(v5.errorCode, ErrorCode.NONE);
        assert.equal(v5.groupState, 'Dead');
      } finally {
        c.close();
      }
    });
  });
}
